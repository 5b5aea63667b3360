package dev.lethe.coordination;

import static dev.lethe.sql.LetheStatements.LEASE_CLAIM;
import static dev.lethe.sql.LetheStatements.LEASE_CREATE;
import static dev.lethe.sql.LetheStatements.LEASE_HEARTBEAT;
import static dev.lethe.sql.LetheStatements.LEASE_RESIGN;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which instance does the work of which target: its expiry events, its look-ahead, its sweep, its backlog count.
 * With several replicas every one receives every event, so without an owner each row would be deleted, or tried,
 * once per replica.
 * <p>
 * Ownership is a lease in {@code lethe.leases}, on the database's clock, renewed at every
 * lethe.coordination.interval and lasting two intervals. A lease needs nothing from a server session, so it works
 * the same through any connection pooler. At every tick an instance renews what it holds, takes free or expired
 * leases up to its fair share (targets / live instances, rounded up) and hands back what it holds beyond it. An
 * instance that dies, or loses its link to the database, stops renewing: it stops acting on its own before its
 * leases end (it counts them from when it asked for them, which is never later than the database's clock), and the
 * others take them over when they end, which at most two intervals after its last renewal. Owning is an
 * optimisation, never a safety condition: PostgreSQL decides in every statement what is due.
 */
@ApplicationScoped
public class Ownership {

    private static final Logger LOG = Logger.getLogger(Ownership.class);

    /** The pause before the next tick after one that failed. */
    private static final Duration AFTER_FAILURE = Duration.ofMillis(200);

    /** The budget of every coordination statement: one tick. */
    private static final String INTERVAL = "lethe.coordination.interval";

    /** A lease is counted as this instance's until this much before it ends, for clock drift and late answers. */
    private static final double SAFETY = 0.1;

    private final Database database;
    private final Vertx vertx;
    private final Duration interval;
    private final Duration lease;
    private final String instance = UUID.randomUUID().toString();
    private final String host = host();
    /** Owned targets, and when (System.nanoTime()) this instance stops counting each as its own. */
    private final Map<String, Long> owned = new ConcurrentHashMap<>();
    private final RateLimitedLog lost = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private List<String> targets = List.of();
    private String[] targetArray = new String[0];
    private Consumer<String> onAcquired = target -> { };
    private volatile int members;
    /** Targets another instance held a live lease of at the last heartbeat. */
    private volatile Set<String> elsewhere = Set.of();
    private volatile long lastHeartbeatNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile boolean stopped;
    private long timer = -1;

    public Ownership(Database database, Vertx vertx, LetheConfig config) {
        this.database = database;
        this.vertx = vertx;
        this.interval = config.coordination().interval();
        this.lease = interval.multipliedBy(2);
    }

    /**
     * Takes this instance's share of the targets now, then keeps it fair at every lethe.coordination.interval.
     *
     * @param onAcquired runs for each target this instance takes over, including the first ones
     */
    public void start(Collection<String> names, Consumer<String> onAcquired) {
        this.targets = names.stream().sorted().toList();
        this.targetArray = targets.toArray(String[]::new);
        this.onAcquired = onAcquired;
        database.execute(LEASE_CREATE, Tuple.of((Object) targetArray)).await().atMost(database.deadline());
        tick().await().atMost(database.deadline().multipliedBy(2));
        scheduleTick(interval);
    }

    public boolean owns(String target) {
        Long until = owned.get(target);
        return until != null && until - System.nanoTime() > 0;
    }

    /**
     * Whether another instance owned the target at this instance's last heartbeat, and that heartbeat is recent: its
     * events are that instance's to act on. False while this instance cannot reach the database, when nobody may own
     * it.
     */
    public boolean ownedElsewhere(String target) {
        return heardRecently() && elsewhere.contains(target);
    }

    /** Live instances as of the last heartbeat; 0 when this instance has not heard from the database lately. */
    public int members() {
        return heardRecently() ? members : 0;
    }

    /** Whether the last heartbeat answered within one lease: what it said may still hold. */
    private boolean heardRecently() {
        return System.nanoTime() - lastHeartbeatNanos < lease.toNanos();
    }

    /** Gives up every target at once, at shutdown, so that the other instances take them at their next tick. */
    public void resign() {
        stopped = true;
        synchronized (this) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
        owned.clear();
        try {
            database.execute(LEASE_RESIGN, Tuple.of(instance), interval, INTERVAL)
                    .await().atMost(interval.plusSeconds(1));
        } catch (RuntimeException e) {
            LOG.debugf("Could not hand the leases back (%s); they end by themselves within %d ms",
                    Failures.describe(e), lease.toMillis());
        }
    }

    private synchronized void scheduleTick(Duration delay) {
        if (!stopped) {
            timer = vertx.setTimer(Math.max(1, delay.toMillis()),
                    id -> tick().subscribe().with(this::scheduleTick, failure -> scheduleTick(interval)));
        }
    }

    /** One tick; completes with the delay until the next one. Every statement is bounded by one interval. */
    Uni<Duration> tick() {
        if (stopped) {
            return Uni.createFrom().item(interval);
        }
        return database.execute(LEASE_HEARTBEAT, Tuple.of(instance, host, lease.toMillis(), targetArray), interval,
                INTERVAL)
                .chain(rows -> {
                    lastHeartbeatNanos = System.nanoTime();
                    Map<String, LeasePlan.Lease> leases = new HashMap<>();
                    int others = 0;
                    for (Row row : rows) {
                        others = row.getInteger(0);
                        leases.put(row.getString(1), new LeasePlan.Lease(row.getString(2), row.getDouble(3)));
                    }
                    members = others + 1;
                    elsewhere = leases.entrySet().stream()
                            .filter(held -> !held.getValue().free() && !instance.equals(held.getValue().owner()))
                            .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
                    return rebalance(leases, others + 1);
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!stopped) {
                        lost.log("Cannot renew this instance's leases (%s); it stops acting on %s before they end,"
                                + " and the other instances take them over", Failures.describe(failure),
                                owned.isEmpty() ? "no target" : owned.keySet());
                    }
                    // The failure took its own time (up to an interval, on a link that drops packets): ask again
                    // soon, so that a database that is back is known, and its targets owned, at once.
                    return AFTER_FAILURE;
                });
    }

    private Uni<Duration> rebalance(Map<String, LeasePlan.Lease> leases, int count) {
        LeasePlan plan = LeasePlan.decide(instance, targets, leases, count, interval);
        long claimNanos = System.nanoTime();
        return database.execute(LEASE_CLAIM, Tuple.of(instance, plan.claim().toArray(String[]::new),
                plan.handBack().toArray(String[]::new), lease.toMillis()), interval, INTERVAL)
                .map(rows -> {
                    long until = claimNanos + (long) (lease.toNanos() * (1 - SAFETY));
                    Set<String> granted = ConcurrentHashMap.newKeySet();
                    rows.forEach(row -> granted.add(row.getString(0)));
                    settle(granted, plan.handBack(), until, count);
                    return plan.nextTick();
                });
    }

    private void settle(Set<String> granted, List<String> handedBack, long until, int count) {
        if (stopped) {
            return;
        }
        for (String target : handedBack) {
            if (owned.remove(target) != null) {
                LOG.infof("Handed %s over: %d instances share %d targets", target, count, targets.size());
            }
        }
        for (String target : List.copyOf(owned.keySet())) {
            if (!granted.contains(target)) {
                owned.remove(target);
                LOG.warnf("Lost the lease of %s to another instance", target);
            }
        }
        for (String target : granted) {
            Long before = owned.put(target, until);
            if (before == null || before - System.nanoTime() <= 0) {
                LOG.infof("This instance now owns %s (%d instances, %d targets)", target, count, targets.size());
                onAcquired.accept(target);
            }
        }
    }

    private static String host() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
