package dev.lethe.metrics;

import java.util.Locale;

/** What became of one expiry event; the values of {@code lethe_events_total{outcome}}. */
public enum EventOutcome {
    /** The row was due and deleted. */
    DELETED,
    /** No row has that id (already deleted, or never written). */
    ABSENT,
    /** The row exists but may not be deleted: not due, expiry cleared, or held by the guard. */
    NOT_DUE,
    /** The key names an unknown target, carries a malformed id, or is too long. */
    INVALID,
    /** The key does not carry Lethe's prefix; Redis is shared with other applications. */
    IGNORED,
    /** Lethe could not act on it (full buffer, database unreachable, target paused); the sweep deletes the row. */
    DROPPED,
    /**
     * Its statement ran out of time on the server (a slow guard, a table the application holds locked): the sweep
     * deletes the row, and a target where that keeps happening shows in lethe_target_failing_seconds.
     */
    LEFT_TO_SWEEP,
    /** Another replica owns the target and acts on the event (every replica receives every event). */
    DELEGATED,
    /**
     * No instance owned the target as far as this one knew: it could not reach PostgreSQL to renew its leases, or
     * the target was between owners. The sweep of its next owner deletes the row.
     */
    NO_OWNER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
