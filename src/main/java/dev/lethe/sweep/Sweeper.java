package dev.lethe.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>
 * A backlog that is a large share of its table is deleted in heap order instead: picked in index order, rows stored
 * in any other order cost a visit to a random page each, and each page is visited again for each of its due rows
 * (37 times slower than one plain DELETE on half a million rows of a million stored at random). The run then passes
 * over the heap once, in ranges of pages read by a TID range scan, every page read once, and returns to the index
 * for what fell due meanwhile. A pass cut short by the run's time budget is resumed by the next run.
 */
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    private final Database database;
    private final LetheMetrics metrics;
    private final Duration retryBackoff;
    private final int retries;
    /**
     * A backlog is deleted in heap order when it holds at least this share of the table's rows (by the planner's
     * estimate): from about there on, one pass over every page costs less than a random page visit per due row.
     */
    static final double HEAP_ORDER_SHARE = 0.1;

    /** ... and at least this many rows: below, the index drains it within a few statements anyway. */
    static final long HEAP_ORDER_MIN_ROWS = 20_000;

    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private final Map<String, PageRanges> unfinishedPasses = new ConcurrentHashMap<>();

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
        private long pagesSwept;
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

        synchronized void pagesSwept(long pages) {
            pagesSwept += pages;
        }

        synchronized SweepResult result(String target, SweepOutcome outcome) {
            return new SweepResult(target, outcome, deleted, batches, largestBatch,
                    Duration.ofNanos(longestBatchNanos), pagesSwept, Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    public Uni<SweepResult> sweep(Target target, SweepSettings settings) {
        Run run = new Run(settings);
        Uni<Void> expired = drainExpired(target, settings, run);
        Uni<Void> all = target.sql().sweepAlsoDue()
                .map(alsoDue -> expired.chain(() -> run.outOfTime ? Uni.createFrom().voidItem()
                        : drainInParallel(target, alsoDue, settings, run)))
                .orElse(expired);
        return all
                .map(done -> run.result(target.name(),
                        run.outOfTime ? SweepOutcome.BUDGET : SweepOutcome.COMPLETE))
                .onFailure().recoverWithItem(failure -> {
                    metrics.databaseError(target.name(), Operation.SWEEP, failure);
                    failures.log("Sweeping %s failed after deleting %d rows (%s); the next run tries again",
                            target.name(), run.deleted(), Failures.describe(failure));
                    return run.result(target.name(), SweepOutcome.FAILED);
                })
                .invoke(result -> metrics.sweepRun(target.name(), result.outcome(), result.duration()));
    }

    /**
     * One statement through the index; when it comes back full, a backlog large enough is deleted in heap order
     * first, and the index takes what is left.
     */
    private Uni<Void> drainExpired(Target target, SweepSettings settings, Run run) {
        String byIndex = target.sql().sweepExpired();
        int size = run.size.next();
        long[] took = new long[1];
        return batch(target, byIndex, Tuple.of(size), run, took).chain(deleted -> {
            if (deleted < size) {
                return Uni.createFrom().voidItem();
            }
            run.size.took(size, took[0]);
            return heapPass(target, settings)
                    .chain(pass -> pass.isEmpty() ? Uni.createFrom().voidItem()
                            : sweepPages(target, pass.get(), settings, run))
                    .chain(() -> run.outOfTime ? Uni.createFrom().voidItem()
                            : drainInParallel(target, byIndex, settings, run));
        });
    }

    /**
     * The pass over the heap this run should make, if any: the one the last run left unfinished, or a new one when
     * the due rows (counted up to the threshold, through the index) reach the threshold.
     */
    private Uni<Optional<PageRanges>> heapPass(Target target, SweepSettings settings) {
        PageRanges unfinished = unfinishedPasses.remove(target.name());
        if (unfinished != null) {
            return Uni.createFrom().item(Optional.of(unfinished));
        }
        return database.execute(target.sql().tableSize(), Tuple.of(target.shape().table().sql())).chain(size -> {
            Row row = size.iterator().next();
            long pages = row.getLong(1);
            long threshold = (long) Math.max(HEAP_ORDER_MIN_ROWS, HEAP_ORDER_SHARE * row.getDouble(0));
            return database.execute(target.sql().backlog(), Tuple.of(threshold)).map(counted -> {
                long due = counted.iterator().next().getLong(0);
                if (due < threshold) {
                    return Optional.<PageRanges>empty();
                }
                LOG.debugf("Sweeping %s in heap order: at least %d rows due, %d pages", target.name(), due, pages);
                return Optional.of(new PageRanges(pages, settings.batchSize(), settings.statementTarget()));
            });
        }).onFailure().recoverWithItem(failure -> {
            // The index drains any backlog too, only slower: no reason to fail the run.
            LOG.debugf("Sizing the %s backlog failed (%s); sweeping through the index", target.name(),
                    Failures.describe(failure));
            return Optional.empty();
        });
    }

    private Uni<Void> sweepPages(Target target, PageRanges pass, SweepSettings settings, Run run) {
        List<Uni<Void>> loops = new ArrayList<>();
        for (int i = 0; i < settings.parallelism(); i++) {
            loops.add(sweepPages(target, target.sql().sweepExpiredInPages(), pass, settings, run));
        }
        return Uni.join().all(loops).andFailFast().replaceWithVoid();
    }

    private Uni<Void> sweepPages(Target target, String statement, PageRanges pass, SweepSettings settings,
            Run run) {
        Optional<PageRanges.Range> claimed = pass.claim();
        if (claimed.isEmpty() || run.outOfTime) {
            return Uni.createFrom().voidItem();
        }
        PageRanges.Range range = claimed.get();
        long[] took = new long[1];
        Tuple parameters = Tuple.of(range.from(), range.to(), pass.maxRows());
        return batch(target, statement, parameters, run, took).chain(deleted -> {
            pass.took(range, deleted, took[0]);
            run.pagesSwept(range.pages());
            if (System.nanoTime() >= run.deadlineNanos) {
                run.outOfTime = true;
                if (!pass.finished()) {
                    unfinishedPasses.put(target.name(), pass);
                }
                return Uni.createFrom().voidItem();
            }
            Duration pause = pause(settings, run, took[0]);
            Uni<Void> next = Uni.createFrom().voidItem();
            if (!pause.isZero()) {
                next = next.onItem().delayIt().by(pause);
            }
            return next.chain(() -> sweepPages(target, statement, pass, settings, run));
        });
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
        return batch(target, statement, Tuple.of(size), run, lastNanos).chain(deleted -> {
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
    private Uni<Integer> batch(Target target, String statement, Tuple parameters, Run run, long[] tookNanos) {
        Uni<Integer> deleted = DatabaseFailures.retryTransient(Uni.createFrom().deferred(
                () -> database.measured(statement, parameters)), retryBackoff, retries).map(executed -> {
            metrics.databaseAnswered(target.name(), Operation.SWEEP);
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
