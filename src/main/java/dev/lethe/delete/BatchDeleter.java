package dev.lethe.delete;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.LetheMetrics.DeletionMeters;
import dev.lethe.metrics.Operation;
import dev.lethe.sql.DeleteSql;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.store.DatabaseFailures;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes a batch of ids with one statement, then accounts for every id it did not delete. The statement itself
 * decides what is due (PostgreSQL is the truth), so an id is only ever a candidate. A batch never fails: a failure
 * is retried while it is transient, then counted and left to the sweep.
 */
@ApplicationScoped
public class BatchDeleter implements BatchSender {

    private static final Logger LOG = Logger.getLogger(BatchDeleter.class);

    private final Database database;
    private final LetheMetrics metrics;
    private final Duration backoff;
    private final int retries;
    private final double horizonSeconds;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(10));

    public BatchDeleter(Database database, LetheMetrics metrics, LetheConfig config) {
        this.database = database;
        this.metrics = metrics;
        this.backoff = config.batch().retryBackoff();
        this.retries = config.batch().retries();
        this.horizonSeconds = config.notDueHorizon().toNanos() / 1e9;
    }

    @Override
    public Uni<BatchReport> delete(Target target, Source source, Object[] ids) {
        AtomicLong startedNanos = new AtomicLong();
        return metrics.tracked(target.name(), Operation.DELETE, retrying(Uni.createFrom().deferred(() -> {
            startedNanos.set(System.nanoTime());
            DeleteSql statement = source == Source.EVENT ? target.sql().deleteEventIds()
                    : target.sql().deleteLookaheadIds();
            return database.delete(statement, Tuple.of((Object) ids), () -> metrics.deleteMetHeldRow(target.name()))
                    .map(Database.Executed::rows);
        })))
                .chain(rows -> accountFor(target, source, ids, rows, startedNanos.get()))
                .onFailure().recoverWithItem(failure -> {
                    failures.log("Deleting %d %s rows failed (%s); the sweep will delete them",
                            ids.length, target.name(), Failures.describe(failure));
                    return BatchReport.failed(List.of(), ids.length, DatabaseFailures.IS_TIMEOUT.test(failure));
                });
    }

    private Uni<BatchReport> accountFor(Target target, Source source, Object[] ids, RowSet<Row> rows,
            long startedNanos) {
        DeletionMeters meters = metrics.deletion(target.name(), source);
        meters.deleted(rows.size());
        if (rows.size() == ids.length) {
            rows.forEach(row -> meters.lag(row.getDouble(1)));
            return Uni.createFrom().item(BatchReport.allDeleted(ids));
        }
        Set<Object> gone = new HashSet<>();
        for (Row row : rows) {
            gone.add(target.idType().read(row, 0));
            meters.lag(row.getDouble(1));
        }
        List<Object> remaining = new ArrayList<>(ids.length - rows.size());
        for (Object id : ids) {
            if (!gone.contains(id)) {
                remaining.add(id);
            }
        }
        Object[] rest = remaining.toArray(target.idType().newArray(0));
        double secondsSinceDelete = (System.nanoTime() - startedNanos) / 1e9;
        List<Object> deleted = List.copyOf(gone);
        return metrics.tracked(target.name(), Operation.INSPECT,
                retrying(database.execute(target.sql().inspectByIds(), Tuple.of((Object) rest))))
                .map(found -> classify(target, deleted, rest, found, horizonSeconds, secondsSinceDelete))
                .onFailure().recoverWithItem(failure -> {
                    failures.log("Inspecting %d %s rows that were not deleted failed (%s); the sweep will see to them",
                            rest.length, target.name(), Failures.describe(failure));
                    return BatchReport.failed(deleted, rest.length, DatabaseFailures.IS_TIMEOUT.test(failure));
                });
    }

    private static BatchReport classify(Target target, List<Object> deleted, Object[] rest, RowSet<Row> rows,
            double horizonSeconds, double secondsSinceDelete) {
        Map<Object, NotDeleted.Row> found = new HashMap<>();
        for (Row row : rows) {
            found.put(target.idType().read(row, 0), new NotDeleted.Row(row.getDouble(1), row.getBoolean(2)));
        }
        return NotDeleted.classify(deleted, rest, found, horizonSeconds, secondsSinceDelete);
    }

    private <T> Uni<T> retrying(Uni<T> statement) {
        return DatabaseFailures.retryTransient(statement, backoff, retries);
    }
}
