package dev.lethe.demo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Writes the demo's rows as a chat backend does: the row first, then its key with the row's own expiry (PXAT), a
 * few a second, round the demo's tables, and logs every ten seconds what became of them. One write at a time: when
 * PostgreSQL or Redis is slow the demo writes less, it never queues.
 */
@ApplicationScoped
public class DemoPublisher {

    private static final Logger LOG = Logger.getLogger(DemoPublisher.class);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);
    private static final Duration REDIS_DEADLINE = Duration.ofSeconds(5);
    private static final double SHORTEST_LIFE_SECONDS = 2;
    private static final double LONGEST_LIFE_SECONDS = 12;

    private final LetheConfig config;
    private final Database database;
    private final Redis redis;
    private final Vertx vertx;
    private final DemoReport report;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(10));
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final List<DemoTable> tables = DemoTable.ALL;
    private long writes;
    private long reports;
    private int next;
    private volatile DemoReport.Figures last;

    public DemoPublisher(LetheConfig config, Database database, Redis redis, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.database = database;
        this.redis = redis;
        this.vertx = vertx;
        this.report = new DemoReport(database, registry);
    }

    /** Starts after Lethe's own start (the default observer priority is earlier), so Lethe hears the first key. */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        int rate = config.demo().rowsPerSecond();
        writes = vertx.setPeriodic(Math.max(1, 1000 / rate), id -> writeOne());
        reports = vertx.setPeriodic(REPORT_EVERY.toMillis(), id -> report());
        LOG.infof("Demo: writing %d rows a second into %s, each with its key %s:<target>:<id> expiring in %.0f to"
                + " %.0f s; a summary every %d s here, and the figures at /q/metrics (lethe_rows_deleted_total,"
                + " lethe_delete_lag_seconds)", rate,
                tables.stream().map(DemoTable::table).collect(Collectors.joining(", ")), config.keyPrefix(),
                SHORTEST_LIFE_SECONDS, LONGEST_LIFE_SECONDS, REPORT_EVERY.toSeconds());
    }

    /** Stops before Lethe's own stop (the default observer priority is later), so no key is set that none hears. */
    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        vertx.cancelTimer(writes);
        vertx.cancelTimer(reports);
    }

    /** The figures of the latest report, for the tests; null before the first. */
    DemoReport.Figures lastReport() {
        return last;
    }

    private void writeOne() {
        if (!writing.compareAndSet(false, true)) {
            return;
        }
        DemoTable table = tables.get(next++ % tables.size());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double life = SHORTEST_LIFE_SECONDS + random.nextDouble() * (LONGEST_LIFE_SECONDS - SHORTEST_LIFE_SECONDS);
        Tuple parameters = table.keepsSome()
                ? Tuple.of(life, random.nextInt(table.keptOneIn()) == 0)
                : Tuple.of(life);
        database.execute(table.insert(), parameters)
                .map(rows -> rows.iterator().next())
                .chain(row -> publish(table, row))
                .subscribe().with(
                        done -> {
                            written.incrementAndGet();
                            writing.set(false);
                        },
                        failure -> {
                            failures.log("Demo: writing a row into %s failed: %s", table.table(),
                                    Failures.describe(failure));
                            writing.set(false);
                        });
    }

    /** Sets the row's key to expire exactly when the row does; a row that never expires gets no key. */
    private Uni<Void> publish(DemoTable table, Row row) {
        Long expiresAtMillis = row.getLong(1);
        if (expiresAtMillis == null) {
            return Uni.createFrom().voidItem();
        }
        String key = config.keyPrefix() + ":" + table.target() + ":" + row.getString(0);
        Request set = Request.cmd(Command.SET).arg(key).arg("1").arg("PXAT").arg(expiresAtMillis);
        return Uni.createFrom().completionStage(() -> redis.send(set).toCompletionStage())
                .ifNoItem().after(REDIS_DEADLINE).fail()
                .replaceWithVoid();
    }

    private void report() {
        report.since(written.getAndSet(0)).subscribe().with(
                figures -> {
                    last = figures;
                    LOG.info(figures.line((int) REPORT_EVERY.toSeconds()));
                },
                failure -> failures.log("Demo: the summary failed: %s", Failures.describe(failure)));
    }
}
