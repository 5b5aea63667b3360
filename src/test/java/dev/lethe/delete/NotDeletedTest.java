package dev.lethe.delete;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NotDeletedTest {

    private static final double HORIZON = 60;

    private static BatchReport classify(Map<Object, NotDeleted.Row> found, Object... rest) {
        return NotDeleted.classify(List.of(), rest, found, HORIZON, 0.05);
    }

    @Test
    void rowThatIsGoneIsAbsent() {
        assertThat(classify(Map.of(), 1L).absent()).isEqualTo(1);
    }

    @Test
    void rowHeldByTheGuardOrWithoutExpiryOrDueBeyondTheHorizonIsNotDue() {
        BatchReport report = classify(Map.of(
                1L, new NotDeleted.Row(-5.0, false),
                2L, new NotDeleted.Row(null, true),
                3L, new NotDeleted.Row(HORIZON + 1, true)), 1L, 2L, 3L);
        assertThat(report.notDue()).isEqualTo(3);
        assertThat(report.retries()).isEmpty();
    }

    @Test
    void rowDueWithinTheHorizonIsRetriedAtItsDueTime() {
        BatchReport report = classify(Map.of(1L, new NotDeleted.Row(2.5, true)), 1L);
        assertThat(report.retries()).containsExactly(new BatchReport.Retry(1L, 2_500_000_000L));
    }

    @Test
    void rowThatFellDueBetweenTheTwoStatementsIsRetriedAtOnce() {
        BatchReport report = classify(Map.of(1L, new NotDeleted.Row(-0.01, true)), 1L);
        assertThat(report.retries()).containsExactly(new BatchReport.Retry(1L, 0));
    }

    @Test
    void rowDueWhenTheDeleteRanButSkippedWasLockedByAnotherTransaction() {
        BatchReport report = classify(Map.of(1L, new NotDeleted.Row(-3.0, true)), 1L);
        assertThat(report.skipped()).containsExactly(1L);
        assertThat(report.retries()).isEmpty();
        assertThat(report.dropped()).isZero();
    }

    @Test
    void everyIdIsAccountedForExactlyOnce() {
        BatchReport report = NotDeleted.classify(List.of(9L), new Object[] {1L, 2L, 3L, 4L},
                Map.of(2L, new NotDeleted.Row(1.0, true), 3L, new NotDeleted.Row(-9.0, true),
                        4L, new NotDeleted.Row(-1.0, false)), HORIZON, 0.05);
        assertThat(report.deleted() + report.absent() + report.notDue() + report.retries().size()
                + report.skipped().size() + report.dropped()).isEqualTo(5);
    }
}
