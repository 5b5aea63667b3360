package dev.lethe.sql;

import java.util.ArrayList;
import java.util.List;
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

    /** Lethe's own outbox (db/lethe/V2__outbox.sql). */
    public static final String OUTBOX = "lethe.outbox";

    /** How far overdue a row matching the extra due condition counts: due for as long as anyone can tell. */
    static final String ALWAYS_DUE = "-1e9";

    public static TargetStatements build(String target, TableShape shape, IdType idType) {
        return build(target, shape, idType, OutboxWrites.NONE);
    }

    public static TargetStatements build(String target, TableShape shape, IdType idType, OutboxWrites outbox) {
        String ids = "$1::" + idType.sqlArrayType();
        // A paused target deletes nothing, on every replica, from the moment the pause commits. The target name
        // is one of letters, digits, '_' and '-' (TargetName), so it is safe as a literal.
        String notPaused = " AND NOT EXISTS (SELECT 1 FROM " + PAUSES + " WHERE target = '" + target + "' AND paused)";
        String deletable = shape.deletable() + notPaused;
        String deletableExpired = shape.deletableExpired() + notPaused;
        // The due test is written as a filter (IS TRUE cannot use an index): rows are found through the id index
        // whatever the statistics say about the expiry column, which go stale exactly when a backlog builds up.
        String pickByIds = shape.idColumn() + " = ANY(" + ids + ") AND (" + deletable + ") IS TRUE";
        List<String> idAndLag = List.of(shape.idColumn(), shape.lagSeconds());
        Deletion byEvent = new Deletion(shape, outbox, target, "event");
        Deletion bySweep = new Deletion(shape, outbox, target, "sweep");
        String untilDue = "EXTRACT(EPOCH FROM (" + shape.expiresColumn() + " - " + shape.now() + "))::float8";
        String inspectByIds = "SELECT " + shape.idColumn() + ", "
                + shape.alsoDueWhen().map(also -> "CASE WHEN (" + also + ") THEN " + ALWAYS_DUE + " ELSE "
                        + untilDue + " END").orElse(untilDue) + ", "
                + shape.guard().map(g -> "COALESCE((" + g + "), false)").orElse("true")
                + " FROM " + shape.table() + " WHERE " + shape.idColumn() + " = ANY(" + ids + ")";
        String sweepExpired = bySweep.sql(deletableExpired + " ORDER BY " + shape.expiresColumn() + " LIMIT $1",
                deletableExpired, List.of(shape.lagSeconds()));
        Optional<String> sweepAlsoDue = shape.deletableAlsoDue().map(condition -> condition + notPaused)
                .map(condition -> bySweep.sql(condition + " LIMIT $1", condition, List.of(shape.lagSeconds())));
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
        return new TargetStatements(tag + "event */ " + byEvent.sql(pickByIds, deletable, idAndLag),
                tag + "lookahead */ " + bySweep.sql(pickByIds, deletable, idAndLag),
                tag + "inspect */ " + inspectByIds, tag + "sweep */ " + sweepExpired,
                sweepAlsoDue.map(sql -> tag + "sweep-also-due */ " + sql), tag + "lookahead-read */ " + lookahead,
                tag + "backlog */ " + backlog, tag + "count-also-due */ " + countAlsoDue);
    }

    /**
     * The delete statements of one target and source. Each picks rows with a WHERE clause (maybe with ORDER BY and
     * LIMIT) and locks them, then deletes them.
     * <p>
     * The pick checks its conditions on the newest version of each row as it locks it, and nothing can change a row
     * this statement holds locked, so deleting the picked rows by their address is exactly deleting due rows. The
     * delete repeats no condition on purpose: a repeated expiry test would offer the planner the expiry index as a
     * way in, and with stale statistics it takes it and walks the whole backlog for every batch. A partitioned table
     * has no unique address; there rows are found again by id and every condition is checked again.
     * <p>
     * Where the target has files or deletions are announced, the same statement writes the outbox: data-modifying
     * CTEs run to completion in the statement's one transaction, so a committed deletion always leaves its outbox
     * rows, and a rolled-back one none. A child table's keys are read as its rows are deleted here, before an ON
     * DELETE CASCADE (which runs at the end of the statement) could take them away.
     */
    private record Deletion(TableShape shape, OutboxWrites outbox, String target, String source) {

        String sql(String pick, String recheck, List<String> returning) {
            String locator = shape.locator();
            String delete = "DELETE FROM " + shape.table()
                    + " WHERE " + locator + " = ANY(ARRAY(SELECT " + locator + " FROM picked))"
                    + (shape.partitioned() ? " AND " + recheck : "");
            String picked = "WITH picked AS (SELECT " + locator + " FROM " + shape.table() + " WHERE " + pick
                    + " FOR UPDATE SKIP LOCKED)";
            if (outbox.isEmpty()) {
                return picked + " " + delete + " RETURNING " + String.join(", ", returning);
            }
            List<String> columns = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < returning.size(); i++) {
                columns.add(returning.get(i) + " AS r" + i);
                names.add("r" + i);
            }
            columns.add(shape.idColumn() + " AS row_id");
            outbox.keyColumn().ifPresent(column -> columns.add(column + " AS blob_key"));
            StringBuilder sql = new StringBuilder(picked)
                    .append(", deleted AS (").append(delete).append(" RETURNING ").append(String.join(", ", columns))
                    .append(")");
            List<String> rows = new ArrayList<>();
            outbox.keyColumn().ifPresent(column -> rows.add(files("deleted")));
            outbox.children().ifPresent(children -> {
                sql.append(", children AS (DELETE FROM ").append(children.table()).append(" WHERE ")
                        .append(children.parentColumn()).append(" = ANY(ARRAY(SELECT row_id FROM deleted)) RETURNING ")
                        .append(children.parentColumn()).append(" AS row_id, ").append(children.keyColumn())
                        .append(" AS blob_key)");
                rows.add(files("children"));
            });
            if (outbox.announce()) {
                rows.add("SELECT '" + OutboxKind.EVENT.label() + "', '" + target + "', row_id::text, NULL, '" + source
                        + "' FROM deleted");
            }
            return sql.append(", outboxed AS (INSERT INTO ").append(OUTBOX)
                    .append(" (kind, target, row_id, blob_key, source) ").append(String.join(" UNION ALL ", rows))
                    .append(") SELECT ").append(String.join(", ", names)).append(" FROM deleted").toString();
        }

        /** Outbox rows for the object keys a CTE returned; an empty key means no file, like NULL. */
        private String files(String from) {
            return "SELECT '" + OutboxKind.BLOB.label() + "', '" + target + "', row_id::text, blob_key::text, '"
                    + source + "' FROM " + from + " WHERE blob_key IS NOT NULL AND blob_key::text <> ''";
        }
    }
}
