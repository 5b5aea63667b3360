package dev.lethe.metrics;

import java.util.Locale;

/** Why an admin call was refused; the values of {@code lethe_admin_auth_failures_total{result}}. */
public enum AuthFailure {
    /** No valid key. */
    REJECTED,
    /** Too many failures from the client this minute. */
    LIMITED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
