package dev.lethe.coordination;

import static dev.lethe.sql.LetheStatements.PAUSE_PAUSED;
import static dev.lethe.sql.LetheStatements.PAUSE_SET;
import static dev.lethe.sql.LetheStatements.PAUSE_STATES;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which targets are paused. The truth is lethe.target_state, which every delete statement reads itself, so a pause
 * holds on every replica from the moment it commits; this copy, refreshed every few seconds, only spares paused
 * targets the work of sending statements that would delete nothing.
 */
@ApplicationScoped
public class TargetPauses {

    private static final Logger LOG = Logger.getLogger(TargetPauses.class);

    /** A target's pause state as recorded in lethe.target_state. */
    public record State(boolean paused, OffsetDateTime changedAt, String changedBy) {
    }

    private final Database database;
    private final Scheduler scheduler;
    private final LetheConfig config;
    private volatile Set<String> paused = Set.of();

    public TargetPauses(Database database, Scheduler scheduler, LetheConfig config) {
        this.database = database;
        this.scheduler = scheduler;
        this.config = config;
    }

    public boolean isPaused(String target) {
        return paused.contains(target);
    }

    /** Reads the state now and then every lethe.admin.pause-refresh. */
    public void start() {
        refresh().await().indefinitely();
        scheduler.newJob("lethe-pauses")
                .setInterval(config.admin().pauseRefresh().toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> refresh())
                .schedule();
    }

    Uni<Void> refresh() {
        return database.execute(PAUSE_PAUSED)
                .invoke(rows -> {
                    Set<String> now = new HashSet<>();
                    rows.forEach(row -> now.add(row.getString(0)));
                    paused = Set.copyOf(now);
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Could not read the paused targets: %s", Failures.describe(failure));
                    return null;
                });
    }

    /** Records a pause or resume, and applies it to this instance at once. */
    public Uni<Void> set(String target, boolean pause, String by) {
        return database.execute(PAUSE_SET, Tuple.of(target, pause, by)).invoke(done -> applied(target, pause))
                .replaceWithVoid();
    }

    /** Applies a committed change to this instance at once, without waiting for the next refresh. */
    private void applied(String target, boolean pause) {
        Set<String> next = new HashSet<>(paused);
        if (pause) {
            next.add(target);
        } else {
            next.remove(target);
        }
        paused = Set.copyOf(next);
    }

    public Uni<Map<String, State>> states() {
        return database.execute(PAUSE_STATES)
                .map(rows -> {
                    Map<String, State> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(row.getString(0), new State(row.getBoolean(1), row.getOffsetDateTime(2),
                                row.getString(3)));
                    }
                    return states;
                });
    }
}
