package dev.lethe.sweep;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import dev.lethe.config.LetheConfig;

/**
 * The sweep settings in effect for one target: its own overrides where it has them, the global ones otherwise.
 *
 * @param schedule a Quarkus cron expression, or an interval in ISO-8601 form
 * @param cron whether {@code schedule} is a cron expression
 * @param batchSize the most rows one statement deletes
 * @param statementTarget how long one statement should take; slower ones make the next ones smaller
 */
public record SweepSettings(String schedule, boolean cron, int batchSize, Duration statementTarget, int parallelism,
        double pauseFactor, OptionalInt maxRowsPerSecond, Duration maxRunTime) {

    public SweepSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the sweep batch size must be at least 1");
        }
        if (statementTarget.isNegative() || statementTarget.isZero()) {
            throw new IllegalArgumentException("the sweep statement target must be positive");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("the sweep parallelism must be at least 1");
        }
        if (pauseFactor < 0 || Double.isNaN(pauseFactor)) {
            throw new IllegalArgumentException("the sweep pause factor cannot be negative");
        }
        if (maxRowsPerSecond.isPresent() && maxRowsPerSecond.getAsInt() < 1) {
            throw new IllegalArgumentException("the sweep rate limit must be at least 1 row per second");
        }
    }

    public static SweepSettings of(LetheConfig.Sweep global, LetheConfig.TargetSweep target) {
        Optional<String> cron = target.cron().or(global::cron);
        Duration every = target.every().orElse(global.every());
        Optional<Integer> rate = target.maxRowsPerSecond().or(global::maxRowsPerSecond);
        return new SweepSettings(cron.orElse(every.toString()), cron.isPresent(),
                target.batchSize().orElse(global.batchSize()),
                global.statementTarget(),
                global.parallelism(),
                global.pauseFactor(),
                rate.map(OptionalInt::of).orElse(OptionalInt.empty()),
                global.maxRunTime());
    }
}
