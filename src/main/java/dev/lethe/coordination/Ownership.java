package dev.lethe.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which instance does the work of which target: its expiry events, its look-ahead, its sweep, its backlog count.
 * With several replicas every one receives every event, so without an owner each row would be deleted, or tried,
 * once per replica.
 * <p>
 * It uses what every deployment has: PostgreSQL advisory locks on one session of each instance. Every instance
 * holds a shared membership lock, so each can count the live instances; each target is an exclusive lock. At every
 * tick an instance takes free targets up to its fair share (targets / instances, rounded up) and gives back what it
 * holds beyond it. When an instance dies its session ends, its locks go with it, and the others take its targets at
 * their next tick, sweeping each at once for whatever fell due meanwhile. Owning is an optimisation, never a safety
 * condition: PostgreSQL decides in every statement what is due.
 */
@ApplicationScoped
public class Ownership {

    private static final Logger LOG = Logger.getLogger(Ownership.class);

    private static final String MEMBER_COUNT = "SELECT count(*)::int4 FROM pg_locks WHERE locktype = 'advisory'"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND classid = $1::int8::oid AND objid = $2::int8::oid AND objsubid = 2 AND granted";

    private final Pool pool;
    private final Scheduler scheduler;
    private final LetheConfig config;
    private final String instance = UUID.randomUUID().toString();
    private final Set<String> owned = ConcurrentHashMap.newKeySet();
    private final RateLimitedLog lost = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private List<String> targets = List.of();
    private Consumer<String> onAcquired = target -> { };
    private SqlConnection session;
    private volatile int members;
    private boolean stopped;

    public Ownership(Pool pool, Scheduler scheduler, LetheConfig config) {
        this.pool = pool;
        this.scheduler = scheduler;
        this.config = config;
    }

    /**
     * Takes this instance's share of the targets now, then keeps it fair at every lethe.coordination.interval.
     *
     * @param onAcquired runs for each target this instance takes over, including the first ones
     */
    public void start(Collection<String> names, Consumer<String> onAcquired) {
        this.targets = names.stream().sorted().toList();
        this.onAcquired = onAcquired;
        tick().await().atMost(config.database().startupWait());
        scheduler.newJob("lethe-ownership")
                .setInterval(config.coordination().interval().toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> tick())
                .schedule();
    }

    public boolean owns(String target) {
        return owned.contains(target);
    }

    /** Live instances as of the last tick (0 while this one has no session). */
    public int members() {
        return members;
    }

    /** Gives up every target at once, as at shutdown, so that the other instances take them at their next tick. */
    public synchronized void resign() {
        stopped = true;
        owned.clear();
        if (session != null) {
            session.closeAndForget();
            session = null;
        }
        members = 0;
    }

    Uni<Void> tick() {
        return session()
                .chain(connection -> connection.preparedQuery(MEMBER_COUNT).execute(Tuple.of(AdvisoryLocks.CLASS, AdvisoryLocks.MEMBERS))
                        .map(rows -> rows.iterator().next().getInteger(0))
                        .chain(count -> rebalance(connection, count)))
                .onFailure().recoverWithItem(failure -> {
                    if (!stopped) {
                        lost.log("Lost the coordination session (%s); this instance owns no target until it is back",
                                Failures.describe(failure));
                    }
                    drop();
                    return null;
                });
    }

    private Uni<Void> rebalance(SqlConnection connection, int count) {
        members = count;
        int fair = count == 0 ? targets.size() : (targets.size() + count - 1) / count;
        List<String> extra = owned.stream().sorted().skip(fair).toList();
        List<String> candidates = new ArrayList<>();
        if (owned.size() < fair) {
            // Start the scan at a place of its own, so that instances starting together spread the targets.
            int offset = Math.floorMod(instance.hashCode(), Math.max(1, targets.size()));
            for (int i = 0; i < targets.size(); i++) {
                String target = targets.get((offset + i) % targets.size());
                if (!owned.contains(target)) {
                    candidates.add(target);
                }
            }
        }
        Uni<Void> release = Multi.createFrom().iterable(extra)
                .onItem().transformToUniAndConcatenate(target -> connection
                        .preparedQuery("SELECT pg_advisory_unlock($1, $2)").execute(Tuple.of(AdvisoryLocks.CLASS, AdvisoryLocks.target(target)))
                        .invoke(() -> {
                            owned.remove(target);
                            LOG.infof("Handed %s over: %d instances share %d targets", target, count, targets.size());
                        }))
                .collect().last().replaceWithVoid();
        return release.chain(() -> acquire(connection, candidates, fair, count));
    }

    private Uni<Void> acquire(SqlConnection connection, List<String> candidates, int fair, int count) {
        List<String> taken = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String target : candidates) {
            chain = chain.chain(() -> owned.size() >= fair ? Uni.createFrom().voidItem()
                    : connection.preparedQuery("SELECT pg_try_advisory_lock($1, $2)")
                            .execute(Tuple.of(AdvisoryLocks.CLASS, AdvisoryLocks.target(target)))
                            .invoke(rows -> {
                                if (rows.iterator().next().getBoolean(0)) {
                                    owned.add(target);
                                    taken.add(target);
                                }
                            }).replaceWithVoid());
        }
        return chain.invoke(() -> taken.forEach(target -> {
            LOG.infof("This instance now owns %s (%d instances, %d targets)", target, count, targets.size());
            onAcquired.accept(target);
        }));
    }

    private synchronized Uni<SqlConnection> session() {
        if (stopped) {
            return Uni.createFrom().failure(new IllegalStateException("resigned"));
        }
        if (session != null) {
            return Uni.createFrom().item(session);
        }
        return pool.getConnection().chain(connection -> connection
                .preparedQuery("SELECT pg_advisory_lock_shared($1, $2)").execute(Tuple.of(AdvisoryLocks.CLASS, AdvisoryLocks.MEMBERS))
                .replaceWith(connection)
                .onFailure().call(connection::close))
                .invoke(connection -> {
                    synchronized (this) {
                        session = connection;
                    }
                    connection.closeHandler(() -> closed(connection));
                });
    }

    private synchronized void closed(SqlConnection connection) {
        if (connection == session) {
            drop();
        }
    }

    private synchronized void drop() {
        if (!owned.isEmpty() && !stopped) {
            LOG.warnf("Released %s with the coordination session; the other instances take them over", owned);
        }
        owned.clear();
        members = 0;
        if (session != null) {
            session.closeAndForget();
            session = null;
        }
    }
}
