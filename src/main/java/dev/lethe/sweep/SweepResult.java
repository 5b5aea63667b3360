package dev.lethe.sweep;

import java.time.Duration;
import java.util.Locale;

/**
 * What one sweep run of one target did.
 *
 * @param largestBatch rows deleted by the largest single statement
 * @param longestBatch the longest single statement, i.e. the longest any row lock was held
 */
public record SweepResult(String target, Outcome outcome, long deleted, int batches, int largestBatch,
        Duration longestBatch, Duration duration) {

    public enum Outcome {
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

    public SweepResult {
        if (deleted < 0 || batches < 0 || largestBatch < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }

    public static SweepResult skipped(String target) {
        return new SweepResult(target, Outcome.SKIPPED, 0, 0, 0, Duration.ZERO, Duration.ZERO);
    }
}
