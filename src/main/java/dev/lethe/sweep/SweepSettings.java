package dev.lethe.sweep;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import dev.lethe.config.LetheConfig;
import dev.lethe.config.Schedule;

/**
 * The sweep settings in effect for one target: its own overrides where it has them, the global ones otherwise. The
 * ranges were checked when the configuration was read.
 *
 * @param schedule when the target is swept
 * @param batchSize the most rows one statement deletes
 * @param statementTarget how long one statement should take; slower ones make the next ones smaller
 */
public record SweepSettings(Schedule schedule, int batchSize, Duration statementTarget, int parallelism,
        double pauseFactor, OptionalInt maxRowsPerSecond, Duration maxRunTime) {

    public static SweepSettings of(LetheConfig.Sweep global, Optional<LetheConfig.TargetSweep> overrides) {
        Optional<LetheConfig.TargetSweep> own = overrides.filter(target -> target.cron().isPresent()
                || target.every().isPresent());
        Schedule schedule = own.map(target -> Schedule.of(target.cron(), target.every().orElse(global.every())))
                .orElseGet(() -> Schedule.of(global.cron(), global.every()));
        Optional<Integer> rate = overrides.flatMap(LetheConfig.TargetSweep::maxRowsPerSecond)
                .or(global::maxRowsPerSecond);
        return new SweepSettings(schedule,
                overrides.flatMap(LetheConfig.TargetSweep::batchSize).orElse(global.batchSize()),
                global.statementTarget(),
                global.parallelism(),
                global.pauseFactor(),
                rate.map(OptionalInt::of).orElse(OptionalInt.empty()),
                global.maxRunTime());
    }
}
