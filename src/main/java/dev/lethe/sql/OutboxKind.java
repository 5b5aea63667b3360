package dev.lethe.sql;

import java.util.Locale;

/** What an outbox row asks for once its deletion has committed. */
public enum OutboxKind {
    /** Delete the row's file from the bucket. */
    BLOB,
    /** Announce the deletion on the Redis Stream. */
    EVENT;

    /** The value of the {@code kind} column and of the {@code kind} metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
