package dev.lethe.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.lethe.testsupport.client.Sql;

/** The benchmark's own database on the local PostgreSQL, and the table every scenario works on. */
final class BenchDatabase implements AutoCloseable {

    static final String NAME = "lethe_bench";
    static final String TABLE = "bench_message";

    /**
     * What every deleter in the benchmark deletes: Lethe through its guard, the baselines in their SQL, as the
     * performance issue's database job does ({@code ... WHERE "expiresAt" <= now() AND NOT "legalHold"}).
     */
    static final String DELETABLE = "expires_at <= now() AND NOT legal_hold";

    /** The body of every row {@link #insert} and {@link #insertShuffled} load, which no writer uses. */
    static final String LOADED_BODY = "benchmark message body";

    private final Sql sql;

    BenchDatabase() {
        this.sql = Sql.createDatabase(NAME);
    }

    Sql sql() {
        return sql;
    }

    Connection connect() throws SQLException {
        return sql.connect();
    }

    /** A fresh, empty table with its expiry index, and no trigger. */
    void recreateTable() {
        sql.execute("DROP TABLE IF EXISTS " + TABLE, "DROP TABLE IF EXISTS bench_deleted",
                "CREATE TABLE " + TABLE + " (id uuid PRIMARY KEY, chat_id uuid NOT NULL, body text NOT NULL DEFAULT '',"
                        + " expires_at timestamptz, legal_hold boolean NOT NULL DEFAULT false)",
                "CREATE INDEX " + TABLE + "_expires_at_idx ON " + TABLE + " (expires_at)");
    }

    /** Inserts rows server-side; {@code expiresAt} is SQL evaluated per row (g is the series number). */
    void insert(int rows, String expiresAt) {
        int chunk = 250_000;
        for (int done = 0; done < rows; done += chunk) {
            int n = Math.min(chunk, rows - done);
            sql.execute("INSERT INTO " + TABLE + " (id, chat_id, body, expires_at) SELECT gen_random_uuid(),"
                    + " gen_random_uuid(), '" + LOADED_BODY + "', " + expiresAt
                    + " FROM generate_series(" + (done + 1) + ", " + (done + n) + ") g");
        }
    }

    /** Inserts rows like {@link #insert}, stored in random order. */
    void insertShuffled(int rows, String expiresAt) {
        sql.execute("INSERT INTO " + TABLE + " (id, chat_id, body, expires_at) SELECT gen_random_uuid(),"
                + " gen_random_uuid(), '" + LOADED_BODY + "', " + expiresAt
                + " FROM generate_series(1, " + rows + ") g ORDER BY random()");
    }

    /**
     * Cleans up after a bulk load and writes it out, so that neither autovacuum (off on some machines) nor the
     * checkpoint the load would trigger runs during the measurement.
     */
    void vacuumAnalyze() {
        sql.execute("VACUUM ANALYZE " + TABLE, "CHECKPOINT");
    }

    List<UUID> ids(String where) {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.setFetchSize(50_000);
            try (ResultSet rows = statement.executeQuery("SELECT id FROM " + TABLE + " WHERE " + where)) {
                while (rows.next()) {
                    ids.add((UUID) rows.getObject(1));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** Rows the guard allows that were due 5 s ago and are still there. */
    long leftBehind() {
        return count("expires_at <= now() - interval '5 seconds' AND NOT legal_hold");
    }

    long count(String where) {
        return sql.count("SELECT count(*) FROM " + TABLE + " WHERE " + where);
    }

    /** Rows the deletion log holds that were deleted at or after the instant. */
    long deletedSince(long instantMillis) {
        return sql.count("SELECT count(*) FROM bench_deleted WHERE deleted_at >= to_timestamp(?)",
                instantMillis / 1000.0);
    }

    /** Whether a row expiring at or before the instant remains; an index probe, cheap enough to poll. */
    boolean anyDueBy(long instantMillis) {
        return !sql.column("SELECT 1 FROM " + TABLE + " WHERE expires_at <= to_timestamp(?) AND NOT legal_hold"
                + " LIMIT 1",
                instantMillis / 1000.0).isEmpty();
    }

    /**
     * Logs every deleted row with its deletion time and source (event or not, from the comment that opens each of
     * Lethe's statements), to measure lag per row rather than per bucket.
     */
    void logDeletions() {
        sql.execute("CREATE UNLOGGED TABLE bench_deleted (id uuid, expires_at timestamptz, deleted_at timestamptz,"
                + " source text)",
                "CREATE OR REPLACE FUNCTION bench_log_deletes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO bench_deleted SELECT o.id, o.expires_at, clock_timestamp(),"
                        + " CASE WHEN current_query() LIKE '/* lethe:%:event */%'"
                        + " OR current_query() LIKE '/* lethe:%:event-skip-locked */%' THEN 'event' ELSE 'sweep' END"
                        + " FROM old_rows o; RETURN NULL; END $$",
                "CREATE TRIGGER bench_log AFTER DELETE ON " + TABLE + " REFERENCING OLD TABLE AS old_rows"
                        + " FOR EACH STATEMENT EXECUTE FUNCTION bench_log_deletes()");
    }

    /** Lag in seconds of every logged deletion, optionally of one source. */
    double[] lags(String source) {
        String query = "SELECT EXTRACT(EPOCH FROM (deleted_at - expires_at))::float8 FROM bench_deleted"
                + (source == null ? "" : " WHERE source = ?");
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(query)) {
            if (source != null) {
                statement.setString(1, source);
            }
            List<Double> lags = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lags.add(rows.getDouble(1));
                }
            }
            return lags.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The longest transaction Lethe has open right now, in seconds (0 when none). */
    double longestLetheTransaction() {
        List<Object> value = sql.column("SELECT COALESCE(EXTRACT(EPOCH FROM max(clock_timestamp() - xact_start)), 0)"
                + "::float8 FROM pg_stat_activity WHERE application_name = 'lethe' AND xact_start IS NOT NULL"
                + " AND state <> 'idle'");
        return ((Number) value.get(0)).doubleValue();
    }

    @Override
    public void close() {
        Sql.dropDatabase(NAME);
    }
}
