package dev.lethe.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class StatementSizeTest {

    private static final long MS = 1_000_000;

    @Test
    void runStartsSmallAndDoublesUpToTheBatchSizeWhileStatementsAreFast() {
        StatementSize size = new StatementSize(10_000, Duration.ofMillis(50));
        assertThat(size.next()).isEqualTo(StatementSize.FIRST);
        size.took(1_000, MS);
        size.took(2_000, 2 * MS);
        size.took(4_000, 4 * MS);
        size.took(8_000, 8 * MS);
        assertThat(size.next()).isEqualTo(10_000);
        assertThat(new StatementSize(700, Duration.ofMillis(50)).next()).as("a smaller batch size").isEqualTo(700);
    }

    @Test
    void slowStatementMakesTheNextOnesProportionallySmaller() {
        StatementSize size = new StatementSize(10_000, Duration.ofMillis(50));
        size.took(1_000, 200 * MS);
        assertThat(size.next()).isEqualTo(250);
    }

    @Test
    void fastStatementsGrowBackAtMostTwofoldAndNeverBeyondTheBatchSize() {
        StatementSize size = new StatementSize(10_000, Duration.ofMillis(50));
        size.took(1_000, 100 * MS);
        assertThat(size.next()).isEqualTo(500);
        size.took(500, MS);
        assertThat(size.next()).as("twice as many, not fifty times").isEqualTo(1_000);
        size.took(1_000, MS);
        size.took(2_000, MS);
        size.took(4_000, MS);
        size.took(8_000, MS);
        size.took(10_000, MS);
        assertThat(size.next()).isEqualTo(10_000);
    }

    @Test
    void slowStatementsDoNotShrinkBelowTheFloor() {
        StatementSize size = new StatementSize(10_000, Duration.ofMillis(1));
        size.took(1_000, 60_000 * MS);
        assertThat(size.next()).as("a fixed cost per statement must not drain the table row by row")
                .isEqualTo(StatementSize.FLOOR);
        StatementSize small = new StatementSize(20, Duration.ofMillis(1));
        small.took(20, 60_000 * MS);
        assertThat(small.next()).as("a batch size below the floor").isEqualTo(20);
    }
}
