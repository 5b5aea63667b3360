package dev.lethe.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.sql.OutboxKind;
import dev.lethe.sql.Source;
import dev.lethe.support.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Owns every meter Lethe publishes: names, labels and descriptions live here and only here, because they are the
 * public contract that dashboards and alerts are written against (docs/operations.md lists the Prometheus names).
 */
@ApplicationScoped
public class LetheMetrics {

    public static final String ROWS_DELETED = "lethe.rows.deleted";
    public static final String DELETE_LAG = "lethe.delete.lag";
    public static final String EVENTS = "lethe.events";
    public static final String REDIS_SUBSCRIBED = "lethe.redis.subscribed";
    public static final String REDIS_SUBSCRIPTION_LOSSES = "lethe.redis.subscription.losses";
    public static final String REDIS_NOTIFICATIONS = "lethe.redis.notifications";
    public static final String DATABASE_ERRORS = "lethe.database.errors";
    public static final String DELETE_LOCK_WAITS = "lethe.delete.lock.waits";
    public static final String SWEEP_RUNS = "lethe.sweep.runs";
    public static final String SWEEP_DURATION = "lethe.sweep.duration";
    public static final String SWEEP_BATCH_DURATION = "lethe.sweep.batch.duration";
    public static final String TARGET_OWNER = "lethe.target.owner";
    public static final String INSTANCES = "lethe.instances";
    public static final String BACKLOG_ROWS = "lethe.backlog.rows";
    public static final String BACKLOG_OLDEST = "lethe.backlog.oldest";
    public static final String TARGET_PAUSED = "lethe.target.paused";
    public static final String TARGET_FAILING = "lethe.target.failing";
    public static final String ADMIN_AUTH_FAILURES = "lethe.admin.auth.failures";
    public static final String ADMIN_ACTIONS = "lethe.admin.actions";
    public static final String OUTBOX_ROWS = "lethe.outbox.rows";
    public static final String OUTBOX_OLDEST = "lethe.outbox.oldest";
    public static final String BLOBS_DELETED = "lethe.blobs.deleted";
    public static final String BLOB_DELETE_FAILURES = "lethe.blob.delete.failures";
    public static final String DELETIONS_ANNOUNCED = "lethe.deletions.announced";
    public static final String ANNOUNCE_FAILURES = "lethe.deletions.announce.failures";

    public static final String TAG_TARGET = "target";
    public static final String TAG_SOURCE = "source";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_NODE = "node";
    public static final String TAG_OPERATION = "operation";
    public static final String TAG_RESULT = "result";
    public static final String TAG_KIND = "kind";
    public static final String TAG_ACTION = "action";

    /** Bucket bounds of the lag histogram: from "at once" to "an hour late". */
    private static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1)
    };

    private final MeterRegistry registry;
    private final Map<EventOutcome, Counter> events = new EnumMap<>(EventOutcome.class);
    private final Map<String, DeletionMeters> deletions = new ConcurrentHashMap<>();
    private final Map<String, Counter> databaseErrors = new ConcurrentHashMap<>();
    private final TargetFailures failures = new TargetFailures();

    public LetheMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (EventOutcome outcome : EventOutcome.values()) {
            events.put(outcome, Counter.builder(EVENTS)
                    .description("Expiry events received, by what became of them")
                    .tag(TAG_OUTCOME, outcome.label())
                    .register(registry));
        }
        for (AuthFailure result : AuthFailure.values()) {
            adminAuthFailures(result);
        }
        for (AdminAction action : AdminAction.values()) {
            for (AdminAction.Result result : AdminAction.Result.values()) {
                adminActions(action, result);
            }
        }
    }

    /** Rows deleted and their lag, for one target and source. */
    public record DeletionMeters(Counter rows, Timer lag) {

        /** Records the lag of one deleted row: its expiry passed {@code lagSeconds} before its deletion. */
        public void lag(double lagSeconds) {
            // A row deleted because of an extra due condition may not have reached its expiry yet: it was not late.
            if (lagSeconds >= 0) {
                lag.record((long) (lagSeconds * 1e9), TimeUnit.NANOSECONDS);
            }
        }

        /** Counts the rows one statement deleted. */
        public void deleted(int count) {
            if (count > 0) {
                rows.increment(count);
            }
        }
    }

    public DeletionMeters deletion(String target, Source source) {
        return deletions.computeIfAbsent(target + '\0' + source.label(), key -> {
            Tags tags = Tags.of(TAG_TARGET, target, TAG_SOURCE, source.label());
            return new DeletionMeters(
                    Counter.builder(ROWS_DELETED)
                            .description("Rows deleted, by target and by what triggered the deletion")
                            .tags(tags)
                            .register(registry),
                    Timer.builder(DELETE_LAG)
                            .description("Per deleted row: the database's now() at deletion minus the row's expiry")
                            .tags(tags)
                            .serviceLevelObjectives(LAG_BUCKETS)
                            .register(registry));
        });
    }

    public void event(EventOutcome outcome) {
        events.get(outcome).increment();
    }

    public void events(EventOutcome outcome, int count) {
        if (count > 0) {
            events.get(outcome).increment(count);
        }
    }

    /** Publishes a node's subscription state: 1 while its expired-channel subscription is live. */
    public void subscriptionState(String node, Supplier<Number> state) {
        subscriptionLosses(node);
        Gauge.builder(REDIS_SUBSCRIBED, state)
                .description("1 while the subscription to the expired-key channel of this Redis node is live")
                .tag(TAG_NODE, node)
                .strongReference(true)
                .register(registry);
    }

    /** Counts a live subscription lost: a blind spot, which the catch-up sweep covers. */
    public void subscriptionLost(String node) {
        subscriptionLosses(node).increment();
    }

    private Counter subscriptionLosses(String node) {
        return Counter.builder(REDIS_SUBSCRIPTION_LOSSES)
                .description("Live expired-channel subscriptions lost on this Redis node (each a blind spot the"
                        + " catch-up sweep covers)")
                .tag(TAG_NODE, node)
                .register(registry);
    }

    /** Publishes whether a node announces expired keys: 1 yes, 0 no, no value until it is known. */
    public void notificationsState(String node, Supplier<Number> state) {
        Gauge.builder(REDIS_NOTIFICATIONS, state)
                .description("1 while the Redis node announces expired keys (notify-keyspace-events has E and x, or a"
                        + " test key's expiry was heard), 0 when it does not")
                .tag(TAG_NODE, node)
                .strongReference(true)
                .register(registry);
    }

    public void forgetSubscription(String node) {
        registry.find(REDIS_SUBSCRIBED).tag(TAG_NODE, node).meters().forEach(registry::remove);
        registry.find(REDIS_NOTIFICATIONS).tag(TAG_NODE, node).meters().forEach(registry::remove);
    }

    /** Counts a finished sweep run and records how long it took. */
    public void sweepRun(String target, SweepOutcome result, Duration duration) {
        sweepRunCounter(target, result).increment();
        Timer.builder(SWEEP_DURATION)
                .description("Duration of sweep runs")
                .tag(TAG_TARGET, target)
                .register(registry).record(duration);
    }

    private Counter sweepRunCounter(String target, SweepOutcome result) {
        return Counter.builder(SWEEP_RUNS)
                .description("Sweep runs, by target and result (complete, budget, failed, skipped)")
                .tags(TAG_TARGET, target, TAG_RESULT, result.label())
                .register(registry);
    }

    /**
     * Counts a delete that met a row another transaction held past the lock wait, and was sent again skipping held
     * rows.
     */
    public void deleteMetHeldRow(String target) {
        lockWaitCounter(target).increment();
    }

    private Counter lockWaitCounter(String target) {
        return Counter.builder(DELETE_LOCK_WAITS)
                .description("Deletes that met a row another transaction held for longer than the lock wait (50 ms)"
                        + " and were sent again skipping the rows held")
                .tag(TAG_TARGET, target)
                .register(registry);
    }

    /** The timer of single sweep statements: the time each transaction held the row locks it took. */
    public Timer sweepBatches(String target) {
        return Timer.builder(SWEEP_BATCH_DURATION)
                .description("Duration of single sweep statements, each its own short transaction")
                .tag(TAG_TARGET, target)
                .register(registry);
    }

    /** Publishes whether this instance owns a target: its events, look-ahead, sweep and backlog count. */
    public void targetOwner(String target, Supplier<Number> owning) {
        Gauge.builder(TARGET_OWNER, owning)
                .description("1 on the one instance that does the target's work (events, look-ahead, sweep)")
                .tag(TAG_TARGET, target)
                .strongReference(true)
                .register(registry);
    }

    /** Publishes how many Lethe instances share the work, as this one sees them. */
    public void instances(Supplier<Number> count) {
        Gauge.builder(INSTANCES, count)
                .description("Live Lethe instances sharing the targets (rows of lethe.instances renewed within a lease)")
                .strongReference(true)
                .register(registry);
    }

    /** Publishes a target's backlog: rows expired and allowed by the guard, yet still present. */
    public void backlog(String target, Supplier<Number> rows, Supplier<Number> oldestSeconds) {
        Gauge.builder(BACKLOG_ROWS, rows)
                .description("Rows whose expiry has passed and which the guard allows, still present (counted "
                        + "through the expiry index, up to lethe.sweep.backlog-limit)")
                .tag(TAG_TARGET, target)
                .strongReference(true)
                .register(registry);
        Gauge.builder(BACKLOG_OLDEST, oldestSeconds)
                .description("How long ago the oldest backlog row expired")
                .baseUnit("seconds")
                .tag(TAG_TARGET, target)
                .strongReference(true)
                .register(registry);
    }

    /**
     * Creates every series of a target at zero, so that dashboards and alerts see the series before the first
     * deletion or failure instead of no data.
     */
    public void registerTarget(String target) {
        for (Source source : Source.values()) {
            deletion(target, source);
        }
        for (Operation operation : Operation.values()) {
            databaseErrorCounter(target, operation);
        }
        for (SweepOutcome result : SweepOutcome.values()) {
            sweepRunCounter(target, result);
        }
        sweepBatches(target);
        lockWaitCounter(target);
        Gauge.builder(TARGET_FAILING, () -> failures.failingSeconds(target))
                .description("How long the target's statements of one kind (delete, sweep, backlog count,"
                        + " look-ahead) have kept failing; 0 while the latest of each succeeded")
                .baseUnit("seconds")
                .tag(TAG_TARGET, target)
                .strongReference(true)
                .register(registry);
    }

    /** Rows this instance deleted for a target from one source since it started. */
    public long deletedSinceStart(String target, Source source) {
        return (long) deletion(target, source).rows().count();
    }

    /** Publishes whether a target is paused (1) or deleting (0). */
    public void targetPaused(String target, Supplier<Number> paused) {
        Gauge.builder(TARGET_PAUSED, paused)
                .description("1 while the target is paused through the admin API: nothing of it is deleted")
                .tag(TAG_TARGET, target)
                .strongReference(true)
                .register(registry);
    }

    /** Rows of one outbox kind delivered, and failed deliveries (each retried later). */
    public record OutboxMeters(Counter delivered, Counter failed) {
    }

    /**
     * Publishes the outbox of one kind: its size and age, and the counters of its deliveries. Every instance reads
     * the same table, so every instance reports the same size; dashboards take the max.
     */
    public OutboxMeters outbox(OutboxKind kind, Supplier<Number> rows, Supplier<Number> oldestSeconds) {
        Gauge.builder(OUTBOX_ROWS, rows)
                .description("Outbox rows waiting for delivery: files to delete (blob) or deletions to announce "
                        + "(event), counted up to lethe.outbox.count-limit")
                .tag(TAG_KIND, kind.label())
                .strongReference(true)
                .register(registry);
        Gauge.builder(OUTBOX_OLDEST, oldestSeconds)
                .description("How long ago the deletion behind the oldest waiting outbox row committed")
                .baseUnit("seconds")
                .tag(TAG_KIND, kind.label())
                .strongReference(true)
                .register(registry);
        return switch (kind) {
            case BLOB -> new OutboxMeters(
                    Counter.builder(BLOBS_DELETED)
                            .description("Files of deleted rows deleted from the bucket (or found already gone)")
                            .register(registry),
                    Counter.builder(BLOB_DELETE_FAILURES)
                            .description("File deletions that failed and wait for a retry")
                            .register(registry));
            case EVENT -> new OutboxMeters(
                    Counter.builder(DELETIONS_ANNOUNCED)
                            .description("Deleted rows announced on the deletion stream")
                            .register(registry),
                    Counter.builder(ANNOUNCE_FAILURES)
                            .description("Announcements that failed and wait for a retry")
                            .register(registry));
        };
    }

    /** Counts an admin call refused for its key ({@code rejected}) or for too many failures ({@code limited}). */
    public void adminAuthFailure(AuthFailure result) {
        adminAuthFailures(result).increment();
    }

    private Counter adminAuthFailures(AuthFailure result) {
        return Counter.builder(ADMIN_AUTH_FAILURES)
                .description("Admin calls refused: rejected (no valid key) or limited (too many failures)")
                .tag(TAG_RESULT, result.label())
                .register(registry);
    }

    /** Counts an admin call that deleted, paused, resumed or changed keys, or tried to. */
    public void adminAction(AdminAction action, AdminAction.Result result) {
        adminActions(action, result).increment();
    }

    private Counter adminActions(AdminAction action, AdminAction.Result result) {
        return Counter.builder(ADMIN_ACTIONS)
                .description("Admin calls that delete, pause, resume or change keys, by action and result")
                .tags(TAG_ACTION, action.label(), TAG_RESULT, result.label())
                .register(registry);
    }

    /** Counts a failed statement, and starts or continues the target's streak of such failures. */
    public void databaseError(String target, Operation operation, Throwable failure) {
        databaseErrorCounter(target, operation).increment();
        failures.failed(target, operation, Failures.describe(failure));
    }

    /** A statement of the target succeeded: a streak of failures of its kind is over. */
    public void databaseAnswered(String target, Operation operation) {
        failures.succeeded(target, operation);
    }

    /**
     * The statement, its answer or its failure recorded against the target's streak of failures of its kind: both
     * halves in one place, so that no kind of statement can start a streak that nothing ends.
     */
    public <T> Uni<T> tracked(String target, Operation operation, Uni<T> statement) {
        return statement.onItemOrFailure().invoke((answer, failure) -> {
            if (failure == null) {
                databaseAnswered(target, operation);
            } else {
                databaseError(target, operation, failure);
            }
        });
    }

    /** Seconds the target's statements of one kind have kept failing; 0 when none is failing now. */
    public double failingSeconds(String target) {
        return failures.failingSeconds(target);
    }

    /** The failure behind the target's longest ongoing streak, with what failed. */
    public Optional<String> lastError(String target) {
        return failures.lastError(target);
    }

    private Counter databaseErrorCounter(String target, Operation operation) {
        return databaseErrors.computeIfAbsent(target + '\0' + operation, key -> Counter.builder(DATABASE_ERRORS)
                .description("Statements that failed after their retries, by target and operation")
                .tags(TAG_TARGET, target, TAG_OPERATION, operation.label())
                .register(registry));
    }
}
