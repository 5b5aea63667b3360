package dev.lethe.sweep;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>
 * Each read remembers what it covered (the end of its window, and the oldest transaction its snapshot saw running),
 * so that the next one reads, in the part of the window already covered, only rows written since: at a steady rate
 * each row is read about once instead of once per interval of its window. Any doubt (a first read, a read that hit
 * its limit or could not hand over every row, a target this instance stopped acting on) makes the next read whole.
 */
public class Lookahead {

    private static final Logger LOG = Logger.getLogger(Lookahead.class);

    private final Database database;
    private final Deletions deletions;
    private final LetheMetrics metrics;
    private final Duration window;
    /** The budget of a read: the window it reads. */
    private static final String WINDOW = "lethe.sweep.lookahead";
    private final int limit;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private final RateLimitedLog full = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(60));
    /** By target name: what the last read covered. */
    private final Map<String, Covered> covered = new ConcurrentHashMap<>();

    /**
     * What a read covered: every row expiring before {@code until} (a value of the expiry column's type) that a
     * transaction older than {@code oldestRunning} wrote was handed over.
     */
    private record Covered(Object until, String oldestRunning) {
    }

    /** PostgreSQL's frozen transaction id, older than any: with it a read takes every row of its window. */
    private static final String EVERY_ROW = "2";

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

    /** The next read of the target reads its whole window: this instance did not act on it for a while. */
    public void forget(Target target) {
        covered.remove(target.name());
    }

    /**
     * Schedules the rows falling due soon; completes with how many it handed over. Each row is armed by the
     * database's clock: its seconds until due, counted from when the read was sent, so that the delete reaches
     * the server at the due instant (it travels as the read did). A read that gets no answer within one window is
     * given up: its rows are read again by the next.
     */
    public Uni<Integer> schedule(Target target) {
        Covered before = covered.get(target.name());
        return metrics.tracked(target.name(), Operation.LOOKAHEAD, database.execute(target.sql().lookaheadSnapshot(),
                Tuple.of(window.toMillis()), window, WINDOW)
                .chain(snapshot -> {
                    Row row = snapshot.iterator().next();
                    Covered now = new Covered(row.getValue(1), transactionId(row.getString(0)));
                    Tuple parameters = before == null
                            ? Tuple.of(window.toMillis(), limit, now.until(), EVERY_ROW)
                            : Tuple.of(window.toMillis(), limit, before.until(), before.oldestRunning());
                    return read(target, parameters, now);
                }))
                .onFailure().recoverWithItem(failure -> {
                    failures.log("Reading the %s rows falling due soon failed (%s)", target.name(),
                            Failures.describe(failure));
                    return 0;
                });
    }

    private Uni<Integer> read(Target target, Tuple parameters, Covered now) {
        long[] sentNanos = new long[1];
        return Uni.createFrom().deferred(() -> {
            sentNanos[0] = System.nanoTime();
            return database.execute(target.sql().lookahead(), parameters, window, WINDOW);
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
                    if (refused == 0 && rows.size() < limit) {
                        covered.put(target.name(), now);
                    } else {
                        covered.remove(target.name());
                    }
                    return rows.size() - refused;
                });
    }

    /** A transaction id as the xid type holds it: the low 32 bits of the 64-bit id the snapshot gives. */
    private static String transactionId(String fullId) {
        return Long.toString(Long.parseLong(fullId) & 0xFFFF_FFFFL);
    }
}
