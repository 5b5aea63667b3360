package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lethe.testsupport.ServiceProcess;

/** The packaged service, started for one scenario, with what Linux tells about its memory and CPU. */
final class LetheUnderTest implements AutoCloseable {

    private static final double CLOCK_TICKS = 100.0;

    private final ServiceProcess process;

    private LetheUnderTest(ServiceProcess process) {
        this.process = process;
    }

    static LetheUnderTest start(BenchOptions options, String redisUri, Map<String, String> scenarioConfig) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + BenchDatabase.NAME);
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.redis.hosts", redisUri);
        config.put("quarkus.log.category.\"dev.lethe\".level", "WARN");
        config.put("lethe.targets.message.table", BenchDatabase.TABLE);
        config.put("lethe.targets.message.expires-column", "expires_at");
        config.putAll(scenarioConfig);
        config.putAll(options.letheConfig());
        List<String> jvm = new ArrayList<>(options.letheJvm());
        return new LetheUnderTest(ServiceProcess.start(jvm, config).awaitStarted(Duration.ofSeconds(60)));
    }

    /** Peak resident memory of the process so far (VmHWM), in MiB. */
    double peakRssMib() {
        return statusField("VmHWM") / 1024.0;
    }

    /** CPU time (user + system) the process has used so far, in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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

    private long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException(field + " not found");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
