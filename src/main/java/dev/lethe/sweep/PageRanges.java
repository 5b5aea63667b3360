package dev.lethe.sweep;

import java.time.Duration;
import java.util.Optional;

/**
 * One pass over a table's heap, in ranges of pages that the sweep's statements take one after another (several at
 * once with parallelism, never the same pages twice). Each range is sized like an index statement's rows: so that
 * the statement, and the row locks it holds, last about the statement target, and that it deletes no more than
 * the batch size (which a statement's LIMIT enforces where rows lie denser than the last range's). A long stretch
 * of pages without a due row ends the pass early: where rows are stored in expiry order the due ones sit together,
 * and what a pass leaves the index finds afterwards.
 */
final class PageRanges {

    /** The first range: a few hundred rows on a typical table, so that not even the first statement is long. */
    static final long FIRST = 16;
    static final long FLOOR = 4;
    static final long CEILING = 1 << 20;

    /** A pass ends after this share of the heap brought no due row, in a row. */
    static final double EMPTY_STRETCH = 0.05;

    /** Pages {@code from} (included) to {@code to} (excluded). */
    record Range(long from, long to) {
        long pages() {
            return to - from;
        }
    }

    private final long end;
    private final long emptyStretch;
    private final int maxRows;
    private final long targetNanos;
    private long next;
    private long size = FIRST;
    private long emptyPages;
    private Range retry;

    /**
     * @param end the heap's size in pages when the pass starts; rows written later are the index's
     * @param maxRows the batch size: the most rows one statement may delete
     */
    PageRanges(long end, int maxRows, Duration statementTarget) {
        this.end = end;
        this.emptyStretch = Math.max(FIRST, (long) (end * EMPTY_STRETCH));
        this.maxRows = maxRows;
        this.targetNanos = statementTarget.toNanos();
    }

    /** The next range to sweep; empty once the pass is over. */
    synchronized Optional<Range> claim() {
        if (retry != null) {
            Range again = retry;
            retry = null;
            return Optional.of(again);
        }
        if (next >= end) {
            return Optional.empty();
        }
        Range range = new Range(next, Math.min(end, next + size));
        next = range.to();
        return Optional.of(range);
    }

    /** The most rows one statement may delete. */
    int maxRows() {
        return maxRows;
    }

    /**
     * The statement over {@code range} deleted {@code rows} in {@code nanos} of the server's work. A statement that
     * reached the row limit may have left due rows in its range: the range is swept again, next, and smaller.
     */
    synchronized void took(Range range, int rows, long nanos) {
        if (rows >= maxRows) {
            retry = range;
        }
        emptyPages = rows == 0 ? emptyPages + range.pages() : 0;
        if (emptyPages >= emptyStretch) {
            next = end;
        }
        double ideal = range.pages() * (double) targetNanos / Math.max(1, nanos);
        double byRows = rows == 0 ? CEILING : range.pages() * (double) maxRows / rows;
        size = (long) Math.max(FLOOR, Math.min(CEILING, Math.min(2.0 * range.pages(), Math.min(ideal, byRows))));
    }

    synchronized boolean finished() {
        return next >= end && retry == null;
    }
}
