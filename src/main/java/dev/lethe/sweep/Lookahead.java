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

    /** Schedules the rows falling due soon; completes with how many it handed over. */
    public Uni<Integer> schedule(Target target) {
        return database.execute(target.sql().lookahead(), Tuple.of(window.toMillis(), limit))
                .map(rows -> {
                    int refused = 0;
                    for (Row row : rows) {
                        long delayNanos = (long) (Math.max(0, row.getDouble(1)) * 1e9);
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
