package dev.lethe.sweep;

import java.time.Duration;

import dev.lethe.metrics.SweepOutcome;

/** The tally of one sweep run of one target, shared by its statements in flight, and its time budget. */
final class SweepRun {

    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final SweepSettings settings;
    private final StatementSize size;
    private final RecentSpeed speed = new RecentSpeed();
    private long deleted;
    private int statements;
    private int largest;
    private long longestNanos;
    private long pagesSwept;
    private volatile boolean outOfTime;

    SweepRun(SweepSettings settings) {
        this.settings = settings;
        this.deadlineNanos = startNanos + settings.maxRunTime().toNanos();
        this.size = new StatementSize(settings.batchSize(), settings.statementTarget());
    }

    SweepSettings settings() {
        return settings;
    }

    /** How many rows the next index statement takes. */
    StatementSize size() {
        return size;
    }

    /** How the run's statements compare with its fastest recent one. */
    RecentSpeed speed() {
        return speed;
    }

    synchronized void counted(Timed statement) {
        deleted += statement.rows();
        statements++;
        largest = Math.max(largest, statement.rows());
        longestNanos = Math.max(longestNanos, statement.work().toNanos());
    }

    synchronized void pagesSwept(long pages) {
        pagesSwept += pages;
    }

    synchronized long deleted() {
        return deleted;
    }

    /** Whether the time budget is spent; once it is, the run ends after the statements in flight. */
    boolean outOfTime() {
        if (!outOfTime && System.nanoTime() >= deadlineNanos) {
            outOfTime = true;
        }
        return outOfTime;
    }

    /**
     * How long to wait before the next statement: the pause factor times the last statement's duration, scaled by
     * how busy the database is ({@link DrainPace}), or longer if the rate limit needs it.
     *
     * @param pressure from 0 (nothing else runs) to 1 (the full pause factor)
     */
    Duration pauseAfter(Timed statement, double pressure) {
        long pause = (long) (statement.work().toNanos() * settings.pauseFactor() * pressure);
        if (settings.maxRowsPerSecond().isPresent()) {
            long dueNanos = (long) (deleted() * 1e9 / settings.maxRowsPerSecond().getAsInt());
            pause = Math.max(pause, dueNanos - (System.nanoTime() - startNanos));
        }
        // Timers run at millisecond resolution: a shorter pause still pauses, for a millisecond.
        return pause > 0 ? Duration.ofMillis(Math.max(1, pause / 1_000_000)) : Duration.ZERO;
    }

    synchronized SweepResult result(String target, SweepOutcome outcome) {
        return new SweepResult(target, outcome, deleted, statements, largest, Duration.ofNanos(longestNanos),
                pagesSwept, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * One statement as the run counts it: rows deleted, and how long the server worked on it.
     *
     * @param work as {@code store.Database.Executed} measures it: never the wait for a connection, so that neither
     *        the pause after it nor the next statement's size is set by a busy pool
     */
    record Timed(int rows, Duration work) {
    }
}
