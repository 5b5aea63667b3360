package dev.lethe.delete;

import dev.lethe.metrics.EventOutcome;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;

/**
 * What a batch's report means once it is back: the deleted ids are remembered, so that their late events cost no
 * statement; the ids falling due soon wait for their due time; and every expiry event is counted by what became of
 * it.
 */
final class Accounting {

    private final DeferredDeletes deferred;
    private final RecentlyDeleted recent;
    private final LetheMetrics metrics;

    Accounting(DeferredDeletes deferred, RecentlyDeleted recent, LetheMetrics metrics) {
        this.deferred = deferred;
        this.recent = recent;
        this.metrics = metrics;
    }

    void account(Target target, Source source, BatchReport report) {
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
