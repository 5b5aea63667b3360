package dev.lethe.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.LetheMetrics.DeletionMeters;
import dev.lethe.metrics.Operation;
import dev.lethe.sql.DeleteSql;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.store.DatabaseFailures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What every part of a sweep repeats: send a statement (retried while its failure is transient), count what it
 * deleted, stop when the part says so or the run's time budget is spent, pause as the database's load says
 * ({@link DrainPace}), and send the next; with the run's parallelism, that many loops at once over one part.
 */
final class StatementLoop {

    /** One part of a sweep, as the loop drives it. */
    interface Part {
        /** The next statement to send, or empty when there is nothing left to send. */
        Optional<Statement> next();

        /** A statement came back; whether this loop goes on. */
        boolean took(Statement sent, SweepRun.Timed result);
    }

    /** A delete and its parameters; {@code handle} is the part's own, for it to tell its statements apart. */
    record Statement(DeleteSql delete, Tuple parameters, int maxRows, Object handle) {
    }

    private final Database database;
    private final DrainPace pace;
    private final LetheMetrics metrics;
    private final Duration retryBackoff;
    private final int retries;

    StatementLoop(Database database, LetheMetrics metrics, Duration retryBackoff, int retries) {
        this.database = database;
        this.pace = new DrainPace(database);
        this.metrics = metrics;
        this.retryBackoff = retryBackoff;
        this.retries = retries;
    }

    /** Runs the part with as many loops as the run's parallelism; a statement that fails for good fails the run. */
    Uni<Void> run(Target target, SweepRun run, Part part) {
        List<Uni<Void>> loops = new ArrayList<>();
        for (int i = 0; i < run.settings().parallelism(); i++) {
            loops.add(loop(target, run, part));
        }
        return Uni.join().all(loops).andFailFast().replaceWithVoid();
    }

    private Uni<Void> loop(Target target, SweepRun run, Part part) {
        Optional<Statement> next = run.outOfTime() ? Optional.empty() : part.next();
        if (next.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Statement statement = next.get();
        return send(target, run, statement).chain(result -> {
            if (!part.took(statement, result) || run.outOfTime()) {
                return Uni.createFrom().voidItem();
            }
            return pace.after(run, result).chain(pause -> {
                Uni<Void> after = Uni.createFrom().voidItem();
                if (!pause.isZero()) {
                    after = after.onItem().delayIt().by(pause);
                }
                return after.chain(() -> loop(target, run, part));
            });
        });
    }

    /** One statement, retried while its failure is transient, and counted. */
    Uni<SweepRun.Timed> send(Target target, SweepRun run, Statement statement) {
        return DatabaseFailures.retryTransient(Uni.createFrom().deferred(
                () -> database.delete(statement.delete(), statement.parameters(),
                        () -> metrics.deleteMetHeldRow(target.name()))), retryBackoff, retries)
                .map(executed -> {
                    metrics.databaseAnswered(target.name(), Operation.SWEEP);
                    RowSet<Row> rows = executed.rows();
                    DeletionMeters meters = metrics.deletion(target.name(), Source.SWEEP);
                    meters.deleted(rows.size());
                    rows.forEach(row -> meters.lag(row.getDouble(0)));
                    metrics.sweepBatches(target.name()).record(executed.work().toNanos(), TimeUnit.NANOSECONDS);
                    SweepRun.Timed timed = new SweepRun.Timed(rows.size(), executed.work());
                    run.counted(timed);
                    return timed;
                });
    }
}
