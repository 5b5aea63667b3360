package dev.lethe.bench;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.lethe.testsupport.process.PgBouncer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Runs the benchmark scenarios against the packaged service, the local PostgreSQL and a redis-server of its own,
 * prints a table per scenario and writes them all as JSON. {@code mvn -Pbench verify -Dbench.args="--help"}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println("flags (defaults): " + BenchOptions.parse(new String[0]).all());
            return;
        }
        BenchOptions parsed = BenchOptions.parse(args);
        Files.createDirectories(parsed.out());
        List<Report> reports = new ArrayList<>();
        System.out.printf("Lethe benchmark on %d cores, %d MiB, Java %s%n", Runtime.getRuntime().availableProcessors(),
                totalMemoryMib(), System.getProperty("java.version"));
        PgBouncer pooler = parsed.pooler().map(BenchOptions::launchPooler).orElse(null);
        BenchOptions options = pooler == null ? parsed : parsed.through(pooler);
        try (BenchDatabase db = new BenchDatabase(); BenchRedis redis = new BenchRedis(options.integer("redis-hz"))) {
            for (String scenario : options.scenarios()) {
                long start = System.nanoTime();
                List<Report> done = switch (scenario) {
                    case "burst" -> List.of(new BurstScenario(options, db, redis).run());
                    case "steady" -> new SteadyScenario(options, db, redis).run();
                    case "poolers" -> List.of(new PoolerScenario(options, db, redis).run());
                    case "drain" -> List.of(new DrainScenario(options, db, redis).run());
                    case "files" -> List.of(new FilesScenario(options, db, redis).run());
                    case "soak" -> List.of(new SoakScenario(options, db, redis).run());
                    default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                };
                done.forEach(report -> System.out.println(report.table()));
                reports.addAll(done);
                System.out.printf("(%s took %.0f s)%n", scenario, (System.nanoTime() - start) / 1e9);
            }
        } finally {
            if (pooler != null) {
                pooler.close();
            }
        }
        JsonArray results = new JsonArray();
        reports.forEach(report -> results.add(report.json()));
        JsonObject json = new JsonObject()
                .put("when", Instant.now().toString())
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("memory_mib", totalMemoryMib())
                .put("java", System.getProperty("java.version"))
                .put("options", new JsonObject(new java.util.LinkedHashMap<>(options.all())))
                .put("results", results);
        Files.writeString(options.out().resolve("results.json"), json.encodePrettily());
        System.out.println("Results written to " + options.out().resolve("results.json"));
    }

    private static long totalMemoryMib() {
        try {
            for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }
}
