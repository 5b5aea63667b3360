package dev.lethe.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.LetheSchema;
import dev.lethe.sql.OutboxKind;
import dev.lethe.store.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The statements on Lethe's outbox table. Rows are claimed with a lease instead of a lock held across the delivery,
 * so no transaction stays open while S3 or Redis answers: claiming pushes a row's not_before one lease ahead (and
 * FOR UPDATE SKIP LOCKED keeps two instances from claiming the same row), delivered rows are deleted, failed rows
 * are pushed back by a growing backoff, and the rows of an instance that died come back when their lease ends.
 */
final class OutboxStore {

    /** The last measurement of one kind. */
    record Measure(double rows, double oldestSeconds) {
    }

    private static final String CLAIM = LetheSchema.sql("""
            /* lethe:outbox:claim */
            UPDATE {outbox}
            SET attempts = attempts + 1, not_before = now() + $3::int8 * interval '1 millisecond'
            WHERE id = ANY(ARRAY(SELECT id FROM {outbox}
                                 WHERE kind = $1 AND not_before <= now()
                                 ORDER BY not_before LIMIT $2
                                 FOR UPDATE SKIP LOCKED))
            RETURNING id, target, row_id, blob_key, source, deleted_at""");

    private static final String DELIVERED = LetheSchema.sql("""
            /* lethe:outbox:delivered */
            DELETE FROM {outbox} WHERE id = ANY($1::int8[])""");

    /**
     * The wait doubles with each attempt, from the minimum up to the maximum; after the last attempt a row is parked
     * (not_before = infinity) with its last error, still counted by the gauges, for an operator to look at.
     */
    private static final String FAILED = LetheSchema.sql("""
            /* lethe:outbox:failed */
            UPDATE {outbox}
            SET not_before = CASE WHEN attempts >= $5 THEN 'infinity'::timestamptz
                                  ELSE now() + LEAST($3::int8, $2::int8 * (2 ^ LEAST(attempts - 1, 30))::int8)
                                               * interval '1 millisecond' END,
                last_error = left($4, 1000)
            WHERE id = ANY($1::int8[])
            RETURNING attempts >= $5""");

    private static final String MEASURE = LetheSchema.sql("""
            /* lethe:outbox:measure */
            SELECT (SELECT count(*) FROM (SELECT 1 FROM {outbox} WHERE kind = $1 LIMIT $2) due)::int8,
                   COALESCE(EXTRACT(EPOCH FROM now() - (SELECT min(deleted_at) FROM {outbox} WHERE kind = $1))::float8, 0)""");

    private final Database database;

    OutboxStore(Database database) {
        this.database = database;
    }

    /** Up to {@code limit} rows of a kind that are ready, hidden from every other claim for {@code lease}. */
    Uni<List<OutboxEntry>> claim(OutboxKind kind, int limit, Duration lease) {
        return database.execute(CLAIM, Tuple.of(kind.label(), limit, lease.toMillis()))
                .map(rows -> {
                    List<OutboxEntry> entries = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        entries.add(new OutboxEntry(row.getLong(0), kind, row.getString(1), row.getString(2),
                                Optional.ofNullable(row.getString(3)), row.getString(4),
                                row.getOffsetDateTime(5).toInstant()));
                    }
                    return entries;
                });
    }

    /**
     * Deletes the delivered rows and schedules the failed ones for a retry.
     *
     * @return how many failed rows had their last attempt and are parked
     */
    Uni<Integer> settle(Delivery delivery, LetheConfig.Outbox config) {
        Uni<Void> delivered = delivery.delivered().isEmpty() ? Uni.createFrom().voidItem()
                : database.execute(DELIVERED, Tuple.of(delivery.delivered().toArray(Long[]::new)))
                        .replaceWithVoid();
        if (delivery.failed().isEmpty()) {
            return delivered.replaceWith(0);
        }
        return delivered.chain(() -> database.execute(FAILED, Tuple.tuple(List.of(
                delivery.failed().toArray(Long[]::new), config.retryMinBackoff().toMillis(),
                config.retryMaxBackoff().toMillis(), delivery.error().orElseThrow(), config.maxAttempts()))))
                .map(rows -> {
                    int parked = 0;
                    for (Row row : rows) {
                        parked += row.getBoolean(0) ? 1 : 0;
                    }
                    return parked;
                });
    }

    /** How many rows of a kind wait (up to {@code limit}), and how long ago the oldest one's deletion committed. */
    Uni<Measure> measure(OutboxKind kind, int limit) {
        return database.execute(MEASURE, Tuple.of(kind.label(), limit))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Measure(row.getLong(0), row.getDouble(1));
                });
    }
}
