package dev.lethe.sweep;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.lethe.delete.Deletions;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.Operation;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the rows that fall due within the look-ahead window (a range scan of the expiry index, earliest first) and
 * hands them to {@link Deletions} to be deleted at their due time. This is what keeps deletion on time when Redis
 * announces expiries late or not at all. Rows read again by the next look-ahead are already held and not doubled.
 */
public class Lookahead {

    private static final Logger LOG = Logger.getLogger(Lookahead.class);

    private final Database database;
    private final Deletions deletions;
    private final LetheMetrics metrics;
    private final Duration window;
    private final int limit;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private final RateLimitedLog full = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(60));

    public Lookahead(Database database, Deletions deletions, LetheMetrics metrics, Duration window, int limit) {
        this.database = database;
        this.deletions = deletions;
        this.metrics = metrics;
        this.window = window;
        this.limit = limit;
    }

    public boolean enabled() {
        return !window.isZero() && !window.isNegative();
    }

    /**
     * How often it reads: five times per window, so that every row is read several times before it falls due
     * whatever the read's own latency, and a row written less than a window before its expiry is still read in time
     * unless it expires within this interval (its Redis event takes it then).
     */
    public Duration interval() {
        return window.dividedBy(5);
    }

    /**
     * Schedules the rows falling due soon; completes with how many it handed over. Each row is armed by the
     * database's clock: its seconds until due, counted from when the read was sent, so that the delete reaches
     * the server at the due instant (it travels as the read did). A read that gets no answer within one window is
     * given up: its rows are read again by the next.
     */
    public Uni<Integer> schedule(Target target) {
        long[] sentNanos = new long[1];
        return Uni.createFrom().deferred(() -> {
            sentNanos[0] = System.nanoTime();
            return database.execute(target.sql().lookahead(), Tuple.of(window.toMillis(), limit), window);
        })
                .map(rows -> {
                    int refused = 0;
                    long elapsed = System.nanoTime() - sentNanos[0];
                    for (Row row : rows) {
                        long delayNanos = Math.max(0, (long) (row.getDouble(1) * 1e9) - elapsed);
                        if (!deletions.deleteWhenDue(target, Source.SWEEP, target.idType().read(row, 0), delayNanos)) {
                            refused++;
                        }
                    }
                    if (refused > 0) {
                        full.log("%d %s rows falling due soon did not fit in lethe.deferred.capacity; the sweep "
                                + "deletes them after their due time", refused, target.name());
                    }
                    return rows.size() - refused;
                })
                .onFailure().recoverWithItem(failure -> {
                    metrics.databaseError(target.name(), Operation.LOOKAHEAD);
                    failures.log("Reading the %s rows falling due soon failed (%s)", target.name(),
                            Failures.describe(failure));
                    return 0;
                });
    }
}
