package dev.lethe.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every statement Lethe sends that is not a target's own ({@link TargetStatements} has those): on its own schema
 * (leases, pauses, API keys, the outbox, migrations) and on PostgreSQL's catalog. Written here, whole, so that a reader
 * looking for SQL opens one folder; {@link #all()} lists them in one order, which startup prepares and the golden file
 * src/test/resources/sql/lethe.sql shows. Besides these, each runs in a transaction of its own that
 * {@code store.Database} gives its settings (made once per connection, or with SET LOCAL behind a transaction
 * pooler), and the scripts of db/lethe/ make the schema.
 */
public final class LetheStatements {

    /** Whether PostgreSQL answers, at startup, and on each connection Lethe opens there. */
    public static final String PROBE = "SELECT 1";

    /** The server session a connection is in: three transactions in different ones reveal a transaction pooler. */
    public static final String BACKEND_PID = "SELECT pg_backend_pid()";

    /** Whether PostgreSQL knows a time zone by the name {@code $1}. */
    public static final String TIME_ZONE_CHECK = "SELECT now() AT TIME ZONE $1";

    /**
     * A table or partitioned table by name, found through the search path when unqualified, and whether Lethe may
     * delete its rows: read them, lock them (FOR UPDATE needs UPDATE on at least one column) and delete them.
     */
    public static final String CATALOG_RELATION = """
            SELECT c.oid::int8, n.nspname::text, c.relname::text,
                   has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'DELETE')
                     AND has_any_column_privilege(c.oid, 'UPDATE'),
                   c.relkind = 'p'
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')""";

    /** Columns of a table by name, with their base type (looking through domains). */
    public static final String CATALOG_COLUMNS = """
            SELECT a.attname::text, COALESCE(b.typname, t.typname)::text, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
              JOIN pg_type t ON t.oid = a.atttypid
              LEFT JOIN pg_type b ON b.oid = t.typbasetype
            WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attname = ANY($2::text[])""";

    /** The first column of each valid index of a table. */
    public static final String CATALOG_LEADING_INDEX_COLUMNS = """
            SELECT DISTINCT a.attname::text
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = $1::int8::oid AND i.indisvalid""";

    /** The predicates of a table's valid partial indexes. */
    public static final String CATALOG_PARTIAL_INDEX_PREDICATES = """
            SELECT pg_get_expr(i.indpred, i.indrelid)
            FROM pg_index i
            WHERE i.indrelid = $1::int8::oid AND i.indisvalid AND i.indpred IS NOT NULL""";

    /** Whether Lethe's schema has been created. */
    public static final String SCHEMA_EXISTS = LetheSchema.sql("SELECT to_regclass('{schema_version}') IS NOT NULL");

    /** The version Lethe's schema is at. */
    public static final String SCHEMA_VERSION = LetheSchema.sql(
            "SELECT COALESCE(max(version), 0) FROM {schema_version}");

    /** Taken while upgrading: "LETH" and -1, in a key space no application uses. */
    public static final String SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(1279611976, -1)";

    /** Renews this instance's row; reads the live instances other than this one, and the leases of its targets. */
    public static final String LEASE_HEARTBEAT = LetheSchema.sql("""
            /* lethe:coordination:heartbeat */
            WITH me AS (
              INSERT INTO {instances} (id, host, expires_at)
              VALUES ($1, $2, now() + $3::int8 * interval '1 millisecond')
              ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at),
            forgotten AS (
              DELETE FROM {instances} WHERE expires_at < now() - interval '1 hour')
            SELECT (SELECT count(*) FROM {instances} WHERE expires_at > now() AND id <> $1)::int4,
                   l.target, l.owner, EXTRACT(EPOCH FROM (l.expires_at - now()))::float8
            FROM {leases} l
            WHERE l.target = ANY($4::text[])""");

    /** Hands back {@code $3}, then renews or takes {@code $2} where this instance holds them or nobody does. */
    public static final String LEASE_CLAIM = LetheSchema.sql("""
            /* lethe:coordination:claim */
            WITH released AS (
              UPDATE {leases} SET owner = NULL, expires_at = now()
              WHERE target = ANY($3::text[]) AND owner = $1)
            UPDATE {leases}
            SET owner = $1, expires_at = now() + $4::int8 * interval '1 millisecond',
                acquired_at = CASE WHEN owner = $1 THEN acquired_at ELSE now() END
            WHERE target = ANY($2::text[]) AND (owner = $1 OR owner IS NULL OR expires_at <= now())
            RETURNING target""");

    /** A lease row for each target, at startup. */
    public static final String LEASE_CREATE = LetheSchema.sql(
            "INSERT INTO {leases} (target) SELECT unnest($1::text[]) ON CONFLICT (target) DO NOTHING");

    /** Gives every lease back and leaves, at shutdown. */
    public static final String LEASE_RESIGN = LetheSchema.sql("""
            /* lethe:coordination:resign */
            WITH released AS (
              UPDATE {leases} SET owner = NULL, expires_at = now() WHERE owner = $1)
            DELETE FROM {instances} WHERE id = $1""");

    /** The paused targets. */
    public static final String PAUSE_PAUSED = LetheSchema.sql("SELECT target FROM {target_state} WHERE paused");

    /** Every target's pause state, for the admin API. */
    public static final String PAUSE_STATES = LetheSchema.sql(
            "SELECT target, paused, changed_at, changed_by FROM {target_state}");

    /** Records a pause or resume. */
    public static final String PAUSE_SET = LetheSchema.sql("""
            INSERT INTO {target_state} (target, paused, changed_at, changed_by) VALUES ($1, $2, now(), $3)
            ON CONFLICT (target) DO UPDATE
            SET paused = EXCLUDED.paused, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by""");

    /** Looks a key up and records its use in one statement; missing, expired and revoked keys find no row. */
    public static final String KEY_AUTHENTICATE = LetheSchema.sql("""
            UPDATE {api_keys} SET last_used_at = GREATEST(now(), COALESCE(last_used_at, now()))
            WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            RETURNING id, name, scopes, key_hash""");

    /** A new key: its hash, never the key. */
    public static final String KEY_CREATE = LetheSchema.sql("""
            INSERT INTO {api_keys} (id, name, key_hash, expires_at, scopes) VALUES ($1, $2, $3, $4, $5)
            RETURNING created_at, expires_at""");

    /** Every key, never its material. */
    public static final String KEY_LIST = LetheSchema.sql("""
            SELECT id, name, scopes, created_at, last_used_at, expires_at, revoked_at FROM {api_keys}
            ORDER BY created_at, id""");

    /** Revokes a key; revoking twice keeps the first time. */
    public static final String KEY_REVOKE = LetheSchema.sql(
            "UPDATE {api_keys} SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING name");

    /** Up to {@code $2} rows of kind {@code $1} that are ready, hidden from every other claim for {@code $3} ms. */
    public static final String OUTBOX_CLAIM = LetheSchema.sql("""
            /* lethe:outbox:claim */
            UPDATE {outbox}
            SET attempts = attempts + 1, not_before = now() + $3::int8 * interval '1 millisecond'
            WHERE id = ANY(ARRAY(SELECT id FROM {outbox}
                                 WHERE kind = $1 AND not_before <= now()
                                 ORDER BY not_before LIMIT $2
                                 FOR UPDATE SKIP LOCKED))
            RETURNING id, target, row_id, blob_key, source, deleted_at""");

    /** Rows delivered. */
    public static final String OUTBOX_DELIVERED = LetheSchema.sql("""
            /* lethe:outbox:delivered */
            DELETE FROM {outbox} WHERE id = ANY($1::int8[])""");

    /**
     * Rows whose delivery failed: the wait doubles with each attempt, from the minimum up to the maximum; after the
     * last attempt a row is parked (not_before = infinity) with its last error, still counted by the gauges, for an
     * operator to look at.
     */
    public static final String OUTBOX_FAILED = LetheSchema.sql("""
            /* lethe:outbox:failed */
            UPDATE {outbox}
            SET not_before = CASE WHEN attempts >= $5 THEN 'infinity'::timestamptz
                                  ELSE now() + LEAST($3::int8, $2::int8 * (2 ^ LEAST(attempts - 1, 30))::int8)
                                               * interval '1 millisecond' END,
                last_error = left($4, 1000)
            WHERE id = ANY($1::int8[])
            RETURNING attempts >= $5""");

    /** How many rows of a kind wait (up to {@code $2}), and how long ago the oldest deletion behind them committed. */
    public static final String OUTBOX_MEASURE = LetheSchema.sql("""
            /* lethe:outbox:measure */
            SELECT (SELECT count(*) FROM (SELECT 1 FROM {outbox} WHERE kind = $1 LIMIT $2) due)::int8,
                   COALESCE(EXTRACT(EPOCH FROM now()
                       - (SELECT min(deleted_at) FROM {outbox} WHERE kind = $1))::float8, 0)""");

    /**
     * Whether any session of Lethe's database but Lethe's own is writing (holds a transaction id) or, where this role
     * may see it, waits on a lock or on I/O. {@code backend_xid} is shown to any role, so a role without
     * {@code pg_read_all_stats} still sees the application's writes; autovacuum is not the application.
     */
    public static final String OTHERS_BUSY = """
            /* lethe:others-busy */
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                           WHERE datname = current_database()
                             AND pid <> pg_backend_pid()
                             AND application_name IS DISTINCT FROM current_setting('application_name')
                             AND backend_type IS DISTINCT FROM 'autovacuum worker'
                             AND (backend_xid IS NOT NULL
                                  OR (backend_type = 'client backend' AND wait_event_type IN ('Lock', 'IO'))))""";

    private LetheStatements() {
    }

    /** Every statement, by a name of its own, in a fixed order. */
    public static Map<String, String> all() {
        Map<String, String> statements = new LinkedHashMap<>();
        statements.put("probe", PROBE);
        statements.put("backend-pid", BACKEND_PID);
        statements.put("time-zone-check", TIME_ZONE_CHECK);
        statements.put("catalog-relation", CATALOG_RELATION);
        statements.put("catalog-columns", CATALOG_COLUMNS);
        statements.put("catalog-leading-index-columns", CATALOG_LEADING_INDEX_COLUMNS);
        statements.put("catalog-partial-index-predicates", CATALOG_PARTIAL_INDEX_PREDICATES);
        statements.put("schema-exists", SCHEMA_EXISTS);
        statements.put("schema-version", SCHEMA_VERSION);
        statements.put("schema-lock", SCHEMA_LOCK);
        statements.put("lease-heartbeat", LEASE_HEARTBEAT);
        statements.put("lease-claim", LEASE_CLAIM);
        statements.put("lease-create", LEASE_CREATE);
        statements.put("lease-resign", LEASE_RESIGN);
        statements.put("pause-paused", PAUSE_PAUSED);
        statements.put("pause-states", PAUSE_STATES);
        statements.put("pause-set", PAUSE_SET);
        statements.put("key-authenticate", KEY_AUTHENTICATE);
        statements.put("key-create", KEY_CREATE);
        statements.put("key-list", KEY_LIST);
        statements.put("key-revoke", KEY_REVOKE);
        statements.put("outbox-claim", OUTBOX_CLAIM);
        statements.put("outbox-delivered", OUTBOX_DELIVERED);
        statements.put("outbox-failed", OUTBOX_FAILED);
        statements.put("outbox-measure", OUTBOX_MEASURE);
        statements.put("others-busy", OTHERS_BUSY);
        return statements;
    }
}
