package dev.lethe.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PageRangesTest {

    private static final Duration TARGET = Duration.ofMillis(50);
    private static final long FAST = Duration.ofMillis(5).toNanos();

    @Test
    void theRangesCoverTheHeapOnceWithoutGapsOrOverlaps() {
        PageRanges pass = new PageRanges(10_000, 10_000, TARGET);
        List<PageRanges.Range> claimed = new ArrayList<>();
        for (Optional<PageRanges.Range> range = pass.claim(); range.isPresent(); range = pass.claim()) {
            claimed.add(range.get());
            pass.took(range.get(), 1, FAST);
        }
        assertThat(claimed.get(0).from()).isZero();
        for (int i = 1; i < claimed.size(); i++) {
            assertThat(claimed.get(i).from()).isEqualTo(claimed.get(i - 1).to());
        }
        assertThat(claimed.get(claimed.size() - 1).to()).isEqualTo(10_000);
        assertThat(pass.finished()).isTrue();
    }

    @Test
    void aFastStatementAtMostDoublesTheNextRangeAndASlowOneShrinksIt() {
        PageRanges pass = new PageRanges(1_000_000, 1_000_000, TARGET);
        PageRanges.Range first = pass.claim().orElseThrow();
        assertThat(first.pages()).isEqualTo(PageRanges.FIRST);
        pass.took(first, 10, 1);
        PageRanges.Range second = pass.claim().orElseThrow();
        assertThat(second.pages()).isEqualTo(2 * PageRanges.FIRST);
        pass.took(second, 10, TARGET.toNanos() * 4);
        assertThat(pass.claim().orElseThrow().pages()).isEqualTo(2 * PageRanges.FIRST / 4);
    }

    @Test
    void aRangeHoldsNoMoreDueRowsThanTheBatchSize() {
        PageRanges pass = new PageRanges(1_000_000, 1_000, TARGET);
        PageRanges.Range first = pass.claim().orElseThrow();
        // 50 due rows per page: the batch size allows 20 pages, however fast the statement was.
        pass.took(first, (int) first.pages() * 50, 1);
        assertThat(pass.claim().orElseThrow().pages()).isEqualTo(20);
    }

    @Test
    void neverFewerPagesThanTheFloor() {
        PageRanges pass = new PageRanges(1_000_000, 10_000, TARGET);
        PageRanges.Range first = pass.claim().orElseThrow();
        pass.took(first, 1_000, Duration.ofSeconds(10).toNanos());
        assertThat(pass.claim().orElseThrow().pages()).isEqualTo(PageRanges.FLOOR);
    }

    @Test
    void aLongStretchWithoutDueRowsEndsThePassForTheIndexToFinish() {
        PageRanges pass = new PageRanges(100_000, 10_000, TARGET);
        long empty = 0;
        for (Optional<PageRanges.Range> range = pass.claim(); range.isPresent(); range = pass.claim()) {
            pass.took(range.get(), 0, FAST);
            empty += range.get().pages();
        }
        assertThat(pass.finished()).isTrue();
        assertThat(empty).isLessThan(100_000).isGreaterThanOrEqualTo((long) (100_000 * PageRanges.EMPTY_STRETCH));
    }

    @Test
    void dueRowsAnywhereKeepThePassGoing() {
        PageRanges pass = new PageRanges(100_000, 10_000, TARGET);
        long covered = 0;
        for (Optional<PageRanges.Range> range = pass.claim(); range.isPresent(); range = pass.claim()) {
            pass.took(range.get(), 1, FAST);
            covered = range.get().to();
        }
        assertThat(covered).isEqualTo(100_000);
    }

    @Test
    void aRangeThatReachedTheRowLimitIsSweptAgainNext() {
        PageRanges pass = new PageRanges(1_000_000, 1_000, TARGET);
        PageRanges.Range first = pass.claim().orElseThrow();
        pass.took(first, 1_000, FAST);
        PageRanges.Range again = pass.claim().orElseThrow();
        assertThat(again).isEqualTo(first);
        pass.took(again, 10, FAST);
        assertThat(pass.claim().orElseThrow().from()).isEqualTo(first.to());
    }
}
