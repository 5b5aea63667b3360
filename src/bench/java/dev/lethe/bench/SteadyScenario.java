package dev.lethe.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 2: a steady stream of expiries while Redis holds a million unrelated keys with a TTL (so its expired
 * events come late) and the table holds a million rows not yet due. Lag is measured per row, by a trigger that logs
 * each deletion with the database's clock. Scenario 4 (the service's memory and CPU) is measured during this one.
 */
final class SteadyScenario {

    private static final String PREFIX = "lethe:message:";
    private static final int TICKS_PER_SECOND = 100;

    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    SteadyScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    List<Report> run() throws Exception {
        int rate = options.integer("steady-rate");
        int seconds = options.integer("steady-seconds");
        int lead = options.integer("steady-lead-seconds");
        int unrelated = options.integer("unrelated-keys");
        int pending = options.integer("pending-rows");
        Report report = new Report("steady", String.format("%,d expiries/s for %d s; Redis holds %,d unrelated TTL"
                + " keys, the table %,d rows not yet due; rows written %d s before they are due", rate, seconds,
                unrelated, pending, lead));
        Report resources = new Report("resources", "the service during the steady scenario");

        redis.flush();
        redis.setUnrelated(unrelated, 3600);
        db.recreateTable();
        db.insert(pending, "now() + interval '1 day'");
        db.vacuumAnalyze();
        db.logDeletions();
        try (LetheUnderTest lethe = LetheUnderTest.start(options, redis.uri(), Map.of())) {
            double cpuBefore = lethe.cpuSeconds();
            long published = generate(rate, seconds, lead);
            long end = System.currentTimeMillis() + (lead + 5 + 2) * 1000L;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            double cpu = lethe.cpuSeconds() - cpuBefore;
            long leftBehind = db.count("expires_at <= now() - interval '5 seconds'");

            Stats all = Stats.of(db.lags(null));
            Stats event = Stats.of(db.lags("event"));
            Stats sweep = Stats.of(db.lags("sweep"));
            report.add("published", "Rows published (row + key)", published, "");
            report.add("deleted", "Rows deleted", all.count(), "");
            report.add("deleted_by_event", "... by the event path", event.count(), "");
            report.add("deleted_by_sweep", "... by the look-ahead and sweep", sweep.count(), "");
            report.check("lag_p50", "Lag p50, all rows", all.p50() * 1000, "ms", "", true);
            report.check("lag_p99", "Lag p99, all rows", all.p99() * 1000, "ms", "< 250 ms", all.p99() < 0.25);
            report.check("lag_max", "Lag max, all rows", all.max() * 1000, "ms", "< 1000 ms", all.max() < 1.0);
            report.add("lag_event_p50", "Lag p50 / p99 / max, event path", String.format("%.0f / %.0f / %.0f ms",
                    event.p50() * 1000, event.p99() * 1000, event.max() * 1000), "");
            report.add("lag_sweep_p50", "Lag p50 / p99 / max, look-ahead and sweep", String.format(
                    "%.0f / %.0f / %.0f ms", sweep.p50() * 1000, sweep.p99() * 1000, sweep.max() * 1000), "");
            report.put("lag_event", Map.of("p50", event.p50(), "p99", event.p99(), "max", event.max()));
            report.put("lag_sweep", Map.of("p50", sweep.p50(), "p99", sweep.p99(), "max", sweep.max()));
            report.check("left_behind", "Rows still present 5 s after their due time", leftBehind, "", "0",
                    leftBehind == 0);

            double rss = lethe.peakRssMib();
            resources.check("peak_rss_mib", "Peak RSS (VmHWM)", rss, "MiB", "< 256 MiB", rss < 256);
            resources.add("cpu_seconds", "CPU seconds (user + system)", cpu, "s");
            resources.add("cpu_per_thousand_rows", "CPU seconds per 1,000 rows deleted", cpu / all.count() * 1000,
                    "s");
            resources.add("jvm_options", "JVM options", options.letheJvm().isEmpty() ? "(defaults)"
                    : String.join(" ", options.letheJvm()), "");
        }
        redis.flush();
        return List.of(report, resources);
    }

    /** Writes rows and publishes their keys at the given rate, each due {@code lead} seconds later. */
    private long generate(int rate, int seconds, int lead) throws Exception {
        long published = 0;
        long tickNanos = 1_000_000_000L / TICKS_PER_SECOND;
        int perTick = rate / TICKS_PER_SECOND;
        try (Connection connection = db.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + BenchDatabase.TABLE + " (id, chat_id, body, expires_at) VALUES (?, ?, ?, ?)")) {
            long start = System.nanoTime();
            for (int tick = 0; tick < seconds * TICKS_PER_SECOND; tick++) {
                long due = start + tick * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long expiresAt = System.currentTimeMillis() + lead * 1000L;
                List<String> keys = new ArrayList<>(perTick);
                for (int i = 0; i < perTick; i++) {
                    UUID id = UUID.randomUUID();
                    insert.setObject(1, id);
                    insert.setObject(2, UUID.randomUUID());
                    insert.setString(3, "a disappearing message");
                    insert.setTimestamp(4, new Timestamp(expiresAt));
                    insert.addBatch();
                    keys.add(PREFIX + id);
                }
                insert.executeBatch();
                redis.setAt(keys, expiresAt);
                published += perTick;
            }
        }
        return published;
    }
}
