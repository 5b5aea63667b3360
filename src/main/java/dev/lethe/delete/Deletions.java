package dev.lethe.delete;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.config.LetheConfig;
import dev.lethe.coordination.TargetGate;
import dev.lethe.metrics.EventOutcome;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Where a row that should go now, or soon, is handed in: expiry events and rows the sweep saw falling due. Owns one
 * bounded batch queue per target and source, and the rows deferred to their due time.
 */
@ApplicationScoped
public class Deletions implements DeferredDeletes.Sink {

    private final BatchDeleter deleter;
    private final LetheMetrics metrics;
    private final LetheConfig config;
    private final Vertx vertx;
    private final TargetGate gate;
    private final DeferredDeletes deferred;
    private final RecentlyDeleted recent;
    private final Accounting accounting;
    private volatile Map<String, Map<Source, DeleteQueue>> queues = Map.of();

    public Deletions(BatchDeleter deleter, LetheMetrics metrics, LetheConfig config, Vertx vertx,
            TargetGate gate) {
        this.deleter = deleter;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.gate = gate;
        this.deferred = new DeferredDeletes(vertx, config.deferred().capacity(), this);
        this.recent = new RecentlyDeleted(config.deferred().remembered());
        this.accounting = new Accounting(deferred, recent, metrics);
    }

    public void start(Collection<Target> targets) {
        DeleteQueue.Limits limits = DeleteQueue.Limits.of(config.batch());
        Map<String, Map<Source, DeleteQueue>> created = new HashMap<>();
        for (Target target : targets) {
            Map<Source, DeleteQueue> bySource = new EnumMap<>(Source.class);
            for (Source source : Source.values()) {
                bySource.put(source, new DeleteQueue(target, source, deleter, vertx, limits, accounting));
            }
            created.put(target.name(), bySource);
        }
        queues = Map.copyOf(created);
    }

    /** An expiry event for a row of a target: delete the row if it is due. */
    public void submit(Target target, Object id) {
        if (recent.contains(target.name(), id)) {
            // The look-ahead, or an earlier event, deleted this row a moment ago: nothing to ask the database.
            TargetGate.Verdict verdict = gate.verdict(target.name());
            metrics.event(verdict.owner() ? EventOutcome.ABSENT : notActedOn(verdict));
            return;
        }
        DeleteQueue queue = queueActingOn(target, Source.EVENT);
        if (queue != null && !queue.offer(id)) {
            metrics.event(EventOutcome.DROPPED);
        }
    }

    /** A row that falls due after {@code delayNanos}: delete it then. False if it could not be held. */
    public boolean deleteWhenDue(Target target, Source source, Object id, long delayNanos) {
        return deferred.schedule(target, source, id, delayNanos) != DeferredDeletes.Scheduled.FULL;
    }

    /** Rows waiting in queues, in flight, or deferred. */
    public int pending() {
        int pending = deferred.size();
        for (Map<Source, DeleteQueue> bySource : queues.values()) {
            for (DeleteQueue queue : bySource.values()) {
                pending += queue.pending();
            }
        }
        return pending;
    }

    /** Sends every queued id now and completes once no batch is in flight; deferred rows are left to the sweep. */
    public Uni<Void> drain() {
        return Uni.createFrom().emitter(emitter -> {
            Collection<DeleteQueue> all = queues.values().stream().flatMap(m -> m.values().stream()).toList();
            AtomicInteger busy = new AtomicInteger(all.size());
            if (all.isEmpty()) {
                emitter.complete(null);
            }
            for (DeleteQueue queue : all) {
                queue.drain(() -> {
                    if (busy.decrementAndGet() == 0) {
                        emitter.complete(null);
                    }
                });
            }
        });
    }

    /** What an event this instance does not act on is counted as: another's, or nobody's. */
    private static EventOutcome notActedOn(TargetGate.Verdict verdict) {
        return verdict == TargetGate.Verdict.OWNED_ELSEWHERE ? EventOutcome.DELEGATED : EventOutcome.NO_OWNER;
    }

    /** A deferred row's due time has come: it leaves at once, with every row due in the same moment. */
    @Override
    public void due(Target target, Source source, Object id) {
        DeleteQueue queue = queueActingOn(target, source);
        if (queue != null && !queue.offerDue(id) && source == Source.EVENT) {
            metrics.event(EventOutcome.DROPPED);
        }
    }

    /**
     * The queue that takes the target's rows from this source, when this instance acts on the target now; null,
     * with the event counted, when it does not. A paused target would delete nothing anyway: its rows wait for the
     * sweep that follows the resume.
     */
    private DeleteQueue queueActingOn(Target target, Source source) {
        TargetGate.Verdict verdict = gate.verdict(target.name());
        Map<Source, DeleteQueue> bySource = queues.get(target.name());
        if (verdict == TargetGate.Verdict.ACT && bySource != null) {
            return bySource.get(source);
        }
        if (source == Source.EVENT) {
            metrics.event(verdict.owner() ? EventOutcome.DROPPED : notActedOn(verdict));
        }
        return null;
    }
}
