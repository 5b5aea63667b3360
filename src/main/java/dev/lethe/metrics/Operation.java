package dev.lethe.metrics;

import java.util.Locale;

/** What Lethe was doing when a statement failed; the values of {@code lethe_database_errors_total{operation}}. */
public enum Operation {
    DELETE,
    INSPECT,
    SWEEP,
    LOOKAHEAD,
    BACKLOG;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
