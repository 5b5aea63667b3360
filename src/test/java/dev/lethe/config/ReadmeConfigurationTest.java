package dev.lethe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;

/**
 * The configuration reference (docs/configuration.md, section Settings) lists every setting of {@link LetheConfig}, no
 * more, with the default the mapping has: a user reads the table, so a setting missing from it, or a default it gets
 * wrong, is a bug.
 */
class ReadmeConfigurationTest {

    private static final Pattern ROW = Pattern.compile("^\\| (`lethe\\.[^|]+) \\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** What the table says for a setting without a default. */
    private static final String NO_DEFAULT = "(no default)";

    static final Path REFERENCE = Path.of("docs", "configuration.md");

    @Test
    void theConfigurationReferenceListsEverySettingWithItsDefault() throws IOException {
        assertThat(documented()).as("settings and defaults in " + REFERENCE).isEqualTo(mapping());
    }

    /** Property to default, as the mapping declares them; {@code <target>} stands for a target's name. */
    private static Map<String, String> mapping() {
        Map<String, String> properties = new TreeMap<>();
        walk(LetheConfig.class, "lethe", properties);
        return properties;
    }

    private static void walk(Class<?> group, String prefix, Map<String, String> properties) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())
                    || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Type type = method.getGenericReturnType();
            Class<?> raw = method.getReturnType();
            if (raw == Map.class) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                walk((Class<?>) value, name + ".<target>", properties);
            } else if (raw.isInterface() && raw.getName().startsWith("dev.lethe") && !raw.isAnnotation()) {
                walk(raw, name, properties);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                properties.put(name, value != null ? value.value()
                        : raw == Optional.class ? NO_DEFAULT : "(required)");
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Property to default, as the reference's table gives them. A row may name several properties, the later ones
     * relative to the first ({@code lethe.outbox.retry-min-backoff, .retry-max-backoff}); its defaults, when they
     * are code, follow the same order. A default that is prose ("none", "unlimited", "the global value") means the
     * mapping has none.
     */
    private static Map<String, String> documented() throws IOException {
        String text = Files.readString(REFERENCE);
        int table = text.indexOf("\n## Settings\n");
        assertThat(table).as("a section '## Settings' in " + REFERENCE).isNotNegative();
        int end = text.indexOf("\n## ", table + 1);
        String section = text.substring(table, end < 0 ? text.length() : end);
        Map<String, String> properties = new TreeMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            List<String> names = codes(row.group(1));
            List<String> defaults = codes(row.group(2));
            String first = names.get(0);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name.startsWith(".")) {
                    int segments = name.split("\\.").length - 1;
                    String[] parts = first.split("\\.");
                    name = String.join(".", Arrays.copyOf(parts, parts.length - segments)) + name;
                }
                String value = row.group(2).trim().equals("(required)") ? "(required)"
                        : defaults.size() == names.size() ? defaults.get(i)
                        : defaults.size() == 1 && names.size() == 1 ? defaults.get(0)
                        : NO_DEFAULT;
                properties.put(name, value);
            }
        }
        return properties;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        // A default given in prose that quotes a setting ("the one `quarkus.redis.hosts` selects") is not a value.
        if (!cell.trim().startsWith("`")) {
            return codes;
        }
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }
}
