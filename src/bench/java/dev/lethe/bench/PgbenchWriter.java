package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.process.LocalProcess;

/**
 * The writer as pgbench at a fixed rate ({@code -R}), logging every transaction ({@code -l}). With a rate, pgbench
 * measures each latency from the transaction's scheduled start, so a stall counts for every insert it delays.
 */
final class PgbenchWriter extends LocalProcess implements Writer {

    private final Path pgbench;
    private final Path script;
    private final int rowsPerSecond;

    PgbenchWriter(Path pgbench, int rowsPerSecond) {
        super("bench-writer");
        this.pgbench = pgbench;
        this.rowsPerSecond = rowsPerSecond;
        this.script = directory.resolve("insert.sql");
        try {
            Files.writeString(script, "INSERT INTO " + BenchDatabase.TABLE + " (id, chat_id, body, expires_at)"
                    + " VALUES (gen_random_uuid(), gen_random_uuid(), 'written during the benchmark',"
                    + " now() + interval '1 day');\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        start();
    }

    @Override
    protected List<String> command() {
        return List.of(pgbench.toString(), "-h", Sql.HOST, "-p", Integer.toString(Sql.PORT), "-U", Sql.USER, "-n",
                "-f", script.toString(), "-R", Integer.toString(rowsPerSecond), "-T", "3600", "-l",
                "--log-prefix=" + directory.resolve("tx"), BenchDatabase.NAME);
    }

    /** pgbench connects and runs on its own; its log tells what it did. */
    @Override
    protected boolean answers() {
        return true;
    }

    static Optional<Path> find() {
        try {
            Path pgbench = Path.of(run(List.of("pg_config", "--bindir")).trim(), "pgbench");
            return Files.isExecutable(pgbench) ? Optional.of(pgbench) : Optional.empty();
        } catch (IllegalStateException noPgConfig) {
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
        // SIGINT lets pgbench flush its log; SIGTERM would lose the tail.
        if (isRunning()) {
            run(List.of("kill", "-INT", Long.toString(pid())));
            try {
                awaitExit(Duration.ofSeconds(10));
            } catch (IllegalStateException stillRunning) {
                // close() kills it below.
            }
        }
        super.close();
    }
}
