package dev.lethe.config;

import java.time.Duration;
import java.util.Optional;

/** When something runs: at a fixed interval, or on a cron expression. */
public sealed interface Schedule {

    record Every(Duration interval) implements Schedule {
        @Override
        public String toString() {
            return "every " + interval.toMillis() + " ms";
        }
    }

    record Cron(CronExpression expression) implements Schedule {
        @Override
        public String toString() {
            return "cron " + expression;
        }
    }

    /** The cron expression where there is one, the interval otherwise. */
    static Schedule of(Optional<CronExpression> cron, Duration every) {
        return cron.<Schedule>map(Cron::new).orElseGet(() -> new Every(every));
    }
}
