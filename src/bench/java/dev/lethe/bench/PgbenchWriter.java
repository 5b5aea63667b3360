package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.lethe.testsupport.Sql;

/**
 * The writer as pgbench at a fixed rate ({@code -R}), logging every transaction ({@code -l}). With a rate, pgbench
 * measures each latency from the transaction's scheduled start, so a stall counts for every insert it delays.
 */
final class PgbenchWriter implements Writer {

    private final Path directory;
    private final Process process;

    PgbenchWriter(Path pgbench, int rowsPerSecond) {
        try {
            directory = Files.createTempDirectory("lethe-bench-writer");
            Path script = directory.resolve("insert.sql");
            Files.writeString(script, "INSERT INTO " + BenchDatabase.TABLE + " (id, chat_id, body, expires_at)"
                    + " VALUES (gen_random_uuid(), gen_random_uuid(), 'written during the benchmark',"
                    + " now() + interval '1 day');\n");
            process = new ProcessBuilder(pgbench.toString(), "-h", Sql.HOST, "-p", Integer.toString(Sql.PORT),
                    "-U", Sql.USER, "-n", "-f", script.toString(), "-R", Integer.toString(rowsPerSecond),
                    "-T", "3600", "-l", "--log-prefix=" + directory.resolve("tx"), BenchDatabase.NAME)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("pgbench.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<Path> find() {
        try {
            Process config = new ProcessBuilder("pg_config", "--bindir").start();
            String bindir = new String(config.getInputStream().readAllBytes()).trim();
            config.waitFor(10, TimeUnit.SECONDS);
            Path pgbench = Path.of(bindir, "pgbench");
            return Files.isExecutable(pgbench) ? Optional.of(pgbench) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Reads the log so far; each line is: client, transaction, latency µs, script, end epoch s, end µs, lag µs. */
    @Override
    public double[] latencies(long fromMillis, long toMillis) {
        List<Double> latencies = new ArrayList<>();
        try (Stream<Path> logs = Files.list(directory)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("tx")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] fields = line.trim().split(" ");
                    if (fields.length < 6) {
                        continue;
                    }
                    double latencyMillis = Long.parseLong(fields[2]) / 1000.0;
                    long endMillis = Long.parseLong(fields[4]) * 1000 + Long.parseLong(fields[5]) / 1000;
                    long scheduledMillis = endMillis - (long) latencyMillis;
                    if (scheduledMillis >= fromMillis && scheduledMillis < toMillis) {
                        latencies.add(latencyMillis);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public void close() {
        try {
            // SIGINT lets pgbench flush its log; SIGTERM would lose the tail.
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
