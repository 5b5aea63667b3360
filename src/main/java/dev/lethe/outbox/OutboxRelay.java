package dev.lethe.outbox;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.metrics.LetheMetrics.OutboxMeters;
import dev.lethe.sql.OutboxKind;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Delivers the outbox rows of one kind: claims a batch, hands it to the sink, settles it, and goes on at once while
 * full batches are delivered whole; otherwise it looks again after lethe.outbox.every. One loop per kind and
 * instance, never overlapping itself; instances share the rows through their claims.
 * <p>
 * A batch that fails whole halves the next one, and each batch delivered whole doubles it again up to
 * lethe.outbox.batch-size: a store that cannot delete 1,000 keys within its call timeout still drains, in smaller
 * requests, instead of timing out on the same batch forever.
 */
final class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Vertx vertx;
    private final OutboxStore store;
    private final OutboxKind kind;
    private final OutboxSink sink;
    private final LetheConfig.Outbox config;
    private final OutboxMeters meters;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private volatile boolean stopped;
    private long timer = -1;
    private volatile int size;

    OutboxRelay(Vertx vertx, OutboxStore store, OutboxKind kind, OutboxSink sink, LetheConfig.Outbox config,
            OutboxMeters meters) {
        this.vertx = vertx;
        this.store = store;
        this.kind = kind;
        this.sink = sink;
        this.config = config;
        this.meters = meters;
        this.size = config.batchSize();
    }

    void start() {
        next(Duration.ZERO);
    }

    synchronized void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private synchronized void next(Duration delay) {
        if (!stopped) {
            timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> relayOnce().subscribe().with(this::next));
        }
    }

    /**
     * One batch; the delay until the next one: none while full batches go through whole. Bounded by the lease, so
     * that a connection that never answers (a half-open socket) cannot stop the loop: after the lease the rows are
     * free for any instance anyway.
     */
    private Uni<Duration> relayOnce() {
        int limit = size;
        return Uni.createFrom().deferred(() -> store.claim(kind, limit, config.lease()))
                .chain(entries -> entries.isEmpty() ? Uni.createFrom().item(config.every()) : deliver(entries)
                        .map(delivery -> entries.size() == limit && delivery.failed().isEmpty() ? Duration.ZERO
                                : config.every()))
                .ifNoItem().after(config.lease()).fail()
                .onFailure().recoverWithItem(failure -> {
                    failures.log("Relaying the %s outbox failed (%s); trying again", kind.label(),
                            Failures.describe(failure));
                    return config.every();
                });
    }

    private Uni<Delivery> deliver(List<OutboxEntry> entries) {
        return sink.deliver(entries).call(delivery -> {
            if (delivery.delivered().isEmpty()) {
                size = Math.max(1, size / 2);
            } else if (delivery.failed().isEmpty()) {
                size = Math.min(config.batchSize(), size * 2);
            }
            meters.delivered().increment(delivery.delivered().size());
            if (!delivery.failed().isEmpty()) {
                meters.failed().increment(delivery.failed().size());
                failures.log("Delivering %d %s outbox rows failed (%s); they are retried with backoff",
                        delivery.failed().size(), kind.label(), delivery.error().orElse(""));
            }
            return store.settle(delivery, config).invoke(parked -> {
                if (parked > 0) {
                    LOG.errorf("Parked %d %s outbox rows after %d failed attempts (%s); they stay in lethe.outbox,"
                            + " counted by lethe_outbox_rows, until an operator sets their not_before to now()",
                            parked, kind.label(), config.maxAttempts(), delivery.error().orElse(""));
                }
            });
        });
    }
}
