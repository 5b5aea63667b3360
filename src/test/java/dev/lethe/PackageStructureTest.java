package dev.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main import one way: no two of them import each other, however indirectly, admin and the demo
 * are leaves, and the bottom packages import nothing of Lethe. Read from the sources, so it needs no build of its own.
 */
class PackageStructureTest {

    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.lethe(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    /** Package (without "dev.lethe") to the packages it uses. */
    private static final Map<String, Set<String>> USES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                    continue;
                }
                String from = shortName(declared.group(1));
                Set<String> uses = USES.computeIfAbsent(from, key -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(COMMENT.matcher(text).replaceAll(""));
                while (reference.find()) {
                    String to = shortName(reference.group(1));
                    if (!to.equals(from)) {
                        uses.add(to);
                    }
                }
            }
        }
    }

    private static String shortName(String pkg) {
        return pkg.equals("dev.lethe") ? "(root)" : pkg.substring("dev.lethe.".length());
    }

    @Test
    void noPackagesImportEachOther() {
        assertThat(cycles()).as("package cycles among %s", USES).isEmpty();
    }

    @Test
    void adminAndTheDemoAreLeavesThatNothingImports() {
        USES.forEach((from, uses) -> assertThat(uses).as(from).doesNotContain("admin", "demo"));
    }

    @Test
    void theSqlModelAndTheUtilitiesImportNothingOfLethe() {
        assertThat(USES.get("sql")).isEmpty();
        assertThat(USES.get("support")).isEmpty();
    }

    @Test
    void theHotPathRunsIngestToDeleteToStore() {
        assertThat(USES.get("ingest")).contains("delete");
        assertThat(USES.get("delete")).contains("store").doesNotContain("ingest", "sweep");
        assertThat(USES.get("store")).doesNotContain("delete", "ingest", "sweep");
    }

    @Test
    void noPackageIsNamedLikeMavensBuildFolder() {
        assertThat(USES).doesNotContainKey("target");
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> found = new ArrayList<>();
        for (String start : USES.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(String node, Map<String, Integer> index, Map<String, Integer> low, List<String> stack,
            Set<String> onStack, List<Set<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.add(node);
        onStack.add(node);
        for (String next : USES.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, index, low, stack, onStack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.remove(stack.size() - 1);
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
