package dev.lethe.ingest;

import java.util.Objects;

import dev.lethe.sql.Target;

/**
 * A key that named a configured target and carried a well-formed id.
 *
 * @param id the id as a bind value of the target's id type
 */
public record ExpiryKey(Target target, Object id) {

    public ExpiryKey {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(id, "id");
    }
}
