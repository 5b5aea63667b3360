package dev.lethe.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lethe.testsupport.process.ServiceProcess;

/** The packaged service, started for one scenario, with what Linux tells about its memory and CPU. */
final class LetheUnderTest implements Subject {

    private final ServiceProcess process;

    private LetheUnderTest(ServiceProcess process) {
        this.process = process;
    }

    static LetheUnderTest start(BenchOptions options, String redisUri, Map<String, String> scenarioConfig) {
        return start(options, options.letheJvm(), redisUri, scenarioConfig);
    }

    /** @param jvm the service's JVM options, for a scenario that needs more than {@code --lethe-jvm} */
    static LetheUnderTest start(BenchOptions options, List<String> jvm, String redisUri,
            Map<String, String> scenarioConfig) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + BenchDatabase.NAME);
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.redis.hosts", redisUri);
        config.put("quarkus.log.category.\"dev.lethe\".level", "WARN");
        config.put("lethe.targets.message.table", BenchDatabase.TABLE);
        config.put("lethe.targets.message.expires-column", "expires_at");
        config.put("lethe.targets.message.guard", "NOT legal_hold");
        config.putAll(scenarioConfig);
        config.putAll(options.letheConfig());
        return new LetheUnderTest(ServiceProcess.start(jvm, config).awaitStarted(Duration.ofSeconds(60)));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** The sum of a Prometheus series over all its label sets matching the filter (e.g. {@code source="event"}). */
    double metric(String name, String labelFilter) {
        double sum = 0;
        for (String line : process.metricsText().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (labelFilter.isEmpty() || line.contains(labelFilter)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.terminate();
        try {
            process.awaitExit(Duration.ofSeconds(20));
        } catch (IllegalStateException stillRunning) {
            process.kill();
        }
    }
}
