package dev.lethe.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/** The writer as a JDBC loop in this JVM, for machines without pgbench. */
final class JdbcWriter implements Writer {

    private record Sample(long sentMillis, double millis) {
    }

    private final BenchDatabase db;
    private final long periodNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    JdbcWriter(BenchDatabase db, int rowsPerSecond) {
        this.db = db;
        this.periodNanos = 1_000_000_000L / rowsPerSecond;
        this.thread = new Thread(this::run, "bench-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (Connection connection = db.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + BenchDatabase.TABLE
                        + " (id, chat_id, body, expires_at) VALUES (?, ?, 'written during the benchmark', ?)")) {
            long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            long next = System.nanoTime();
            while (running) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, UUID.randomUUID());
                insert.setTimestamp(3, new Timestamp(System.currentTimeMillis() + 86_400_000L));
                insert.executeUpdate();
                double millis = (System.nanoTime() - next) / 1e6;
                synchronized (samples) {
                    samples.add(new Sample((next + epochOffset) / 1_000_000L, millis));
                }
                next += periodNanos;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public double[] latencies(long fromMillis, long toMillis) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.sentMillis >= fromMillis && s.sentMillis < toMillis)
                    .mapToDouble(Sample::millis).toArray();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
