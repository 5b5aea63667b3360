package dev.lethe.sweep;

import java.time.Duration;

import dev.lethe.metrics.SweepOutcome;

/**
 * What one sweep run of one target did.
 *
 * @param largestBatch rows deleted by the largest single statement
 * @param longestBatch the longest single statement, i.e. the longest any row lock was held
 * @param pagesSwept heap pages the run read in heap order; 0 when the index served alone
 */
public record SweepResult(String target, SweepOutcome outcome, long deleted, int batches, int largestBatch,
        Duration longestBatch, long pagesSwept, Duration duration) {

    public SweepResult {
        if (deleted < 0 || batches < 0 || largestBatch < 0 || pagesSwept < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }

    public static SweepResult skipped(String target) {
        return new SweepResult(target, SweepOutcome.SKIPPED, 0, 0, 0, Duration.ZERO, 0, Duration.ZERO);
    }
}
