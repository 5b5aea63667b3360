package dev.lethe.sweep;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.Operation;
import dev.lethe.metrics.SweepOutcome;
import dev.lethe.sql.DeleteSql;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One sweep run of a target: its due rows deleted in statements that are each one short transaction, the rows
 * picked with {@code FOR UPDATE SKIP LOCKED}, so that several statements, and several instances, share the work
 * instead of waiting for each other. The run takes the rows through the expiry index ({@link IndexDrain}); when its
 * first statement comes back full and the backlog is a large share of the table, it first passes over the heap in
 * physical order ({@link HeapPass}), then returns to the index for what fell due meanwhile; the rows due by the
 * extra due condition go last. It stops when nothing is left, when its time budget is spent, or when a statement
 * fails for good.
 */
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    /**
     * A backlog is deleted in heap order when it holds at least this share of the table's rows (by the planner's
     * estimate): from about there on, one pass over every page costs less than a random page visit per due row.
     */
    static final double HEAP_ORDER_SHARE = 0.1;

    /** ... and at least this many rows: below, the index drains it within a few statements anyway. */
    static final long HEAP_ORDER_MIN_ROWS = 20_000;

    private final Database database;
    private final LetheMetrics metrics;
    private final StatementLoop loop;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private final Map<String, PageRanges> unfinishedPasses = new ConcurrentHashMap<>();

    public Sweeper(Database database, LetheMetrics metrics, Duration retryBackoff, int retries) {
        this.database = database;
        this.metrics = metrics;
        this.loop = new StatementLoop(database, metrics, retryBackoff, retries);
    }

    public Uni<SweepResult> sweep(Target target, SweepSettings settings) {
        SweepRun run = new SweepRun(settings);
        Uni<Void> expired = expired(target, run);
        Uni<Void> all = target.sql().sweepAlsoDue()
                .map(alsoDue -> expired.chain(() -> run.outOfTime() ? Uni.createFrom().voidItem()
                        : loop.run(target, run, new IndexDrain(alsoDue, run))))
                .orElse(expired);
        return all
                .map(done -> run.result(target.name(), run.outOfTime() ? SweepOutcome.BUDGET : SweepOutcome.COMPLETE))
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
    private Uni<Void> expired(Target target, SweepRun run) {
        IndexDrain index = new IndexDrain(target.sql().sweepExpired(), run);
        StatementLoop.Statement first = index.next().orElseThrow();
        return loop.send(target, run, first).chain(result -> {
            if (!index.took(first, result)) {
                return Uni.createFrom().voidItem();
            }
            return heapPass(target, run)
                    .chain(pass -> pass.isEmpty() ? Uni.createFrom().voidItem() : inHeapOrder(target, run, pass.get()))
                    .chain(() -> run.outOfTime() ? Uni.createFrom().voidItem() : loop.run(target, run, index));
        });
    }

    private Uni<Void> inHeapOrder(Target target, SweepRun run, HeapPass pass) {
        return loop.run(target, run, pass).invoke(() -> {
            if (!pass.finished()) {
                unfinishedPasses.put(target.name(), pass.pass());
            }
        });
    }

    /**
     * The pass over the heap this run should make, if any: the one the last run left unfinished, or a new one when
     * the due rows (counted up to the threshold, through the index) reach the threshold.
     */
    private Uni<Optional<HeapPass>> heapPass(Target target, SweepRun run) {
        DeleteSql statement = target.sql().sweepExpiredInPages();
        PageRanges unfinished = unfinishedPasses.remove(target.name());
        if (unfinished != null) {
            return Uni.createFrom().item(Optional.of(new HeapPass(statement, unfinished, run)));
        }
        return database.execute(target.sql().tableSize(), Tuple.of(target.shape().table().sql())).chain(size -> {
            Row row = size.iterator().next();
            long pages = row.getLong(1);
            long threshold = (long) Math.max(HEAP_ORDER_MIN_ROWS, HEAP_ORDER_SHARE * row.getDouble(0));
            return database.execute(target.sql().backlog(), Tuple.of(threshold)).map(counted -> {
                long due = counted.iterator().next().getLong(0);
                if (due < threshold) {
                    return Optional.<HeapPass>empty();
                }
                LOG.debugf("Sweeping %s in heap order: at least %d rows due, %d pages", target.name(), due, pages);
                return Optional.of(new HeapPass(statement, new PageRanges(pages, run.settings().batchSize(),
                        run.settings().statementTarget()), run));
            });
        }).onFailure().recoverWithItem(failure -> {
            // The index drains any backlog too, only slower: no reason to fail the run.
            LOG.debugf("Sizing the %s backlog failed (%s); sweeping through the index", target.name(),
                    Failures.describe(failure));
            return Optional.empty();
        });
    }
}
