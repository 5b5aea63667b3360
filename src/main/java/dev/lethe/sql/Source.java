package dev.lethe.sql;

import java.util.Locale;

/** What made Lethe delete a row: a Redis expiry event, or its own sweep of the table. */
public enum Source {
    EVENT,
    SWEEP;

    /** The value of the {@code source} metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
