package dev.lethe.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RecentSpeedTest {

    private static SweepRun.Timed statement(int rows, long millis) {
        return new SweepRun.Timed(rows, Duration.ofMillis(millis));
    }

    @Test
    void statementsAsFastAsUsualOrALittleSlowerReadAsAnIdleDatabase() {
        RecentSpeed speed = new RecentSpeed();
        assertThat(speed.slowdown(statement(1000, 50))).isZero();
        assertThat(speed.slowdown(statement(1000, 50))).isZero();
        assertThat(speed.slowdown(statement(800, 55))).as("1.375x the fastest per row").isZero();
    }

    @Test
    void statementsSlowerPerRowThanTheRecentFastestReadAsABusyDatabase() {
        RecentSpeed speed = new RecentSpeed();
        speed.slowdown(statement(1000, 50));
        assertThat(speed.slowdown(statement(500, 56))).as("2.25x slower per row: half way").isCloseTo(0.5,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(speed.slowdown(statement(200, 50))).as("5x slower").isEqualTo(1);
    }

    @Test
    void statementsWithFewRowsSayNothing() {
        RecentSpeed speed = new RecentSpeed();
        speed.slowdown(statement(1000, 50));
        assertThat(speed.slowdown(statement(RecentSpeed.MIN_ROWS - 1, 50))).isZero();
    }

    @Test
    void theFastestIsForgottenOnceItLeavesTheWindow() {
        RecentSpeed speed = new RecentSpeed();
        speed.slowdown(statement(10_000, 50));
        for (int i = 0; i < RecentSpeed.WINDOW; i++) {
            speed.slowdown(statement(1000, 50));
        }
        assertThat(speed.slowdown(statement(1000, 50))).isZero();
    }
}
