package dev.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ExpiringRows;
import dev.lethe.testsupport.fixture.Fleet;
import dev.lethe.testsupport.fixture.ScenarioTime;
import dev.lethe.testsupport.process.RedisServer;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * Normal traffic raises no alert. The packaged service runs the steady benchmark's workload in small (1,000
 * expiries a second among 100,000 unrelated TTL keys, for a minute); its /q/metrics, scraped every 5 s, become
 * promtool input series, continued at the rates measured for seven hours, and every alert is evaluated over them.
 */
class QuietAlertsIT {

    private static final String DATABASE = "lethe_it_quiet";
    private static final String PREFIX = "it-quiet";
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final int SCRAPES = 12;
    /** Seven hours of 5 s steps: longer than the longest window an alert looks at (6 h). */
    private static final int STEPS = 7 * 3600 / 5;

    @Test
    void theSteadyWorkloadFiresNoAlert() throws Exception {
        Sql sql = Sql.createDatabase(DATABASE);
        sql.execute(ExpiringRows.SCHEMA);
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (RedisServer redis = RedisServer.launch()) {
            try (Keys keys = Keys.connect(redis.uri(), PREFIX)) {
                keys.expireUnrelatedIn("other-app:cache", 100_000, Duration.ofHours(1));
            }
            Map<String, String> config = new LinkedHashMap<>(ExpiringRows.TARGETS);
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
            config.put("quarkus.redis.hosts", redis.uri());
            config.put("lethe.key-prefix", PREFIX);
            try (ServiceProcess service = ServiceProcess.start(List.of("-Xmx128m"), config)
                    .awaitStarted(Duration.ofSeconds(60))) {
                ExpiringRows rows = new ExpiringRows(sql, redis.uri(), PREFIX);
                load.scheduleAtFixedRate(() -> rows.messages(100, Duration.ofSeconds(1), Duration.ofSeconds(1)), 0,
                        100, TimeUnit.MILLISECONDS);
                ScenarioTime.pass(Duration.ofSeconds(15));
                List<Map<String, Double>> scrapes = new ArrayList<>();
                for (int i = 0; i < SCRAPES; i++) {
                    scrapes.add(service.metrics().series());
                    ScenarioTime.pass(STEP);
                }
                Path folder = AlertRulesTest.ruleFile().getParent();
                Files.writeString(folder.resolve("quiet-test.yaml"), promtoolTest(scrapes));
                String output = AlertRulesTest.promtool(folder, "test", "rules", "quiet-test.yaml");
                assertThat(output).contains("SUCCESS");
            }
        } finally {
            load.shutdownNow();
            load.awaitTermination(5, TimeUnit.SECONDS);
            Sql.dropDatabase(DATABASE);
        }
    }

    /** The scraped series, continued at their measured rates, and every alert expected silent throughout. */
    private static String promtoolTest(List<Map<String, Double>> scrapes) throws IOException {
        StringBuilder test = new StringBuilder("rule_files:\n  - rules.yaml\nevaluation_interval: 1m\ntests:\n"
                + "  - interval: " + STEP.toSeconds() + "s\n    input_series:\n");
        test.append("      - series: 'up{job=\"lethe\",namespace=\"chat\",pod=\"lethe-0\"}'\n")
                .append("        values: '1+0x").append(SCRAPES + STEPS).append("'\n");
        TreeSet<String> names = new TreeSet<>(scrapes.get(scrapes.size() - 1).keySet());
        for (String name : names) {
            if (!name.startsWith("lethe_")) {
                continue;
            }
            List<String> values = new ArrayList<>();
            for (Map<String, Double> scrape : scrapes) {
                Double value = scrape.get(name);
                values.add(value == null || value.isNaN() ? "_" : Double.toString(value));
            }
            Double first = scrapes.get(0).get(name);
            double last = scrapes.get(scrapes.size() - 1).get(name);
            if (Double.isNaN(last)) {
                continue;
            }
            boolean counter = name.matches("^[a-z_]+_(total|bucket|count|sum)(\\{.*)?$");
            double perStep = counter && first != null && !first.isNaN()
                    ? (last - first) / (scrapes.size() - 1) : 0;
            test.append("      - series: '").append(withLabels(name)).append("'\n")
                    .append("        values: '").append(String.join(" ", values)).append(' ').append(last)
                    .append(perStep >= 0 ? "+" : "").append(perStep).append('x').append(STEPS).append("'\n");
        }
        test.append("    alert_rule_test:\n");
        for (String alert : alertNames()) {
            for (String at : List.of("30m", "2h", "7h")) {
                test.append("      - eval_time: ").append(at).append("\n        alertname: ").append(alert)
                        .append("\n        exp_alerts: []\n");
            }
        }
        return test.toString();
    }

    /** The series as the scrape of a pod in a namespace would label it. */
    private static String withLabels(String series) {
        String labels = "namespace=\"chat\",pod=\"lethe-0\"";
        int brace = series.indexOf('{');
        return brace < 0 ? series + "{" + labels + "}" : series.substring(0, brace + 1) + labels + ","
                + series.substring(brace + 1);
    }

    private static List<String> alertNames() throws IOException {
        JsonNode rule = new ObjectMapper(new YAMLFactory()).readTree(AlertRulesTest.RULE.toFile());
        List<String> names = new ArrayList<>();
        rule.get("spec").get("groups").forEach(group -> group.get("rules").forEach(r -> names.add(r.get("alert")
                .asText())));
        return names;
    }
}
