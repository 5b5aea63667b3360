package dev.lethe.delete;

import java.util.List;

/**
 * What one batch statement did with the ids it was given. Every id is accounted for exactly once: deleted, absent,
 * not due (stale key or held by the guard), to be tried again at its due time, skipped because another transaction
 * held its row (Lethe's own look-ahead, say, or the application), or left to the sweep because the statement failed:
 * dropped when PostgreSQL could not be reached, left to the sweep when it answered that the statement ran out of time
 * (a slow guard, a table locked by the application), which the target's failing-time gauge and its alert then show.
 *
 * @param skipped ids whose rows were due but locked
 * @param leftToSweep ids whose statement hit its timeout
 */
public record BatchReport(List<Object> deletedIds, int absent, int notDue, List<Retry> retries, List<Object> skipped,
        int dropped, int leftToSweep) {

    /** An id that falls due soon (or just fell due), to be tried again after {@code delayNanos}. */
    public record Retry(Object id, long delayNanos) {
        public Retry {
            if (delayNanos < 0) {
                throw new IllegalArgumentException("a retry cannot be scheduled in the past");
            }
        }
    }

    public BatchReport {
        if (absent < 0 || notDue < 0 || dropped < 0 || leftToSweep < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        deletedIds = List.copyOf(deletedIds);
        retries = List.copyOf(retries);
        skipped = List.copyOf(skipped);
    }

    public static BatchReport allDeleted(Object[] ids) {
        return new BatchReport(List.of(ids), 0, 0, List.of(), List.of(), 0, 0);
    }

    /**
     * A statement that failed after its retries, ran out of time on the server or got no answer at all, for
     * {@code count} ids; {@code deleted} the ids an earlier statement of the batch had deleted.
     */
    public static BatchReport failed(List<Object> deleted, int count, boolean timedOut) {
        return new BatchReport(deleted, 0, 0, List.of(), List.of(), timedOut ? 0 : count, timedOut ? count : 0);
    }

    public int deleted() {
        return deletedIds.size();
    }
}
