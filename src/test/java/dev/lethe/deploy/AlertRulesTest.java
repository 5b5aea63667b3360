package dev.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lethe.testsupport.process.LocalProcess;

/**
 * The alert rules the PrometheusRule ships, checked by Prometheus' own promtool (Debian's prometheus package, which
 * .ci/run installs): they are valid, and each fires on the trouble it names and not on the normal case beside it.
 */
class AlertRulesTest {

    static final Path RULE = Path.of("k8s", "components", "prometheus-operator", "prometheusrule.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The rules of the PrometheusRule, as a Prometheus rule file in a folder of their own. */
    static Path ruleFile() throws IOException {
        JsonNode rule = YAML.readTree(RULE.toFile());
        Path folder = Files.createTempDirectory("lethe-rules-");
        Path file = folder.resolve("rules.yaml");
        YAML.writeValue(file.toFile(), Map.of("groups", rule.get("spec").get("groups")));
        return file;
    }

    static String promtool(Path folder, String... args) {
        assertThat(Files.isExecutable(Path.of("/usr/bin/promtool")) || LocalProcess.onPath("promtool"))
                .as("promtool is missing: install Debian's prometheus package (.ci/run does)").isTrue();
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "cd '" + folder + "' && promtool"));
        for (String arg : args) {
            command.set(2, command.get(2) + " '" + arg + "'");
        }
        return LocalProcess.run(command);
    }

    @Test
    void theRulesAreValidPrometheusRules() throws IOException {
        Path rules = ruleFile();
        assertThat(promtool(rules.getParent(), "check", "rules", "rules.yaml")).contains("SUCCESS");
    }

    @Test
    void eachAlertFiresOnItsTroubleAndNotBesideIt() throws IOException {
        Path rules = ruleFile();
        Files.copy(Path.of("src", "test", "resources", "alerts", "alerts-test.yaml"),
                rules.getParent().resolve("alerts-test.yaml"));
        assertThat(promtool(rules.getParent(), "test", "rules", "alerts-test.yaml")).contains("SUCCESS");
    }
}
