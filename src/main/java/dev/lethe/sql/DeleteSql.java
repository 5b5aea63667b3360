package dev.lethe.sql;

/**
 * One delete in the two forms Lethe sends it.
 * <p>
 * {@code first} deletes without locking its rows beforehand: PostgreSQL checks every condition again on the newest
 * version of a row another transaction changed meanwhile, and waits at most {@link #LOCK_WAIT} for a row another
 * transaction holds; past that the statement fails (SQLSTATE 55P03) and deletes nothing. It is the one sent, because
 * it spares PostgreSQL the lock it would otherwise write on each row before deleting it.
 * <p>
 * {@code skipLocked} locks the due rows it can with {@code FOR UPDATE SKIP LOCKED} and deletes those, leaving a row
 * the application holds for a later attempt: it runs only for a statement whose first form met such a row.
 */
public record DeleteSql(String first, String skipLocked) {

    /**
     * How long the first form waits for a row another transaction holds: long enough for a short write of the
     * application's to end, short enough that a batch meeting a long one is barely held up before its second form.
     */
    public static final String LOCK_WAIT = "50ms";

    /**
     * This delete sent in its skip-locked form only: for statements in flight at once that would otherwise pick the
     * same rows, where the first form would make each wait for the others.
     */
    public DeleteSql skipLockedOnly() {
        return new DeleteSql(skipLocked, skipLocked);
    }

    /** The SQLSTATE of a statement that waited {@link #LOCK_WAIT} for a row lock. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
}
