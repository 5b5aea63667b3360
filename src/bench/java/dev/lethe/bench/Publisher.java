package dev.lethe.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The chat backend's writes: rows and their keys at a steady rate, each due a fixed lead after it is written. */
final class Publisher {

    static final String PREFIX = "lethe:message:";
    private static final int TICKS_PER_SECOND = 100;

    private Publisher() {
    }

    /**
     * Writes rows and publishes their keys at {@code rate} per second, each due {@code lead} seconds later, for
     * {@code millis} or until {@code stop} says so; returns how many it published.
     */
    static long publish(BenchDatabase db, BenchRedis redis, int rate, int lead, BooleanSupplier stop, long millis)
            throws Exception {
        long published = 0;
        long tickNanos = 1_000_000_000L / TICKS_PER_SECOND;
        int perTick = rate / TICKS_PER_SECOND;
        long ticks = millis * TICKS_PER_SECOND / 1000;
        try (Connection connection = db.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + BenchDatabase.TABLE + " (id, chat_id, body, expires_at) VALUES (?, ?, ?, ?)")) {
            long start = System.nanoTime();
            for (long tick = 0; tick < ticks && !stop.getAsBoolean(); tick++) {
                long due = start + tick * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long expiresAt = System.currentTimeMillis() + lead * 1000L;
                List<String> keys = new ArrayList<>(perTick);
                for (int i = 0; i < perTick; i++) {
                    UUID id = UUID.randomUUID();
                    insert.setObject(1, id);
                    insert.setObject(2, UUID.randomUUID());
                    insert.setString(3, "a disappearing message");
                    insert.setTimestamp(4, new Timestamp(expiresAt));
                    insert.addBatch();
                    keys.add(PREFIX + id);
                }
                insert.executeBatch();
                redis.setAt(keys, expiresAt);
                published += perTick;
            }
        }
        return published;
    }
}
