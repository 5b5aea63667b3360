package dev.lethe.sweep;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.lethe.sql.LetheStatements;
import dev.lethe.store.Database;
import io.smallrye.mutiny.Uni;

/**
 * How long a sweep pauses after each statement, paced by the database rather than by a fixed ratio: the full
 * {@code lethe.sweep.pause-factor} while the application is there to be left room (another session writing, or
 * waiting on a lock or on I/O), part of it while Lethe's own statements run slower than the run's fastest
 * ({@link RecentSpeed}), none while the database is otherwise idle, so that a backlog nobody competes with drains
 * at full speed. A rate limit, where set, still holds.
 * <p>
 * Other sessions are looked at in {@code pg_stat_activity} at most every {@link #SAMPLE_EVERY} while a sweep runs;
 * one sighting keeps the sweep paced for {@link #REMEMBERED}, since a writer of short transactions is caught in the
 * act in only a share of the samples. When the look fails the sweep paces as if others were there.
 */
final class DrainPace {

    static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    static final Duration REMEMBERED = Duration.ofSeconds(2);

    private final Database database;
    private final AtomicBoolean looking = new AtomicBoolean();
    private volatile long lookedAt;
    private volatile long othersSeenAt;

    DrainPace(Database database) {
        this.database = database;
        long longAgo = System.nanoTime() - REMEMBERED.toNanos() - SAMPLE_EVERY.toNanos();
        this.lookedAt = longAgo;
        this.othersSeenAt = longAgo;
    }

    /** The pause after {@code statement} of {@code run}. */
    Uni<Duration> after(SweepRun run, SweepRun.Timed statement) {
        if (run.settings().pauseFactor() == 0) {
            return Uni.createFrom().item(run.pauseAfter(statement, 0));
        }
        double slowdown = run.speed().slowdown(statement);
        return othersBusy().map(busy -> run.pauseAfter(statement, busy ? 1 : slowdown));
    }

    private Uni<Boolean> othersBusy() {
        long now = System.nanoTime();
        if (now - lookedAt < SAMPLE_EVERY.toNanos() || !looking.compareAndSet(false, true)) {
            return Uni.createFrom().item(seenRecently(now));
        }
        return database.execute(LetheStatements.OTHERS_BUSY)
                .map(rows -> rows.iterator().next().getBoolean(0))
                .onFailure().recoverWithItem(true)
                .map(busy -> {
                    long answered = System.nanoTime();
                    lookedAt = answered;
                    if (busy) {
                        othersSeenAt = answered;
                    }
                    return seenRecently(answered);
                })
                .eventually(() -> looking.set(false));
    }

    private boolean seenRecently(long now) {
        return now - othersSeenAt < REMEMBERED.toNanos();
    }
}
