package dev.lethe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lethe.testsupport.process.LocalProcess;

/**
 * Scenario 6: memory that holds for hours. A steady stream of expiries for as long as it takes the old generation
 * to be collected at least once, and some minutes more: before that first full collection the heap's pages are
 * only partly touched, so any resident size read earlier looks better than the service will stay. The service runs
 * with native memory tracking, so that the report says where the memory outside the heap goes.
 */
final class SoakScenario {

    private static final Pattern CATEGORY = Pattern.compile("-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    SoakScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    Report run() throws Exception {
        int rate = options.integer("soak-rate");
        long atMostMillis = options.integer("soak-max-minutes") * 60_000L;
        long afterMillis = options.integer("soak-after-full-gc-minutes") * 60_000L;
        long atLeastMillis = options.integer("soak-min-minutes") * 60_000L;
        List<String> jvm = new ArrayList<>(options.letheJvm());
        jvm.add("-XX:NativeMemoryTracking=summary");
        Report report = new Report("soak", String.format("%,d expiries/s for at least %d minutes, and until the old"
                + " generation had filled and been collected %d minutes before (at most %d minutes); %s", rate,
                options.integer("soak-min-minutes"), options.integer("soak-after-full-gc-minutes"),
                options.integer("soak-max-minutes"), String.join(" ", jvm)));
        redis.flush();
        db.recreateTable();
        db.vacuumAnalyze();
        try (LetheUnderTest lethe = LetheUnderTest.start(options, jvm, redis.uri(), Map.of())) {
            AtomicBoolean stop = new AtomicBoolean();
            long[] published = new long[1];
            Thread writer = new Thread(() -> {
                try {
                    published[0] = Publisher.publish(db, redis, rate, 5, stop::get, Long.MAX_VALUE / 1000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "soak-publisher");
            writer.start();
            long start = System.currentTimeMillis();
            long firstFullAt = -1;
            double rssAtFirstFull = Double.NaN;
            double maxRssAfter = 0;
            Map<String, String> before = jstat(lethe.pid(), "-gc");
            while (System.currentTimeMillis() - start < atMostMillis
                    && (firstFullAt < 0 || System.currentTimeMillis() - firstFullAt < afterMillis
                            || System.currentTimeMillis() - start < atLeastMillis)) {
                Thread.sleep(5_000);
                double rss = ProcessStats.rssMib(lethe.pid());
                Map<String, String> now = jstat(lethe.pid(), "-gc");
                // A collection of an old generation that had filled up, not one at startup (class metadata) while
                // most of it was still untouched.
                boolean filledAndCollected = Double.parseDouble(now.get("FGC")) > Double.parseDouble(before.get("FGC"))
                        && Double.parseDouble(before.get("OU")) >= 0.5 * Double.parseDouble(before.get("OC"));
                if (firstFullAt < 0 && filledAndCollected) {
                    firstFullAt = System.currentTimeMillis();
                    rssAtFirstFull = rss;
                }
                if (firstFullAt >= 0) {
                    maxRssAfter = Math.max(maxRssAfter, rss);
                }
                before = now;
            }
            stop.set(true);
            writer.join();
            double rssAtEnd = ProcessStats.rssMib(lethe.pid());
            Map<String, Long> committed = nativeMemory(lethe.pid());
            jcmd(lethe.pid(), "GC.run");
            double liveSetMib = oldGenerationUsedKib(lethe.pid()) / 1024.0;
            Thread.sleep(7_000);
            long leftBehind = db.leftBehind();

            report.add("minutes", "Minutes under load", (System.currentTimeMillis() - start) / 60_000.0, "min");
            report.add("published", "Rows published", published[0], "");
            report.check("left_behind", "Rows still present 5 s after their due time", leftBehind, "", "0",
                    leftBehind == 0);
            report.add("first_full_gc_minutes", "First full collection after",
                    firstFullAt < 0 ? Double.NaN : (firstFullAt - start) / 60_000.0, "min");
            report.add("rss_at_first_full_gc_mib", "Resident size at the first full collection", rssAtFirstFull,
                    "MiB");
            // Native memory tracking keeps books of its own, which a service without it does not carry.
            double bookkeeping = committed.getOrDefault("Native Memory Tracking", 0L) / 1024.0;
            report.add("rss_after_full_gc_mib", "Resident size after it, highest", maxRssAfter, "MiB");
            report.check("rss_after_full_gc_without_nmt_mib", "... less native memory tracking's own books",
                    maxRssAfter - bookkeeping, "MiB", "<= 150 MiB",
                    firstFullAt >= 0 && maxRssAfter - bookkeeping <= 150);
            report.add("rss_at_end_mib", "Resident size at the end", rssAtEnd, "MiB");
            report.add("live_set_mib", "Live set (old generation after a full collection at the end)", liveSetMib,
                    "MiB");
            committed.forEach((category, kib) -> report.add("nmt_" + category.toLowerCase().replaceAll("[^a-z]+",
                    "_"), "Committed (NMT): " + category, kib / 1024.0, "MiB"));
        }
        redis.flush();
        return report;
    }

    private static double oldGenerationUsedKib(long pid) {
        return Double.parseDouble(jstat(pid, "-gc").get("OU"));
    }

    /** One jstat report ({@code -gc}, {@code -gccapacity}), by column. */
    private static Map<String, String> jstat(long pid, String report) {
        String[] lines = LocalProcess.run(List.of("jstat", report, Long.toString(pid))).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            columns.put(names[i], values[i]);
        }
        return columns;
    }

    /** Committed KiB by NMT category, the largest ones and the total. */
    private static Map<String, Long> nativeMemory(long pid) {
        String summary = jcmd(pid, "VM.native_memory", "summary");
        Map<String, Long> committed = new LinkedHashMap<>();
        Matcher total = TOTAL.matcher(summary);
        if (total.find()) {
            committed.put("total", Long.parseLong(total.group(2)));
        }
        Matcher category = CATEGORY.matcher(summary);
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        while (category.find()) {
            all.add(Map.entry(category.group(1).trim(), Long.parseLong(category.group(3))));
        }
        all.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        all.stream().limit(8).forEach(entry -> committed.put(entry.getKey(), entry.getValue()));
        return committed;
    }

    private static String jcmd(long pid, String... command) {
        List<String> arguments = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        arguments.addAll(List.of(command));
        return LocalProcess.run(arguments);
    }
}
