package dev.lethe.target;

import java.util.Optional;

/**
 * The SQL of one target, built once at startup from its resolved shape. Ids and limits always travel as bind
 * parameters; only quoted identifiers and trusted predicates from configuration are part of the text. Each
 * statement opens with a comment naming the target and what it is for ({@code /* lethe:message:event *}{@code /}),
 * so that pg_stat_activity and pg_stat_statements tell Lethe's event path, look-ahead and sweep apart.
 * <p>
 * Every delete picks its rows with {@code FOR UPDATE SKIP LOCKED} and checks them again as it deletes: a row held by
 * the application's own transaction, or by another Lethe instance, is left for later instead of stalling the
 * statement, and a row is only ever deleted when the database says it is due at that moment.
 *
 * @param deleteEventIds deletes those of {@code $1} that are due and allowed; returns id and lag in seconds
 * @param deleteDueIds the same, for ids the look-ahead handed over
 * @param inspectByIds for ids that were not deleted: seconds until due (null when the expiry is NULL, far negative
 *        when the extra due condition holds), and whether the guard allows deletion
 * @param sweepExpired deletes up to {@code $1} expired rows, oldest first, through the expiry index; returns lag
 * @param sweepAlsoDue deletes up to {@code $1} rows matching the extra due condition; returns lag
 * @param lookahead ids and seconds until due of up to {@code $2} rows expiring within {@code $1} milliseconds
 * @param backlog count (up to {@code $1}) and age in seconds of the oldest of the expired rows the guard allows
 * @param countAlsoDue count (up to {@code $1}) of rows due only by the extra due condition, for a dry run
 */
public record TargetStatements(String deleteEventIds, String deleteDueIds, String inspectByIds, String sweepExpired,
        Optional<String> sweepAlsoDue, String lookahead, String backlog, String countAlsoDue) {

    /** Lethe's own table of paused targets (db/lethe/V1__admin.sql). */
    public static final String PAUSES = "lethe.target_state";

    /** How far overdue a row matching the extra due condition counts: due for as long as anyone can tell. */
    static final String ALWAYS_DUE = "-1e9";

    public static TargetStatements build(String target, TableShape shape, IdType idType) {
        String ids = "$1::" + idType.sqlArrayType();
        // A paused target deletes nothing, on every replica, from the moment the pause commits. The target name
        // is one of letters, digits, '_' and '-' (TargetName), so it is safe as a literal.
        String notPaused = " AND NOT EXISTS (SELECT 1 FROM " + PAUSES + " WHERE target = '" + target + "' AND paused)";
        String deletable = shape.deletable() + notPaused;
        String deletableExpired = shape.deletableExpired() + notPaused;
        // The due test is written as a filter (IS TRUE cannot use an index): rows are found through the id index
        // whatever the statistics say about the expiry column, which go stale exactly when a backlog builds up.
        String deleteByIds = delete(shape, shape.idColumn() + " = ANY(" + ids + ") AND (" + deletable + ") IS TRUE",
                deletable, shape.idColumn() + ", " + shape.lagSeconds());
        String untilDue = "EXTRACT(EPOCH FROM (" + shape.expiresColumn() + " - " + shape.now() + "))::float8";
        String inspectByIds = "SELECT " + shape.idColumn() + ", "
                + shape.alsoDueWhen().map(also -> "CASE WHEN (" + also + ") THEN " + ALWAYS_DUE + " ELSE "
                        + untilDue + " END").orElse(untilDue) + ", "
                + shape.guard().map(g -> "COALESCE((" + g + "), false)").orElse("true")
                + " FROM " + shape.table() + " WHERE " + shape.idColumn() + " = ANY(" + ids + ")";
        String sweepExpired = delete(shape,
                deletableExpired + " ORDER BY " + shape.expiresColumn() + " LIMIT $1",
                deletableExpired, shape.lagSeconds());
        Optional<String> sweepAlsoDue = shape.deletableAlsoDue().map(condition -> condition + notPaused)
                .map(condition -> delete(shape, condition + " LIMIT $1", condition, shape.lagSeconds()));
        String lookahead = "SELECT " + shape.idColumn() + ", " + untilDue + " FROM " + shape.table()
                + " WHERE " + shape.expiresColumn() + " > " + shape.now()
                + " AND " + shape.expiresColumn() + " <= " + shape.now() + " + $1::int8 * interval '1 millisecond'"
                + " ORDER BY " + shape.expiresColumn() + " LIMIT $2";
        // The backlog stays visible while a target is paused: it counts due rows, not deletable ones.
        String backlog = "SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM (" + shape.now() + " - min(due.e)))"
                + "::float8, 0) FROM (SELECT " + shape.expiresColumn() + " AS e FROM " + shape.table()
                + " WHERE " + shape.deletableExpired() + " ORDER BY " + shape.expiresColumn() + " LIMIT $1) due";
        String countAlsoDue = shape.deletableAlsoDue()
                .map(condition -> "SELECT count(*)::int8 FROM (SELECT 1 FROM " + shape.table() + " WHERE " + condition
                        + " AND NOT COALESCE(" + shape.expired() + ", false) LIMIT $1) due")
                .orElse("SELECT 0::int8 WHERE $1::int4 IS NOT NULL");
        String tag = "/* lethe:" + target + ":";
        return new TargetStatements(tag + "event */ " + deleteByIds, tag + "lookahead */ " + deleteByIds,
                tag + "inspect */ " + inspectByIds, tag + "sweep */ " + sweepExpired,
                sweepAlsoDue.map(sql -> tag + "sweep-also-due */ " + sql), tag + "lookahead-read */ " + lookahead,
                tag + "backlog */ " + backlog, tag + "count-also-due */ " + countAlsoDue);
    }

    /**
     * Picks rows with {@code pick} (a WHERE clause, maybe with ORDER BY and LIMIT) and locks them, then deletes them.
     * <p>
     * The pick checks its conditions on the newest version of each row as it locks it, and nothing can change a row
     * this statement holds locked, so deleting the picked rows by their address is exactly deleting due rows. The
     * delete repeats no condition on purpose: a repeated expiry test would offer the planner the expiry index as a
     * way in, and with stale statistics it takes it and walks the whole backlog for every batch. A partitioned table
     * has no unique address; there rows are found again by id and every condition is checked again.
     */
    private static String delete(TableShape shape, String pick, String recheck, String returning) {
        String locator = shape.locator();
        return "WITH picked AS (SELECT " + locator + " FROM " + shape.table() + " WHERE " + pick
                + " FOR UPDATE SKIP LOCKED)"
                + " DELETE FROM " + shape.table()
                + " WHERE " + locator + " = ANY(ARRAY(SELECT " + locator + " FROM picked))"
                + (shape.partitioned() ? " AND " + recheck : "")
                + " RETURNING " + returning;
    }
}
