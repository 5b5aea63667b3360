package dev.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The ConfigMap that k8s/ applies targets tables that exist: the ready-made Prisma tables of
 * src/main/resources/demo/chat-tables.sql, with every column its settings and conditions name, exactly as the demo
 * profile targets them. A new user who applies k8s/ to a database migrated from those models gets a service that
 * starts, not one that names {@code refresh_tokens} or an unquoted {@code used_at}.
 */
class ConfigMapTargetsTest {

    private static final Path CONFIG_MAP = Path.of("k8s", "base", "application.properties");
    private static final Path TABLES = Path.of("src", "main", "resources", "demo", "chat-tables.sql");
    private static final Path SERVICE = Path.of("src", "main", "resources", "application.properties");

    private static final Pattern TARGET_SETTING = Pattern.compile("lethe\\.targets\\.([^.]+)\\.(.+)");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE TABLE IF NOT EXISTS \"([^\"]+)\" \\((.*?)\\n\\);", Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("^\\s*\"([^\"]+)\"\\s+\\w+", Pattern.MULTILINE);
    /** A condition's words: quoted names, string literals (skipped), bare words. */
    private static final Pattern WORD =
            Pattern.compile("\"((?:[^\"]|\"\")*)\"|'(?:[^']|'')*'|([A-Za-z_][A-Za-z0-9_$]*)");
    private static final Set<String> KEYWORDS = Set.of("not", "is", "null", "and", "or", "true", "false", "in",
            "like", "between", "coalesce", "now", "interval", "exists", "select", "from", "where", "current_timestamp");

    @Test
    void everyTargetOfTheConfigMapNamesATableOfTheReadyMadeSchemaAndItsColumns() throws IOException {
        Map<String, Set<String>> tables = readyMadeTables();
        Map<String, Map<String, String>> targets = targets(properties(CONFIG_MAP), "");
        assertThat(targets).as("targets of " + CONFIG_MAP).isNotEmpty();

        List<String> problems = new ArrayList<>();
        targets.forEach((target, settings) -> {
            String table = settings.get("table");
            Set<String> columns = tables.get(table);
            if (columns == null) {
                problems.add(target + ": no table \"" + table + "\" in " + TABLES + " (it has " + tables.keySet()
                        + ")");
                return;
            }
            for (String setting : List.of("id-column", "expires-column", "blob-key-column")) {
                String column = settings.getOrDefault(setting,
                        switch (setting) {
                            case "id-column" -> "id";
                            case "expires-column" -> "expiresAt";
                            default -> null;
                        });
                if (column != null && !columns.contains(column)) {
                    problems.add(target + "." + setting + ": no column \"" + column + "\" in \"" + table + "\"");
                }
            }
            for (String condition : List.of("guard", "also-due-when")) {
                if (settings.containsKey(condition)) {
                    for (String column : namesIn(settings.get(condition))) {
                        if (!columns.contains(column)) {
                            problems.add(target + "." + condition + "=" + settings.get(condition) + ": no column \""
                                    + column + "\" in \"" + table + "\"");
                        }
                    }
                }
            }
        });
        assertThat(problems).as("targets of " + CONFIG_MAP + " against " + TABLES).isEmpty();
    }

    @Test
    void theConfigMapTargetsTheReadyMadeTablesExactlyAsTheDemoProfileDoes() throws IOException {
        assertThat(targets(properties(CONFIG_MAP), ""))
                .as("the targets of " + CONFIG_MAP + " and of the demo profile in " + SERVICE)
                .isEqualTo(targets(properties(SERVICE), "%demo."));
    }

    @Test
    void aConditionNamingAColumnUnquotedIsReadAsPostgresFoldsIt() {
        assertThat(namesIn("used_at IS NOT NULL")).containsExactly("used_at");
        assertThat(namesIn("NOT \"legalHold\" AND \"body\" <> 'it''s \"quoted\"'"))
                .containsExactly("legalHold", "body");
        assertThat(namesIn("UsedAt IS NOT NULL")).containsExactly("usedat");
    }

    /** The tables chat-tables.sql creates, each with its columns. */
    private static Map<String, Set<String>> readyMadeTables() throws IOException {
        Map<String, Set<String>> tables = new TreeMap<>();
        Matcher table = CREATE_TABLE.matcher(Files.readString(TABLES));
        while (table.find()) {
            Set<String> columns = new java.util.TreeSet<>();
            Matcher column = COLUMN.matcher(table.group(2));
            while (column.find()) {
                columns.add(column.group(1));
            }
            tables.put(table.group(1), columns);
        }
        assertThat(tables).as("tables created by " + TABLES).hasSizeGreaterThanOrEqualTo(5);
        return tables;
    }

    /** The column names a condition uses: quoted as written, bare ones folded to lower case, keywords left out. */
    static List<String> namesIn(String condition) {
        List<String> names = new ArrayList<>();
        Matcher word = WORD.matcher(condition);
        while (word.find()) {
            if (word.group(1) != null) {
                names.add(word.group(1).replace("\"\"", "\""));
            } else if (word.group(2) != null && !KEYWORDS.contains(word.group(2).toLowerCase(Locale.ROOT))) {
                names.add(word.group(2).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Target to its settings (relative names such as {@code table}, {@code guard}), from properties with a prefix. */
    private static Map<String, Map<String, String>> targets(Properties properties, String prefix) {
        Map<String, Map<String, String>> targets = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            Matcher setting = TARGET_SETTING.matcher(name.substring(prefix.length()));
            if (setting.matches()) {
                targets.computeIfAbsent(setting.group(1), target -> new LinkedHashMap<>())
                        .put(setting.group(2), properties.getProperty(name).trim());
            }
        }
        return targets;
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return properties;
    }
}
