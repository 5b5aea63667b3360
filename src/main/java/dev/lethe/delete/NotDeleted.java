package dev.lethe.delete;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Why the ids a delete statement did not delete stayed, from what the inspection statement read of their rows: a
 * pure function, so that every case is a plain unit test.
 */
final class NotDeleted {

    /**
     * What the inspection read of one row that is still there.
     *
     * @param secondsUntilDue seconds until its expiry by the database's clock (negative when past, null for none)
     * @param allowed whether the guard allows its deletion
     */
    record Row(Double secondsUntilDue, boolean allowed) {
    }

    private NotDeleted() {
    }

    /**
     * @param deleted the ids the statement deleted
     * @param rest the ids it did not delete
     * @param found the rows the inspection found among {@code rest}, by id
     * @param horizonSeconds how far ahead a row not yet due is retried at its due time (lethe.not-due-horizon)
     * @param secondsSinceDelete how long ago the delete statement was sent
     */
    static BatchReport classify(List<Object> deleted, Object[] rest, Map<Object, Row> found, double horizonSeconds,
            double secondsSinceDelete) {
        int absent = 0;
        int notDue = 0;
        List<Object> skipped = new ArrayList<>();
        List<BatchReport.Retry> retries = new ArrayList<>();
        for (Object id : rest) {
            Row row = found.get(id);
            if (row == null) {
                absent++;
            } else if (!row.allowed() || row.secondsUntilDue() == null || row.secondsUntilDue() > horizonSeconds) {
                notDue++;
            } else if (row.secondsUntilDue() > 0) {
                retries.add(new BatchReport.Retry(id, (long) (row.secondsUntilDue() * 1e9)));
            } else if (row.secondsUntilDue() > -secondsSinceDelete) {
                // It fell due between the two statements: the delete saw it a moment too early.
                retries.add(new BatchReport.Retry(id, 0));
            } else {
                // Due when the delete ran, yet skipped: another transaction held its lock.
                skipped.add(id);
            }
        }
        return new BatchReport(deleted, absent, notDue, retries, skipped, 0, 0);
    }
}
