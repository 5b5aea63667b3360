package dev.lethe.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of one target, built once at startup from its resolved shape, and written out whole in
 * src/test/resources/sql/ for three shapes. Ids and limits always travel as bind parameters; only quoted identifiers
 * and trusted predicates from configuration are part of the text. Each statement opens with a comment naming the
 * target and what it is for ({@code /* lethe:message:event *}{@code /}), so that pg_stat_activity and
 * pg_stat_statements tell Lethe's event path, look-ahead and sweep apart.
 * <p>
 * Every delete comes in two forms ({@link DeleteSql}): the one sent deletes without locking first and waits at most
 * {@link DeleteSql#LOCK_WAIT} for a row another transaction holds; the other, sent only for a statement the first
 * could not finish, picks its rows with {@code FOR UPDATE SKIP LOCKED}, so that a row held by the application's own
 * transaction is left for later instead of stalling the statement. In both, a row is only ever deleted when the
 * database says it is due at that moment.
 *
 * @param deleteEventIds deletes those of {@code $1} that are due and allowed; returns id and lag in seconds
 * @param deleteLookaheadIds the same, for ids the look-ahead handed over
 * @param inspectByIds for ids that were not deleted: seconds until due (null when the expiry is NULL, far negative
 *        when the extra due condition holds), and whether the guard allows deletion
 * @param sweepExpired deletes up to {@code $1} expired rows, oldest first, through the expiry index; returns lag
 * @param sweepExpiredInPages deletes up to {@code $3} expired rows stored in heap pages {@code $1} (included) to
 *        {@code $2} (excluded), by a TID range scan; in a partitioned table, in those pages of every partition;
 *        returns lag
 * @param tableSize estimated rows and the size in pages of the largest heap (of the partitions, for a partitioned
 *        table) of the table whose quoted name is {@code $1}
 * @param sweepAlsoDue deletes up to {@code $1} rows matching the extra due condition; returns lag
 * @param lookaheadSnapshot the oldest transaction the database's snapshot still sees running, and the end of the
 *        look-ahead window of {@code $1} milliseconds, on the expiry column's clock: what the next read may skip
 * @param lookahead ids and seconds until due of up to {@code $2} rows expiring within {@code $1} milliseconds; of
 *        those expiring before {@code $3}, only rows written by transaction {@code $4} or later (rows an earlier read
 *        could not see); {@code $4 = 2} reads them all
 * @param backlog count (up to {@code $1}) and age in seconds of the oldest of the expired rows the guard allows
 * @param countAlsoDue count (up to {@code $1}) of rows due only by the extra due condition, for a dry run
 */
public record TargetStatements(DeleteSql deleteEventIds, DeleteSql deleteLookaheadIds, String inspectByIds,
        DeleteSql sweepExpired, DeleteSql sweepExpiredInPages, Optional<DeleteSql> sweepAlsoDue,
        String lookaheadSnapshot, String lookahead, String backlog, String countAlsoDue, String tableSize) {

    /** Every statement of the target, by name, in one order: what startup prepares and the golden files show. */
    public Map<String, String> all() {
        Map<String, String> statements = new java.util.LinkedHashMap<>();
        put(statements, "deleteEventIds", deleteEventIds);
        put(statements, "deleteLookaheadIds", deleteLookaheadIds);
        statements.put("inspectByIds", inspectByIds);
        put(statements, "sweepExpired", sweepExpired);
        put(statements, "sweepExpiredInPages", sweepExpiredInPages);
        sweepAlsoDue.ifPresent(statement -> put(statements, "sweepAlsoDue", statement));
        statements.put("lookaheadSnapshot", lookaheadSnapshot);
        statements.put("lookahead", lookahead);
        statements.put("backlog", backlog);
        statements.put("countAlsoDue", countAlsoDue);
        statements.put("tableSize", tableSize);
        return statements;
    }

    private static void put(Map<String, String> statements, String name, DeleteSql delete) {
        statements.put(name, delete.first());
        statements.put(name + "SkipLocked", delete.skipLocked());
    }

    /** How far overdue a row matching the extra due condition counts: due for as long as anyone can tell. */
    static final String ALWAYS_DUE = "-1e9";

    /**
     * Skipping locked rows, the pick checks its conditions on the newest version of each row as it locks it, and
     * nothing can change a row this statement holds locked, so deleting the picked rows by their address is exactly
     * deleting due rows; that delete repeats no condition. A partitioned table has no unique address; there rows are
     * found again by id and every condition is checked again.
     * <p>
     * Without locking first, a picked row may change before the delete reaches it. PostgreSQL then checks the
     * delete's conditions on the row's newest version, except a match by address (a TID scan takes it as matching,
     * nodeTidscan.c's TidRecheck), so the delete repeats every condition.
     */
    private static final String PICKED = """
            picked AS (
              SELECT {locator} FROM {table}
              WHERE {pick}{skipLocked})""";

    private static final String DELETE = """
            DELETE FROM {table}
            WHERE {where}
            RETURNING {returning}""";

    /**
     * The first form's bound on waiting for a row another transaction holds, for this statement's transaction only
     * (one of its own outside a transaction block). As an uncorrelated subquery it runs once, before the delete reads
     * a row: the plan's one-time filter.
     */
    private static final String WAIT_AT_MOST = "(SELECT set_config('lock_timeout', '" + DeleteSql.LOCK_WAIT
            + "', true)) IS NOT NULL";

    /**
     * A child table's keys are read as its rows are deleted here, before an ON DELETE CASCADE (which runs at the end
     * of the statement) could take them away.
     */
    private static final String CHILDREN = """
            children AS (
              DELETE FROM {childTable}
              WHERE {parentColumn} = ANY(ARRAY(SELECT row_id FROM deleted))
              RETURNING {parentColumn} AS row_id, {childKeyColumn} AS blob_key)""";

    /** Data-modifying CTEs run to completion in the statement's one transaction, with the delete or not at all. */
    private static final String OUTBOXED = """
            outboxed AS (
              INSERT INTO {outbox} (kind, target, row_id, blob_key, source)
              {rows})""";

    private static final String FILES = "SELECT '{kind}', '{target}', row_id::text, blob_key::text, '{source}'"
            + " FROM {from} WHERE blob_key IS NOT NULL AND blob_key::text <> ''";

    private static final String ANNOUNCEMENTS = "SELECT '{kind}', '{target}', row_id::text, NULL, '{source}'"
            + " FROM deleted";

    private static final String INSPECT = """
            SELECT {id}, {dueIn}, {allowed}
            FROM {table}
            WHERE {id} = ANY({ids})""";

    /**
     * Any row the previous read could not see was written by a transaction no older than the oldest one that read's
     * snapshot saw running, and this snapshot is taken before the read, so it is older still: a safe bound.
     */
    private static final String LOOKAHEAD_SNAPSHOT = """
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text, {now} + $1::int8 * interval '1 millisecond'""";

    /**
     * Read once per interval over a window five intervals long, most rows would be read five times. Rows expiring
     * within the part of the window the previous read covered are read again only when written since (by their
     * xmin, compared by age so that transaction ids wrapping around do not matter).
     */
    private static final String LOOKAHEAD = """
            SELECT {id}, {untilDue}
            FROM {table}
            WHERE {expires} > {now}
              AND {expires} <= {now} + $1::int8 * interval '1 millisecond'
              AND ({expires} >= $3 OR age(xmin) <= age($4::text::xid))
            ORDER BY {expires} LIMIT $2""";

    /** The backlog stays visible while a target is paused: it counts due rows, not deletable ones. */
    private static final String BACKLOG = """
            SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM ({now} - min(due.e)))::float8, 0)
            FROM (SELECT {expires} AS e FROM {table}
                  WHERE {expiredAndAllowed}
                  ORDER BY {expires} LIMIT $1) due""";

    private static final String COUNT_ALSO_DUE = """
            SELECT count(*)::int8
            FROM (SELECT 1 FROM {table}
                  WHERE {alsoDueAndAllowed}
                    AND NOT COALESCE({expired}, false)
                  LIMIT $1) due""";

    /** A range of heap pages, as a TID range scan reads it (PostgreSQL 14 and later). */
    private static final String IN_PAGES = """
            ctid >= format('(%s,0)', $1::int8)::tid
                AND ctid < format('(%s,0)', $2::int8)::tid""";

    /**
     * The planner's row estimate and the heap's size now. The table's name travels as a parameter, read as a
     * regclass, so that it needs no quoting inside a string literal.
     */
    private static final String TABLE_SIZE = """
            SELECT COALESCE(sum(GREATEST(c.reltuples, 0)), 0)::float8,
                   COALESCE(max(pg_relation_size(c.oid)), 0) / current_setting('block_size')::int8
            FROM pg_class c
            WHERE c.relkind IN ('r', 'm')
              AND (c.oid = $1::text::regclass
                   OR c.oid IN (SELECT relid FROM pg_partition_tree($1::text::regclass)))""";

    private static final String COUNT_NOTHING = "SELECT 0::int8 WHERE $1::int4 IS NOT NULL";

    public static TargetStatements build(String target, TableShape shape, IdType idType) {
        return build(target, shape, idType, OutboxWrites.NONE);
    }

    public static TargetStatements build(String target, TableShape shape, IdType idType, OutboxWrites outbox) {
        return new Builder(target, shape, idType, outbox).build();
    }

    private record Builder(String target, TableShape shape, IdType idType, OutboxWrites outbox) {

        TargetStatements build() {
            String ids = "$1::" + idType.sqlArrayType();
            // The due test is written as a filter (IS TRUE cannot use an index): rows are found through the id index
            // whatever the statistics say about the expiry column, which go stale exactly when a backlog builds up.
            String pickByIds = shape.idColumn() + " = ANY(" + ids + ")\n    AND ("
                    + and(deletable(shape.due()), "         ") + ") IS TRUE";
            List<String> idAndLag = List.of(shape.idColumn().sql(), shape.lagSeconds());
            List<String> lag = List.of(shape.lagSeconds());
            String dueIn = shape.alsoDueWhen()
                    .map(also -> "CASE WHEN " + also.sql() + " THEN " + ALWAYS_DUE + " ELSE " + shape.secondsUntilDue()
                            + " END")
                    .orElse(shape.secondsUntilDue());
            Map<String, String> common = Map.of("table", shape.table().sql(), "id", shape.idColumn().sql(),
                    "expires", shape.expiresColumn().sql(), "now", shape.now(), "ids", ids, "dueIn", dueIn,
                    "untilDue", shape.secondsUntilDue(),
                    "allowed", shape.guard().map(g -> "COALESCE(" + g.sql() + ", false)").orElse("true"),
                    "expired", shape.expired(),
                    "expiredAndAllowed", and(allowed(shape.expired()), "        "));
            DeleteSql sweepExpired = delete("sweep", Source.SWEEP, and(deletable(shape.expired()), "    ")
                    + "\n  ORDER BY " + shape.expiresColumn() + " LIMIT $1", deletable(shape.expired()), lag);
            DeleteSql sweepInPages = delete("sweep-pages", Source.SWEEP, IN_PAGES + "\n    AND "
                    + and(deletable(shape.expired()), "    ") + "\n  LIMIT $3", deletable(shape.expired()), lag);
            Optional<DeleteSql> sweepAlsoDue = shape.alsoDueWhen().map(Predicate::sql).map(alsoDue -> delete(
                    "sweep-also-due", Source.SWEEP, and(deletable(alsoDue), "    ") + "\n  LIMIT $1",
                    deletable(alsoDue), lag));
            String countAlsoDue = shape.alsoDueWhen()
                    .map(also -> SqlTemplate.fill(COUNT_ALSO_DUE, with(common, "alsoDueAndAllowed",
                            and(allowed(also.sql()), "        "))))
                    .orElse(COUNT_NOTHING);
            return new TargetStatements(
                    byIds("event", Source.EVENT, pickByIds, idAndLag),
                    byIds("lookahead", Source.SWEEP, pickByIds, idAndLag),
                    tag("inspect") + SqlTemplate.fill(INSPECT, common),
                    sweepExpired,
                    sweepInPages,
                    sweepAlsoDue,
                    tag("lookahead-snapshot") + SqlTemplate.fill(LOOKAHEAD_SNAPSHOT, common),
                    tag("lookahead-read") + SqlTemplate.fill(LOOKAHEAD, common),
                    tag("backlog") + SqlTemplate.fill(BACKLOG, common),
                    tag("count-also-due") + countAlsoDue,
                    tag("table-size") + TABLE_SIZE);
        }

        private String tag(String purpose) {
            return "/* lethe:" + target + ":" + purpose + " */\n";
        }

        /**
         * A delete of the ids of {@code $1} that {@code pickByIds} finds due: the first form one DELETE, the other
         * picking them first, locked.
         */
        private DeleteSql byIds(String purpose, Source source, String pickByIds, List<String> returning) {
            return new DeleteSql(tag(purpose) + delete(source, List.of(), pickByIds + "\n  AND " + WAIT_AT_MOST,
                    returning),
                    tag(purpose + "-skip-locked") + skipLocked(source, pickByIds, deletable(shape.due()), returning));
        }

        /**
         * A delete of the rows {@code pick} selects ({@code conditions} among what it checks), in both forms: the
         * first picks without locking and checks every condition again as it deletes.
         */
        private DeleteSql delete(String purpose, Source source, String pick, List<String> conditions,
                List<String> returning) {
            String locator = shape.locator();
            String picked = SqlTemplate.fill(PICKED, Map.of("table", shape.table().sql(), "locator", locator,
                    "pick", pick, "skipLocked", ""));
            String first = locator + " = ANY(ARRAY(SELECT " + locator + " FROM picked))\n  AND ("
                    + and(conditions, "       ") + ") IS TRUE\n  AND " + WAIT_AT_MOST;
            return new DeleteSql(tag(purpose) + delete(source, List.of(picked), first, returning),
                    tag(purpose + "-skip-locked") + skipLocked(source, pick, conditions, returning));
        }

        private String skipLocked(Source source, String pick, List<String> conditions, List<String> returning) {
            String locator = shape.locator();
            String picked = SqlTemplate.fill(PICKED, Map.of("table", shape.table().sql(), "locator", locator,
                    "pick", pick, "skipLocked", "\n  FOR UPDATE SKIP LOCKED"));
            String where = locator + " = ANY(ARRAY(SELECT " + locator + " FROM picked))"
                    + (shape.partitioned() ? "\n  AND " + and(conditions, "  ") : "");
            return delete(source, List.of(picked), where, returning);
        }

        /**
         * A DELETE of the rows {@code where} selects, after {@code ctes}, returning {@code returning}; where the target
         * has files or deletions are announced, the same statement writes the outbox.
         */
        private String delete(Source source, List<String> ctes, String where, List<String> returning) {
            Map<String, String> values = Map.of("table", shape.table().sql(), "where", where);
            if (outbox.isEmpty()) {
                return (ctes.isEmpty() ? "" : "WITH " + String.join(",\n", ctes) + "\n")
                        + SqlTemplate.fill(DELETE, with(values, "returning", String.join(", ", returning)));
            }
            List<String> columns = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < returning.size(); i++) {
                columns.add(returning.get(i) + " AS r" + i);
                names.add("r" + i);
            }
            columns.add(shape.idColumn() + " AS row_id");
            outbox.keyColumn().ifPresent(column -> columns.add(column + " AS blob_key"));
            List<String> all = new ArrayList<>(ctes);
            all.add("deleted AS (\n" + indent(SqlTemplate.fill(DELETE, with(values, "returning",
                    String.join(", ", columns)))) + ")");
            List<String> rows = new ArrayList<>();
            outbox.keyColumn().ifPresent(column -> rows.add(outboxRow(FILES, OutboxKind.BLOB, source, "deleted")));
            outbox.children().ifPresent(children -> {
                all.add(SqlTemplate.fill(CHILDREN, Map.of("childTable", children.table().sql(),
                        "parentColumn", children.parentColumn().sql(), "childKeyColumn", children.keyColumn().sql())));
                rows.add(outboxRow(FILES, OutboxKind.BLOB, source, "children"));
            });
            if (outbox.announce()) {
                rows.add(outboxRow(ANNOUNCEMENTS, OutboxKind.EVENT, source, "deleted"));
            }
            all.add(SqlTemplate.fill(OUTBOXED, Map.of("outbox", LetheSchema.OUTBOX,
                    "rows", String.join("\n  UNION ALL\n  ", rows))));
            return "WITH " + String.join(",\n", all) + "\nSELECT " + String.join(", ", names) + " FROM deleted";
        }

        private String outboxRow(String template, OutboxKind kind, Source source, String from) {
            // The target name is one of letters, digits, '_' and '-' (TargetName), so it is safe as a literal.
            return SqlTemplate.fill(template, Map.of("kind", kind.label(), "target", target, "source", source.label(),
                    "from", from));
        }

        /** A paused target deletes nothing, on every replica, from the moment its pause commits. */
        private String notPaused() {
            return "NOT EXISTS (SELECT 1 FROM " + LetheSchema.TARGET_STATE + " WHERE target = '" + target
                    + "' AND paused)";
        }

        private List<String> allowed(String condition) {
            List<String> all = new ArrayList<>();
            all.add(condition);
            shape.guard().ifPresent(guard -> all.add(guard.sql()));
            return all;
        }

        private List<String> deletable(String condition) {
            List<String> all = allowed(condition);
            all.add(notPaused());
            return all;
        }

        private static String and(List<String> conditions, String indent) {
            return String.join("\n" + indent + "AND ", conditions);
        }

        private static String indent(String lines) {
            return "  " + lines.replace("\n", "\n  ");
        }

        private static Map<String, String> with(Map<String, String> values, String key, String value) {
            Map<String, String> all = new java.util.HashMap<>(values);
            all.put(key, value);
            return all;
        }
    }
}
