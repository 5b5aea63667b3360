package dev.lethe.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.LetheMetrics.DeletionMeters;
import dev.lethe.metrics.Operation;
import dev.lethe.metrics.SweepOutcome;
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
 * Deletes a target's due rows in batches: one statement, and so one short transaction, per batch, the rows picked
 * oldest first by a range scan of the expiry index with {@code FOR UPDATE SKIP LOCKED}, so that several statements,
 * and several instances, sweeping one table share the work instead of waiting for each other. Statements are sized
 * to take about lethe.sweep.statement-target each, up to the batch size. A run keeps {@code parallelism} statements
 * in flight and stops when a batch comes back short (nothing left), when its time budget is spent, or when a
 * statement fails for good.
 */
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    private final Database database;
    private final LetheMetrics metrics;
    private final Duration retryBackoff;
    private final int retries;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    public Sweeper(Database database, LetheMetrics metrics, Duration retryBackoff, int retries) {
        this.database = database;
        this.metrics = metrics;
        this.retryBackoff = retryBackoff;
        this.retries = retries;
    }

    /** Tally of one run, shared by its statements in flight. */
    private static final class Run {
        final long startNanos = System.nanoTime();
        final long deadlineNanos;
        private long deleted;
        private int batches;
        private int largestBatch;
        private long longestBatchNanos;
        private volatile boolean outOfTime;
        private final StatementSize size;

        Run(SweepSettings settings) {
            this.deadlineNanos = startNanos + settings.maxRunTime().toNanos();
            this.size = new StatementSize(settings.batchSize(), settings.statementTarget());
        }

        synchronized void batch(int rows, long nanos) {
            deleted += rows;
            batches++;
            largestBatch = Math.max(largestBatch, rows);
            longestBatchNanos = Math.max(longestBatchNanos, nanos);
        }

        synchronized long deleted() {
            return deleted;
        }

        synchronized SweepResult result(String target, SweepOutcome outcome) {
            return new SweepResult(target, outcome, deleted, batches, largestBatch,
                    Duration.ofNanos(longestBatchNanos), Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    public Uni<SweepResult> sweep(Target target, SweepSettings settings) {
        Run run = new Run(settings);
        Uni<Void> expired = drainInParallel(target, target.sql().sweepExpired(), settings, run);
        Uni<Void> all = target.sql().sweepAlsoDue()
                .map(alsoDue -> expired.chain(() -> run.outOfTime ? Uni.createFrom().voidItem()
                        : drainInParallel(target, alsoDue, settings, run)))
                .orElse(expired);
        return all
                .map(done -> run.result(target.name(),
                        run.outOfTime ? SweepOutcome.BUDGET : SweepOutcome.COMPLETE))
                .onFailure().recoverWithItem(failure -> {
                    metrics.databaseError(target.name(), Operation.SWEEP);
                    failures.log("Sweeping %s failed after deleting %d rows (%s); the next run tries again",
                            target.name(), run.deleted(), Failures.describe(failure));
                    return run.result(target.name(), SweepOutcome.FAILED);
                })
                .invoke(result -> metrics.sweepRun(target.name(), result.outcome(), result.duration()));
    }

    /** Several statement loops at once; each ends when its batch comes back short. */
    private Uni<Void> drainInParallel(Target target, String statement, SweepSettings settings, Run run) {
        List<Uni<Void>> loops = new ArrayList<>();
        for (int i = 0; i < settings.parallelism(); i++) {
            loops.add(drain(target, statement, settings, run));
        }
        return Uni.join().all(loops).andFailFast().replaceWithVoid();
    }

    private Uni<Void> drain(Target target, String statement, SweepSettings settings, Run run) {
        long[] lastNanos = new long[1];
        int size = run.size.next();
        return batch(target, statement, size, run, lastNanos).chain(deleted -> {
            if (deleted < size) {
                return Uni.createFrom().voidItem();
            }
            run.size.took(size, lastNanos[0]);
            if (System.nanoTime() >= run.deadlineNanos) {
                run.outOfTime = true;
                return Uni.createFrom().voidItem();
            }
            Duration pause = pause(settings, run, lastNanos[0]);
            Uni<Void> next = Uni.createFrom().voidItem();
            if (!pause.isZero()) {
                next = next.onItem().delayIt().by(pause);
            }
            return next.chain(() -> drain(target, statement, settings, run));
        });
    }

    /**
     * One statement. Its duration is the server's work on it (not a wait for a connection, nor a stall of the link
     * before it), so that neither the pause after it nor the next statement's size is set by a stall.
     */
    private Uni<Integer> batch(Target target, String statement, int size, Run run, long[] tookNanos) {
        Uni<Integer> deleted = DatabaseFailures.retryTransient(Uni.createFrom().deferred(
                () -> database.measured(statement, Tuple.of(size))), retryBackoff, retries).map(executed -> {
            RowSet<Row> rows = executed.rows();
            long nanos = executed.work().toNanos();
            DeletionMeters meters = metrics.deletion(target.name(), Source.SWEEP);
            meters.deleted(rows.size());
            rows.forEach(row -> meters.lag(row.getDouble(0)));
            metrics.sweepBatches(target.name()).record(nanos, TimeUnit.NANOSECONDS);
            run.batch(rows.size(), nanos);
            tookNanos[0] = nanos;
            return rows.size();
        });
        return deleted;
    }

    /**
     * How long to wait before the next statement: the pause factor times the last statement's duration, or longer
     * if the rate limit needs it.
     */
    private static Duration pause(SweepSettings settings, Run run, long lastStatementNanos) {
        long pause = (long) (lastStatementNanos * settings.pauseFactor());
        if (settings.maxRowsPerSecond().isPresent()) {
            long dueNanos = (long) (run.deleted() * 1e9 / settings.maxRowsPerSecond().getAsInt());
            pause = Math.max(pause, dueNanos - (System.nanoTime() - run.startNanos));
        }
        // Timers run at millisecond resolution: a shorter pause still pauses, for a millisecond.
        return pause > 0 ? Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(pause))) : Duration.ZERO;
    }
}
