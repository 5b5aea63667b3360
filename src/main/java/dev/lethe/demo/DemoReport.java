package dev.lethe.demo;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.lethe.sql.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.smallrye.mutiny.Uni;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.Database;

/**
 * What became of the demo's rows since the last report: how many Lethe deleted and how late, read from its own
 * metrics, and how many due rows are still there, read from PostgreSQL, which is the truth.
 */
class DemoReport {

    /** A due row still there this long after its expiry counts as overdue. */
    static final double ON_TIME_SECONDS = 1.0;

    private static final String LEFT = """
            SELECT (SELECT count(*) FROM "Message"
                     WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second' AND NOT "legalHold")
                 + (SELECT count(*) FROM "SessionKey"
                     WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second')
                 + (SELECT count(*) FROM "RefreshToken"
                     WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second')
                 + (SELECT count(*) FROM "PasswordResetToken"
                     WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second')
                 + (SELECT count(*) FROM "EmailVerificationToken"
                     WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second') AS overdue,
                   (SELECT count(*) FROM "Message" WHERE "legalHold")
                 + (SELECT count(*) FROM "SessionKey" WHERE "expiresAt" IS NULL) AS kept""";

    /** What the report says, and what the tests read from it. */
    record Figures(long written, Map<String, Long> deletedBySource, long onTime, long overdue, long kept) {

        long deleted() {
            return deletedBySource.values().stream().mapToLong(Long::longValue).sum();
        }

        String line(int seconds) {
            String sources = deletedBySource.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getValue() + (e.getKey().equals(Source.EVENT.label())
                            ? " on their key's expiry event" : " by the look-ahead or the sweep"))
                    .collect(Collectors.joining(", "));
            return String.format("Demo, last %d s: %d rows written; %d deleted%s, %d of them within %.0f s of their"
                    + " expiry; %d due rows overdue; %d rows kept as they must be (on legal hold, or without expiry)",
                    seconds, written, deleted(), sources.isEmpty() ? "" : " (" + sources + ")", onTime,
                    ON_TIME_SECONDS, overdue, kept);
        }
    }

    private final Database database;
    private final MeterRegistry registry;
    private final Set<String> targets;
    private Map<String, Long> deletedBefore = Map.of();
    private long onTimeBefore;

    DemoReport(Database database, MeterRegistry registry) {
        this.database = database;
        this.registry = registry;
        this.targets = DemoTable.ALL.stream().map(DemoTable::target).collect(Collectors.toSet());
    }

    /** The figures since the previous call; {@code written} is the publisher's own count for the same time. */
    Uni<Figures> since(long written) {
        Map<String, Long> deleted = deletedBySource();
        long onTime = deletedOnTime();
        Map<String, Long> delta = new TreeMap<>();
        deleted.forEach((source, count) -> delta.put(source, count - deletedBefore.getOrDefault(source, 0L)));
        long onTimeDelta = onTime - onTimeBefore;
        deletedBefore = deleted;
        onTimeBefore = onTime;
        return database.execute(LEFT).map(rows -> {
            var row = rows.iterator().next();
            return new Figures(written, delta, onTimeDelta, row.getLong("overdue"), row.getLong("kept"));
        });
    }

    private Map<String, Long> deletedBySource() {
        Map<String, Long> bySource = new TreeMap<>();
        for (Counter counter : registry.find(LetheMetrics.ROWS_DELETED).counters()) {
            if (targets.contains(counter.getId().getTag(LetheMetrics.TAG_TARGET))) {
                bySource.merge(counter.getId().getTag(LetheMetrics.TAG_SOURCE), (long) counter.count(), Long::sum);
            }
        }
        return bySource;
    }

    /** Rows whose lag fell in the histogram's buckets up to one second (its counts are cumulative). */
    private long deletedOnTime() {
        long onTime = 0;
        for (Timer timer : registry.find(LetheMetrics.DELETE_LAG).timers()) {
            if (targets.contains(timer.getId().getTag(LetheMetrics.TAG_TARGET))) {
                for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
                    if (bucket.bucket(TimeUnit.SECONDS) == ON_TIME_SECONDS) {
                        onTime += (long) bucket.count();
                    }
                }
            }
        }
        return onTime;
    }
}
