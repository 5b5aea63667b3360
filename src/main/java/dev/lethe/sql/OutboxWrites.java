package dev.lethe.sql;

import java.util.Optional;

/**
 * What a deletion of a target's rows leaves in Lethe's outbox, written by the delete statement itself: the object
 * keys of the rows' files, and an announcement of each deleted row.
 *
 * @param keyColumn a column of the row holding the object key of its file (NULL or empty: no file)
 * @param children a child table holding object keys, one row per file
 * @param announce whether every deleted row is announced on the deletion stream
 */
public record OutboxWrites(Optional<Identifier> keyColumn, Optional<ChildFiles> children, boolean announce) {

    /** Nothing: the delete statements write no outbox row. */
    public static final OutboxWrites NONE = new OutboxWrites(Optional.empty(), Optional.empty(), false);

    /**
     * Files kept in a child table; its rows go with their parent, by ON DELETE CASCADE or by Lethe's delete, and
     * their keys are captured either way.
     *
     * @param parentColumn its column holding the parent's id
     * @param keyColumn its column holding the object key
     */
    public record ChildFiles(QualifiedName table, Identifier parentColumn, Identifier keyColumn) {
    }

    public boolean hasFiles() {
        return keyColumn.isPresent() || children.isPresent();
    }

    public boolean isEmpty() {
        return !hasFiles() && !announce;
    }
}
