package dev.lethe.metrics;

import java.util.Locale;

/** How a sweep run of one target ended; the values of {@code lethe_sweep_runs_total{result}}. */
public enum SweepOutcome {
    /** Every due row was deleted. */
    COMPLETE,
    /** The time budget ran out with due rows left for the next run. */
    BUDGET,
    /** A statement failed; the next run tries again. */
    FAILED,
    /** The target is paused, or this instance may not sweep it now. */
    SKIPPED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
