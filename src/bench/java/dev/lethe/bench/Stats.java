package dev.lethe.bench;

import java.util.Arrays;

/** Percentiles of a set of samples (nearest rank). */
record Stats(long count, double p50, double p99, double max) {

    static Stats of(double[] samples) {
        if (samples.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
