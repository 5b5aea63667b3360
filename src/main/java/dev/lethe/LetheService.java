package dev.lethe;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.lethe.catalog.Targets;
import dev.lethe.config.ConfigRules;
import dev.lethe.config.LetheConfig;
import dev.lethe.coordination.Ownership;
import dev.lethe.coordination.TargetPauses;
import dev.lethe.delete.Deletions;
import dev.lethe.ingest.ExpiredKeySubscriber;
import dev.lethe.ingest.redis.RedisReady;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.outbox.Outbox;
import dev.lethe.schema.Migrations;
import dev.lethe.sql.Target;
import dev.lethe.store.DatabaseReady;
import dev.lethe.store.PoolSettings;
import dev.lethe.sweep.SweepRuns;
import dev.lethe.sweep.SweepSchedule;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the parts of Lethe in order (own schema, targets, pauses, outbox, deletions, sweep, subscription) and stops
 * them in reverse: on SIGTERM the subscription goes first (readiness turns DOWN with it and no new key comes in), then
 * the schedule, then the queued and in-flight batches are given {@code lethe.shutdown.drain-timeout} to finish, and
 * the outbox relays stop last, leaving what they did not deliver in the outbox.
 */
@ApplicationScoped
public class LetheService {

    private static final Logger LOG = Logger.getLogger(LetheService.class);

    private final Targets targets;
    private final Deletions deletions;
    private final ExpiredKeySubscriber subscriber;
    private final SweepSchedule sweeps;
    private final Ownership ownership;
    private final LetheMetrics metrics;
    private final LetheConfig config;
    private final Migrations migrations;
    private final TargetPauses pauses;
    private final SweepRuns runs;
    private final Outbox outbox;
    private final DatabaseReady databaseReady;
    private final RedisReady redisReady;
    private final PoolSettings poolSettings;

    public LetheService(Targets targets, Deletions deletions, ExpiredKeySubscriber subscriber, SweepSchedule sweeps,
            Ownership ownership, LetheMetrics metrics, LetheConfig config, Migrations migrations,
            TargetPauses pauses, SweepRuns runs, Outbox outbox, DatabaseReady databaseReady, RedisReady redisReady,
            PoolSettings poolSettings) {
        this.targets = targets;
        this.deletions = deletions;
        this.subscriber = subscriber;
        this.sweeps = sweeps;
        this.ownership = ownership;
        this.metrics = metrics;
        this.config = config;
        this.migrations = migrations;
        this.pauses = pauses;
        this.runs = runs;
        this.outbox = outbox;
        this.databaseReady = databaseReady;
        this.redisReady = redisReady;
        this.poolSettings = poolSettings;
    }

    void onStart(@Observes StartupEvent event) {
        // Nothing is created or changed in the database before every check that can refuse the start has passed.
        ConfigRules.checkAgainst(config, ConfigProvider.getConfig());
        databaseReady.await(config.database().startupWait());
        redisReady.await(config.database().startupWait());
        targets.check();
        migrations.ensure(config.database().startupWait());
        targets.prepare();
        pauses.start();
        targets.all().forEach(target -> metrics.registerTarget(target.name()));
        outbox.start();
        deletions.start(targets.all());
        sweeps.start(targets.all());
        metrics.instances(ownership::members);
        // A target this instance takes (at startup, or from a replica that died) is swept at once for the rows that
        // fell due meanwhile, and so is every owned target after a subscription gap, when the service was blind.
        ownership.start(targets.byName().keySet(), name -> targets.find(name).ifPresent(this::catchUp));
        subscriber.start(targets.byName(), () -> catchUp("a subscription gap"));
        var quarkus = ConfigProvider.getConfig();
        LOG.info(EffectiveSettings.describe(
                quarkus.getOptionalValue("quarkus.application.version", String.class).orElse("unknown"),
                config, targets.all(), subscriber.channel(), String.join(", ", subscriber.nodeStates().keySet()),
                quarkus.getOptionalValue("quarkus.datasource.reactive.url", String.class).orElse("(none)"),
                quarkus.getOptionalValue("quarkus.datasource.username", String.class), poolSettings.maxSize()));
    }

    void onStop(@Observes ShutdownEvent event) {
        long start = System.nanoTime();
        subscriber.stop();
        sweeps.stop();
        int held = deletions.pending();
        Duration timeout = config.shutdown().drainTimeout();
        String outcome;
        try {
            deletions.drain().await().atMost(timeout);
            outcome = "flushed";
        } catch (RuntimeException timedOut) {
            outcome = "gave up after " + timeout.toMillis() + " ms, having flushed";
        }
        ownership.resign();
        outbox.stop();
        int left = deletions.pending();
        LOG.infof("Lethe stopped in %d ms: %s %d of the %d ids it held; the other %d (rows not yet due, or not sent"
                + " in time) are left to the sweep", (System.nanoTime() - start) / 1_000_000, outcome, held - left,
                held, left);
    }

    private void catchUp(String why) {
        sweeps.runAll(targets.all()).subscribe().with(
                results -> LOG.debugf("Caught up after %s: %s", why, results),
                failure -> LOG.warnf("Catching up after %s failed: %s", why, failure.getMessage()));
    }

    private void catchUp(Target target) {
        sweeps.lookAheadNow(target);
        runs.runIfOwned(target).subscribe().with(
                result -> LOG.debugf("Caught up on %s after taking it over: %s", target.name(), result),
                failure -> LOG.warnf("Catching up on %s failed: %s", target.name(), failure.getMessage()));
    }
}
