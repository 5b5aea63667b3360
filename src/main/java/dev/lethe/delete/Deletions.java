package dev.lethe.delete;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.coordination.TargetPauses;
import dev.lethe.config.LetheConfig;
import dev.lethe.coordination.Ownership;
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
public class Deletions {

    private final BatchDeleter deleter;
    private final LetheMetrics metrics;
    private final LetheConfig config;
    private final Vertx vertx;
    private final TargetPauses pauses;
    private final Ownership ownership;
    private final DeferredDeletes deferred;
    private final RecentlyDeleted recent;
    private volatile Map<String, Map<Source, DeleteQueue>> queues = Map.of();

    public Deletions(BatchDeleter deleter, LetheMetrics metrics, LetheConfig config, Vertx vertx,
            TargetPauses pauses, Ownership ownership) {
        this.deleter = deleter;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.pauses = pauses;
        this.ownership = ownership;
        this.deferred = new DeferredDeletes(vertx, config.deferred().capacity(), this::offer);
        this.recent = new RecentlyDeleted(config.deferred().remembered());
    }

    public void start(Collection<Target> targets) {
        Map<String, Map<Source, DeleteQueue>> created = new HashMap<>();
        for (Target target : targets) {
            Map<Source, DeleteQueue> bySource = new EnumMap<>(Source.class);
            for (Source source : Source.values()) {
                bySource.put(source, new DeleteQueue(target, source, deleter, vertx, config.batch(),
                        report -> account(target, source, report)));
            }
            created.put(target.name(), bySource);
        }
        queues = Map.copyOf(created);
    }

    /** An expiry event for a row of a target: delete the row if it is due. */
    public void submit(Target target, Object id) {
        if (recent.contains(target.name(), id)) {
            // The look-ahead, or an earlier event, deleted this row a moment ago: nothing to ask the database.
            if (ownership.owns(target.name())) {
                metrics.event(EventOutcome.ABSENT);
            } else {
                metrics.event(EventOutcome.DELEGATED);
            }
            return;
        }
        offer(target, Source.EVENT, id);
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

    private void offer(Target target, Source source, Object id) {
        if (!ownership.owns(target.name())) {
            if (source == Source.EVENT) {
                metrics.event(EventOutcome.DELEGATED);
            }
            return;
        }
        Map<Source, DeleteQueue> bySource = queues.get(target.name());
        // A paused target would delete nothing anyway: its rows wait for the sweep that follows the resume.
        if (bySource == null || pauses.isPaused(target.name()) || !bySource.get(source).offer(id)) {
            if (source == Source.EVENT) {
                metrics.event(EventOutcome.DROPPED);
            }
        }
    }

    private void account(Target target, Source source, BatchReport report) {
        report.deletedIds().forEach(id -> recent.add(target.name(), id));
        int notDue = report.notDue();
        int dropped = report.dropped();
        for (BatchReport.Retry retry : report.retries()) {
            switch (deferred.schedule(target, source, retry.id(), retry.delayNanos())) {
                case ALREADY_HELD -> notDue++;
                case FULL -> dropped++;
                case ACCEPTED -> {
                    // counted when the retry is done
                }
            }
        }
        if (source == Source.EVENT) {
            metrics.events(EventOutcome.DELETED, report.deleted());
            metrics.events(EventOutcome.ABSENT, report.absent());
            metrics.events(EventOutcome.NOT_DUE, notDue);
            metrics.events(EventOutcome.DROPPED, dropped);
        }
    }
}
