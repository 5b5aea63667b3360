package dev.lethe.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.LetheMetrics.OutboxMeters;
import dev.lethe.sql.OutboxKind;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Lethe's transactional outbox: the delete statements write it, this delivers it. Files of deleted rows are deleted
 * from the bucket (lethe.blobs.bucket) and deletions are announced on the stream (lethe.events.stream), each by a
 * relay of its own, only when configured. The outbox gauges are published either way, so that alerts and dashboards
 * always find them.
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final String GAUGES_JOB = "lethe-outbox-gauges";

    private final LetheConfig config;
    private final OutboxStore store;
    private final Vertx vertx;
    private final Scheduler scheduler;
    private final LetheMetrics metrics;
    private final Instance<S3Client> s3;
    private final Redis redis;
    private final Map<OutboxKind, OutboxStore.Measure> measured = new EnumMap<>(OutboxKind.class);
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(60));

    /** @param s3 resolved only with a bucket, so that a service without files needs no S3 settings */
    public Outbox(LetheConfig config, Database database, Vertx vertx, Scheduler scheduler, LetheMetrics metrics,
            Instance<S3Client> s3, Redis redis) {
        this.config = config;
        this.store = new OutboxStore(database);
        this.vertx = vertx;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.s3 = s3;
        this.redis = redis;
    }

    public void start() {
        LetheConfig.Outbox settings = config.outbox();
        Map<OutboxKind, OutboxMeters> meters = new EnumMap<>(OutboxKind.class);
        for (OutboxKind kind : OutboxKind.values()) {
            meters.put(kind, metrics.outbox(kind, () -> measure(kind).rows(), () -> measure(kind).oldestSeconds()));
        }
        config.blobs().bucket().ifPresent(bucket -> relays.add(new OutboxRelay(vertx, store, OutboxKind.BLOB,
                new BucketSink(s3.get(), bucket, Infrastructure.getDefaultWorkerPool()), settings,
                meters.get(OutboxKind.BLOB))));
        config.events().stream().ifPresent(stream -> relays.add(new OutboxRelay(vertx, store, OutboxKind.EVENT,
                new StreamSink(redis, stream, config.events().maxLength()), settings,
                meters.get(OutboxKind.EVENT))));
        relays.forEach(OutboxRelay::start);
        measureAll().subscribe().with(done -> { });
        scheduler.newJob(GAUGES_JOB)
                .setInterval(config.sweep().backlogEvery().toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> measureAll())
                .schedule();
    }

    /** Stops delivering; rows claimed and not settled come back to any instance when their lease ends. */
    public void stop() {
        scheduler.unscheduleJob(GAUGES_JOB);
        relays.forEach(OutboxRelay::stop);
        relays.clear();
    }

    /** The last measurement; NaN (no value) until the first one, rather than a reassuring zero. */
    private synchronized OutboxStore.Measure measure(OutboxKind kind) {
        return measured.getOrDefault(kind, new OutboxStore.Measure(Double.NaN, Double.NaN));
    }

    private Uni<Void> measureAll() {
        return Multi.createFrom().items(OutboxKind.values())
                .onItem().transformToUniAndConcatenate(kind -> store.measure(kind, config.outbox().countLimit())
                        .invoke(measure -> {
                            synchronized (this) {
                                measured.put(kind, measure);
                            }
                        })
                        .onFailure().recoverWithItem(failure -> {
                            failures.log("Measuring the %s outbox failed (%s)", kind.label(),
                                    Failures.describe(failure));
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }
}
