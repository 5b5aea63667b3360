package dev.lethe.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/**
 * Scenario 1: every key of a burst expires at the same instant. Lethe's rate is set against the two ceilings
 * measured in the same run: a bare subscriber that only counts the events, and raw batched deletes of the same rows.
 */
final class BurstScenario {

    private static final String PREFIX = "lethe:message:";
    private static final int RAW_BATCH = 500;

    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    BurstScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    Report run() throws Exception {
        int rows = options.integer("burst-rows");
        Report report = new Report("burst", String.format("%,d rows whose keys all expire at the same instant", rows));
        report.add("rows", "Rows", rows, "");

        double subscriberSeconds = bareSubscriber(rows);
        double subscriberRate = rows / subscriberSeconds;
        report.add("subscriber_seconds", "Bare subscriber: last event after the instant", subscriberSeconds, "s");
        report.add("subscriber_rate", "Bare subscriber: events per second", subscriberRate, "/s");

        double rawSeconds = rawDelete(rows);
        double rawRate = rows / rawSeconds;
        report.add("raw_delete_seconds", "Raw batched DELETE (" + options.integer("burst-delete-threads")
                + " connections, " + RAW_BATCH + " ids per statement)", rawSeconds, "s");
        report.add("raw_delete_rate", "Raw batched DELETE: rows per second", rawRate, "/s");

        double eventSeconds = lethe(rows, Map.of("lethe.sweep.lookahead", "0s", "lethe.sweep.every", "1h"), report,
                "events_only");
        double eventRate = rows / eventSeconds;
        report.add("lethe_events_only_seconds", "Lethe, event path alone: last row gone after the instant",
                eventSeconds, "s");
        report.add("lethe_events_only_rate", "Lethe, event path alone: deletions per second", eventRate, "/s");
        report.check("ratio_to_subscriber", "Lethe (events) / bare subscriber", eventRate / subscriberRate, "",
                ">= 0.6", eventRate / subscriberRate >= 0.6);
        report.add("ratio_to_raw_delete", "Lethe (events) / raw batched DELETE", eventRate / rawRate, "");

        double peerSeconds = burst(rows, () -> PeerUnderTest.start(options, redis.uri()), report, "peer");
        double peerRate = rows / peerSeconds;
        report.add("peer_seconds", "Naive peer (one DELETE per event, pool of 10): last row gone after the instant",
                peerSeconds, "s");
        report.add("peer_rate", "Naive peer: deletions per second", peerRate, "/s");
        report.add("ratio_to_peer", "Lethe (events) / naive peer", eventRate / peerRate, "");

        DatabaseJob[] started = new DatabaseJob[1];
        double jobSeconds = burst(rows, () -> started[0] = DatabaseJob.start(db), report, "job");
        report.add("job_seconds", "Database job (DELETE of every due row, then 1 s of sleep): last row gone after"
                + " the instant", jobSeconds, "s");
        report.add("job_longest_transaction_ms", "Database job: longest run (one transaction)",
                started[0].longestTransactionSeconds() * 1000, "ms");

        double defaultSeconds = lethe(rows, Map.of(), report, "default");
        report.add("lethe_default_seconds", "Lethe, default settings (events + look-ahead + sweep)", defaultSeconds,
                "s");
        report.add("lethe_default_rate", "Lethe, default settings: deletions per second", rows / defaultSeconds, "/s");
        return report;
    }

    private double bareSubscriber(int rows) throws InterruptedException {
        redis.flush();
        List<String> keys = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            keys.add(PREFIX + UUID.randomUUID());
        }
        try (BenchRedis.CountingSubscriber subscriber = redis.new CountingSubscriber(PREFIX)) {
            long instant = System.currentTimeMillis() + leadMillis(rows);
            redis.setAt(keys, instant);
            await(() -> subscriber.count.get() >= rows, 20, instant + 180_000, "the bare subscriber's events");
            return (subscriber.lastMillis - instant) / 1000.0;
        }
    }

    private double rawDelete(int rows) throws Exception {
        db.recreateTable();
        db.insert(rows, "now() - interval '1 minute'");
        db.vacuumAnalyze();
        ConcurrentLinkedQueue<UUID[]> batches = new ConcurrentLinkedQueue<>();
        List<UUID> ids = db.ids("true");
        for (int i = 0; i < ids.size(); i += RAW_BATCH) {
            batches.add(ids.subList(i, Math.min(ids.size(), i + RAW_BATCH)).toArray(UUID[]::new));
        }
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < options.integer("burst-delete-threads"); t++) {
            Thread thread = new Thread(() -> {
                try (Connection connection = db.connect(); PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + BenchDatabase.TABLE + " WHERE id = ANY(?)")) {
                    UUID[] batch;
                    while ((batch = batches.poll()) != null) {
                        delete.setArray(1, connection.createArrayOf("uuid", batch));
                        delete.executeUpdate();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (db.count("true") != 0) {
            throw new IllegalStateException("the raw delete left rows behind");
        }
        return seconds;
    }

    private double lethe(int rows, Map<String, String> config, Report report, String variant) throws Exception {
        return burst(rows, () -> LetheUnderTest.start(options, redis.uri(), config), report, variant);
    }

    /** Starts a subject on a fresh table and Redis. */
    private interface Starter {
        Subject start() throws Exception;
    }

    /** Seconds from the instant every key expires to the last row gone, for one subject. */
    private double burst(int rows, Starter starter, Report report, String variant) throws Exception {
        redis.flush();
        db.recreateTable();
        try (Subject subject = starter.start()) {
            long instant = System.currentTimeMillis() + leadMillis(rows);
            db.insert(rows, "to_timestamp(" + instant / 1000.0 + ")");
            db.vacuumAnalyze();
            List<String> keys = db.ids("true").stream().map(id -> PREFIX + id).toList();
            redis.setAt(keys, instant);
            if (System.currentTimeMillis() >= instant) {
                throw new IllegalStateException("loading took longer than the lead time");
            }
            // Polled in the database (an index probe), not through Lethe's metrics, whose rendering would cost the
            // service under test CPU it needs for the burst.
            double cpuBefore = subject.cpuSeconds();
            String name = subject instanceof LetheUnderTest ? "lethe_" + variant : variant;
            // Lethe takes seconds; a minute means events were dropped (a full queue) and left to a sweep that this
            // variant may not run: reported as such instead of ending the benchmark.
            long patience = subject instanceof LetheUnderTest ? 60_000 : 300_000;
            double seconds;
            try {
                await(() -> !db.anyDueBy(instant), 25, instant + patience, variant + " deleting the burst");
                seconds = (System.currentTimeMillis() - instant) / 1000.0;
            } catch (org.awaitility.core.ConditionTimeoutException unfinished) {
                if (!(subject instanceof LetheUnderTest)) {
                    throw unfinished;
                }
                seconds = Double.NaN;
            }
            report.put(name + "_cpu_seconds", subject.cpuSeconds() - cpuBefore);
            if (subject instanceof LetheUnderTest lethe) {
                report.put(name + "_by_event", lethe.metric("lethe_rows_deleted_total", "source=\"event\""));
                report.put(name + "_by_sweep", lethe.metric("lethe_rows_deleted_total", "source=\"sweep\""));
                report.add(name + "_dropped", "Lethe (" + variant + "): events dropped for a full queue (left to"
                        + " the sweep)", lethe.metric("lethe_events_total", "outcome=\"dropped\""), "");
            }
            return seconds;
        }
    }

    /** Time to load the rows and keys before they are all due at once. */
    private static long leadMillis(int rows) {
        return 5_000 + rows / 20;
    }

    /** Polls until the condition holds; the poll interval is the precision of the time measured. */
    static void await(BooleanSupplier condition, long pollMillis, long deadlineMillis, String what) {
        Awaitility.await(what).atMost(Duration.ofMillis(Math.max(1, deadlineMillis - System.currentTimeMillis())))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(pollMillis))
                .until(condition::getAsBoolean);
    }
}
