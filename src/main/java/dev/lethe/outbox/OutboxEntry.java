package dev.lethe.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.lethe.sql.OutboxKind;

/**
 * One outbox row an instance has claimed for delivery.
 *
 * @param blobKey the object key to delete, for a {@link OutboxKind#BLOB} row
 * @param source what deleted the row: event or sweep
 * @param deletedAt when the deletion committed, by the database's clock
 */
public record OutboxEntry(long id, OutboxKind kind, String target, String rowId, Optional<String> blobKey,
        String source, Instant deletedAt) {

    public OutboxEntry {
        Objects.requireNonNull(target);
        Objects.requireNonNull(rowId);
        if ((kind == OutboxKind.BLOB) != blobKey.isPresent()) {
            throw new IllegalArgumentException("outbox row " + id + ": a blob row, and only a blob row, has a key");
        }
    }
}
