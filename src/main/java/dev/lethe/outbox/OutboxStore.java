package dev.lethe.outbox;

import static dev.lethe.sql.LetheStatements.OUTBOX_CLAIM;
import static dev.lethe.sql.LetheStatements.OUTBOX_DELIVERED;
import static dev.lethe.sql.LetheStatements.OUTBOX_FAILED;
import static dev.lethe.sql.LetheStatements.OUTBOX_MEASURE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.lethe.config.LetheConfig;
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

    private final Database database;

    OutboxStore(Database database) {
        this.database = database;
    }

    /** Up to {@code limit} rows of a kind that are ready, hidden from every other claim for {@code lease}. */
    Uni<List<OutboxEntry>> claim(OutboxKind kind, int limit, Duration lease) {
        return database.execute(OUTBOX_CLAIM, Tuple.of(kind.label(), limit, lease.toMillis()))
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
                : database.execute(OUTBOX_DELIVERED, Tuple.of(delivery.delivered().toArray(Long[]::new)))
                        .replaceWithVoid();
        if (delivery.failed().isEmpty()) {
            return delivered.replaceWith(0);
        }
        return delivered.chain(() -> database.execute(OUTBOX_FAILED, Tuple.tuple(List.of(
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
        return database.execute(OUTBOX_MEASURE, Tuple.of(kind.label(), limit))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Measure(row.getLong(0), row.getDouble(1));
                });
    }
}
