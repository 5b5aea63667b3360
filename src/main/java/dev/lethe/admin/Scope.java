package dev.lethe.admin;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. A dashboard that only reads holds {@code read}; whoever may delete, pause and resume holds
 * {@code operate}; managing keys is {@code keys}, the only scope of the bootstrap key.
 */
public enum Scope {
    /** The GET calls: targets, their backlog and state. */
    READ,
    /** Sweeps on demand, pause and resume. */
    OPERATE,
    /** Creating, listing and revoking keys. */
    KEYS;

    /** As the API and lethe.api_keys.scopes write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope a label names, exactly as written: {@code read}, {@code operate} or {@code keys}. */
    public static Optional<Scope> of(String label) {
        return Arrays.stream(values()).filter(scope -> scope.label().equals(label)).findFirst();
    }
}
