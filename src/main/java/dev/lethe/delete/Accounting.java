package dev.lethe.delete;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lethe.metrics.EventOutcome;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;

/**
 * What a batch's report means once it is back: the deleted ids are remembered, so that their late events cost no
 * statement; the ids falling due soon wait for their due time; and every expiry event is counted by what became of
 * it.
 * <p>
 * A row that was due but locked is most often being deleted that very moment by Lethe's own look-ahead (or by an
 * event's statement, for a look-ahead's row): it is tried once more shortly, and then found gone. Only a row still
 * locked at that second try (the application holds it) is left to the sweep and counted as dropped, so that
 * {@code dropped} means Lethe lost track of a row, never that it deleted it by another path.
 */
final class Accounting {

    /** How long a row found locked waits before its second try: the look-ahead's statement takes milliseconds. */
    static final long SECOND_TRY_NANOS = 100_000_000L;
    /** Rows already tried a second time, remembered up to this many. */
    private static final int SECOND_TRIES = 10_000;

    private final DeferredDeletes deferred;
    private final RecentlyDeleted recent;
    private final LetheMetrics metrics;
    private final Map<Object, Boolean> triedAgain = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > SECOND_TRIES;
        }
    };

    Accounting(DeferredDeletes deferred, RecentlyDeleted recent, LetheMetrics metrics) {
        this.deferred = deferred;
        this.recent = recent;
        this.metrics = metrics;
    }

    /** Whether a row found locked has not been tried a second time yet; remembers that it is being tried now. */
    private synchronized boolean firstSkip(Target target, Object id) {
        return triedAgain.remove(List.of(target.name(), id)) == null
                && triedAgain.put(List.of(target.name(), id), Boolean.TRUE) == null;
    }

    void account(Target target, Source source, BatchReport report) {
        report.deletedIds().forEach(id -> recent.add(target.name(), id));
        int notDue = report.notDue();
        int dropped = report.dropped();
        int absent = report.absent();
        for (Object id : report.skipped()) {
            if (recent.contains(target.name(), id)) {
                absent++; // the look-ahead (or an event) deleted it meanwhile
            } else if (firstSkip(target, id)) {
                switch (deferred.schedule(target, source, id, SECOND_TRY_NANOS)) {
                    case FULL -> dropped++;
                    case ALREADY_HELD -> absent++; // another path holds it for deletion
                    case ACCEPTED -> {
                        // counted when the second try is done
                    }
                }
            } else {
                dropped++; // locked again: the application holds it; the sweep takes it once it lets go
            }
        }
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
            metrics.events(EventOutcome.ABSENT, absent);
            metrics.events(EventOutcome.NOT_DUE, notDue);
            metrics.events(EventOutcome.DROPPED, dropped);
            metrics.events(EventOutcome.LEFT_TO_SWEEP, report.leftToSweep());
        }
    }
}
