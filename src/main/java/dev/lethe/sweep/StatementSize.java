package dev.lethe.sweep;

import java.time.Duration;

/**
 * How many rows the next sweep statement of a run takes, so that each statement, and so each transaction holding
 * row locks, lasts about the target time: proportionally fewer rows after a slow statement, at most twice as many
 * after a fast one, never more than the batch size. Rows cost what their table makes them cost (width, indexes,
 * child rows, the outbox), so the size follows what the database measures instead of a hand-tuned constant. A run
 * starts small and doubles up, so that not even its first statement holds thousands of locks on a slow table.
 */
final class StatementSize {

    /** Rows of a run's first statement, unless the batch size is smaller. */
    static final int FIRST = 1000;

    /**
     * The fewest rows a statement takes, unless the batch size is smaller: where a statement's time is mostly fixed
     * cost (a scan of an unindexed child table, a wait for a connection), fewer rows would not make it shorter, only
     * the drain slower.
     */
    static final int FLOOR = 100;

    private final int max;
    private final int min;
    private final long targetNanos;
    private int next;

    /** @param max the batch size; {@link SweepSettings} checks that both are positive */
    StatementSize(int max, Duration target) {
        this.max = max;
        this.min = Math.min(max, FLOOR);
        this.targetNanos = target.toNanos();
        this.next = Math.min(max, FIRST);
    }

    synchronized int next() {
        return next;
    }

    /** A full statement of {@code rows} took {@code nanos}. */
    synchronized void took(int rows, long nanos) {
        double ideal = rows * (double) targetNanos / Math.max(1, nanos);
        next = (int) Math.max(min, Math.min(max, Math.min(2.0 * rows, ideal)));
    }
}
