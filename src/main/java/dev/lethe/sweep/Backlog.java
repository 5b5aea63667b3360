package dev.lethe.sweep;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.Operation;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Measures each target's backlog (rows expired, allowed by the guard, and still present) through the expiry index,
 * capped so that counting a huge backlog stays cheap, and published as two gauges: how many rows, and how long
 * ago the oldest of them expired. A count that fails leaves the gauges without a value, never at their last one or
 * at zero, since rows may well be due: a target whose counts keep failing shows in lethe_target_failing_seconds.
 */
public class Backlog {

    private static final Logger LOG = Logger.getLogger(Backlog.class);

    /** The last measurement of one target. */
    public record Measure(long rows, double oldestSeconds) {
    }

    private final Database database;
    private final LetheMetrics metrics;
    private final int limit;
    private final Map<String, Measure> last = new ConcurrentHashMap<>();
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(60));

    public Backlog(Database database, LetheMetrics metrics, int limit) {
        this.database = database;
        this.metrics = metrics;
        this.limit = limit;
    }

    /** Publishes the gauges of a target; NaN until the first measurement. */
    public void register(Target target) {
        metrics.backlog(target.name(),
                () -> last.containsKey(target.name()) ? last.get(target.name()).rows() : Double.NaN,
                () -> last.containsKey(target.name()) ? last.get(target.name()).oldestSeconds() : Double.NaN);
    }

    public Uni<Measure> measure(Target target) {
        return metrics.tracked(target.name(), Operation.BACKLOG,
                database.execute(target.sql().backlog(), Tuple.of(limit)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Measure measure = new Measure(row.getLong(0), row.getDouble(1));
                    last.put(target.name(), measure);
                    return measure;
                })
                .onFailure().recoverWithUni(failure -> {
                    // Unknown is not zero: the gauges show no value until a count succeeds again.
                    last.remove(target.name());
                    failures.log("Measuring the %s backlog failed (%s)", target.name(),
                            Failures.describe(failure));
                    return Uni.createFrom().nullItem();
                });
    }

    /** Stops publishing a value for the target: another instance counts it now. */
    public void forget(String target) {
        last.remove(target);
    }

    /** The most rows one count goes up to. */
    public int limit() {
        return limit;
    }
}
