package dev.lethe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Scenario 2: a steady stream of expiries while Redis holds a million unrelated keys with a TTL (so its expired
 * events come late) and the table holds a million rows not yet due. Lag is measured per row, by a trigger that logs
 * each deletion with the database's clock. Scenario 4 (the service's memory and CPU) is measured during this one.
 */
final class SteadyScenario {


    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    SteadyScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    /**
     * What one subject did with the same steady load. The CPU is counted twice: over the whole scenario, from a cold
     * start (the JIT compiling the hot paths included), and warm, over its second half only.
     */
    record Run(long published, Stats all, Stats event, Stats sweep, long leftBehind, double cpuSeconds,
            Map<String, Double> cpuByKind, double warmCpuSeconds, long warmRows, Map<String, Double> warmCpuByKind,
            double peakRssMib, double serverCpuSeconds, double longestTransactionSeconds, Traps.Outcome traps) {

        double cpuMillisPerThousandRows() {
            return cpuSeconds / all.count() * 1_000_000;
        }

        double warmCpuMillisPerThousandRows() {
            return warmCpuSeconds / warmRows * 1_000_000;
        }

        /** PostgreSQL's CPU over the whole scenario, per 1,000 rows deleted: the inserts' share is the same for all. */
        double serverCpuMillisPerThousandRows() {
            return serverCpuSeconds / all.count() * 1_000_000;
        }
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

        Run lethe = measure(() -> LetheUnderTest.start(options, redis.uri(), Map.of()));
        boolean baselines = Boolean.parseBoolean(options.all().get("steady-baselines"));
        Run peer = baselines ? measure(() -> PeerUnderTest.start(options, redis.uri())) : null;
        Run job = baselines ? measure(() -> DatabaseJob.start(db)) : null;

        report.add("published", "Rows published (row + key)", lethe.published, "");
        report.add("deleted", "Rows deleted", lethe.all.count(), "");
        report.add("deleted_by_event", "... by the event path", lethe.event.count(), "");
        report.add("deleted_by_sweep", "... by the look-ahead and sweep", lethe.sweep.count(), "");
        report.add("lag_p50", "Lag p50, all rows", lethe.all.p50() * 1000, "ms");
        report.check("lag_p99", "Lag p99, all rows", lethe.all.p99() * 1000, "ms", "< 50 ms",
                lethe.all.p99() < 0.05);
        report.check("lag_max", "Lag max, all rows", lethe.all.max() * 1000, "ms", "< 200 ms",
                lethe.all.max() < 0.2);
        report.add("lag_event_p50", "Lag p50 / p99 / max, event path", String.format("%.0f / %.0f / %.0f ms",
                lethe.event.p50() * 1000, lethe.event.p99() * 1000, lethe.event.max() * 1000), "");
        report.add("lag_sweep_p50", "Lag p50 / p99 / max, look-ahead and sweep", String.format(
                "%.0f / %.0f / %.0f ms", lethe.sweep.p50() * 1000, lethe.sweep.p99() * 1000,
                lethe.sweep.max() * 1000), "");
        report.put("lag_event", Map.of("p50", lethe.event.p50(), "p99", lethe.event.p99(), "max", lethe.event.max()));
        report.put("lag_sweep", Map.of("p50", lethe.sweep.p50(), "p99", lethe.sweep.p99(), "max", lethe.sweep.max()));
        report.check("left_behind", "Rows still present 5 s after their due time", lethe.leftBehind, "", "0",
                lethe.leftBehind == 0);
        lethe.traps.report(report, "", String.format("Of %,d planted each: ", TRAPS));
        resources.check("peak_rss_mib", "Peak RSS (VmHWM)", lethe.peakRssMib, "MiB", "< 200 MiB",
                lethe.peakRssMib < 200);
        resources.add("cpu_seconds", "CPU seconds (user + system), cold start", lethe.cpuSeconds, "s");
        resources.add("cpu_ms_per_thousand_rows", "CPU per 1,000 rows deleted, cold start",
                lethe.cpuMillisPerThousandRows(), "ms");
        resources.add("cpu_by_thread_kind", "... by thread: " + String.join(" / ", lethe.cpuByKind.keySet()),
                seconds(lethe.cpuByKind), "s");
        resources.check("warm_cpu_ms_per_thousand_rows", "CPU per 1,000 rows deleted, warm (second half)",
                lethe.warmCpuMillisPerThousandRows(), "ms", "<= 15 ms", lethe.warmCpuMillisPerThousandRows() <= 15);
        resources.add("warm_cpu_by_thread_kind", "... by thread: " + String.join(" / ",
                lethe.warmCpuByKind.keySet()), seconds(lethe.warmCpuByKind), "s");
        if (baselines) {
            report.add("peer_lag", "Naive peer: lag p50 / p99 / max", String.format("%.0f / %.0f / %.0f ms",
                    peer.all.p50() * 1000, peer.all.p99() * 1000, peer.all.max() * 1000), "");
            report.put("peer_lag_values", Map.of("p50", peer.all.p50(), "p99", peer.all.p99(), "max", peer.all.max()));
            report.add("peer_left_behind", "Naive peer: rows still present 5 s after their due time", peer.leftBehind,
                    "");

            report.add("job_lag", "Database job (DELETE of every due row, then 1 s of sleep): lag p50 / p99 / max",
                    String.format("%.0f / %.0f / %.0f ms", job.all.p50() * 1000, job.all.p99() * 1000,
                            job.all.max() * 1000), "");
            report.put("job_lag_values", Map.of("p50", job.all.p50(), "p99", job.all.p99(), "max", job.all.max()));
            report.add("job_left_behind", "Database job: rows still present 5 s after their due time", job.leftBehind,
                    "");
            report.add("job_longest_transaction_ms", "Database job: longest run (one transaction)",
                    job.longestTransactionSeconds * 1000, "ms");
            report.add("server_cpu_ms_per_thousand_rows", "PostgreSQL's CPU per 1,000 rows (inserts included):"
                    + " Lethe / naive peer / database job", String.format("%.1f / %.1f / %.1f",
                            lethe.serverCpuMillisPerThousandRows(), peer.serverCpuMillisPerThousandRows(),
                            job.serverCpuMillisPerThousandRows()), "ms");
            report.put("server_cpu_ms_per_thousand_rows_values", Map.of("lethe", lethe.serverCpuMillisPerThousandRows(),
                    "peer", peer.serverCpuMillisPerThousandRows(), "job", job.serverCpuMillisPerThousandRows()));
            resources.add("peer_cpu_ms_per_thousand_rows", "Naive peer: CPU per 1,000 rows deleted, cold / warm",
                    String.format("%.1f / %.1f", peer.cpuMillisPerThousandRows(), peer.warmCpuMillisPerThousandRows()),
                    "ms");
            double cpuRatio = peer.warmCpuMillisPerThousandRows() / lethe.warmCpuMillisPerThousandRows();
            resources.check("peer_cpu_ratio", "Naive peer's CPU per row / Lethe's, warm", cpuRatio, "x", ">= 3x",
                    cpuRatio >= 3);
            resources.add("peer_peak_rss_mib", "Naive peer: peak RSS (VmHWM)", peer.peakRssMib, "MiB");
        }
        resources.add("jvm_options", "JVM options (the peer's heap is 1 GiB)",
                options.letheJvm().isEmpty() ? "(defaults)" : String.join(" ", options.letheJvm()), "");
        return List.of(report, resources);
    }

    private static String seconds(Map<String, Double> byKind) {
        return byKind.values().stream().map(v -> String.format("%.1f", v)).collect(Collectors.joining(" / "));
    }

    /** Starts a subject on a fresh table and Redis. */
    interface Starter {
        Subject start() throws Exception;
    }

    /** Rows on legal hold and rows with a stale key planted in each run, due halfway through it. */
    private static final int TRAPS = 1000;

    Run measure(Starter starter) throws Exception {
        int rate = options.integer("steady-rate");
        int seconds = options.integer("steady-seconds");
        int lead = options.integer("steady-lead-seconds");
        redis.flush();
        redis.setUnrelated(options.integer("unrelated-keys"), 3600);
        db.recreateTable();
        db.insert(options.integer("pending-rows"), "now() + interval '1 day'");
        db.vacuumAnalyze();
        db.logDeletions();
        Run run;
        try (Subject subject = starter.start()) {
            double serverBefore = ProcessStats.serverCpuSeconds();
            double cpuBefore = subject.cpuSeconds();
            Map<String, Double> threadsBefore = subject.threadCpuSeconds();
            // Halfway through the deletions (which begin {@code lead} seconds in), the warm half begins.
            long warmFrom = System.currentTimeMillis() + (lead + seconds / 2) * 1000L;
            double[] cpuAtWarm = new double[1];
            List<Map<String, Double>> threadsAtWarm = new ArrayList<>();
            Thread warm = new Thread(() -> {
                try {
                    Thread.sleep(Math.max(0, warmFrom - System.currentTimeMillis()));
                    cpuAtWarm[0] = subject.cpuSeconds();
                    threadsAtWarm.add(subject.threadCpuSeconds());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            warm.start();
            Traps traps = Traps.plant(db, redis, TRAPS, warmFrom);
            long published = Publisher.publish(db, redis, rate, lead, () -> false, seconds * 1000L);
            // The last rows fall due {@code lead} seconds after they were written; "left behind" is read 5 s later.
            Thread.sleep((lead + 5 + 2) * 1000L);
            warm.join();
            double cpuAfter = subject.cpuSeconds();
            double serverAfter = ProcessStats.serverCpuSeconds();
            Map<String, Double> threadsAfter = subject.threadCpuSeconds();
            long leftBehind = db.leftBehind();
            run = new Run(published, Stats.of(db.lags(null)), Stats.of(db.lags("event")), Stats.of(db.lags("sweep")),
                    leftBehind, cpuAfter - cpuBefore, ProcessStats.cpuByKind(threadsBefore, threadsAfter),
                    cpuAfter - cpuAtWarm[0], db.deletedSince(warmFrom),
                    ProcessStats.cpuByKind(threadsAtWarm.get(0), threadsAfter), subject.peakRssMib(),
                    serverAfter - serverBefore,
                    subject instanceof DatabaseJob databaseJob ? databaseJob.longestTransactionSeconds() : Double.NaN,
                    traps.outcome(db));
        }
        redis.flush();
        return run;
    }
}
