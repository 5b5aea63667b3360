package dev.lethe.support;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;

/**
 * Waits at startup for a server that does not answer yet, as on Kubernetes where a pod may start before its
 * database: one line per failed attempt, a growing pause between attempts, and a one-line refusal when the time is
 * up. A failure that waiting cannot cure (a wrong password, a database that does not exist) ends the wait at once
 * with one line that names the property to fix. Blocks: call it from the startup thread only.
 */
public final class StartupWait {

    private static final Logger LOG = Logger.getLogger(StartupWait.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final Duration LONGEST_ATTEMPT = Duration.ofSeconds(5);

    private StartupWait() {
    }

    /**
     * @param what the server, as the log lines name it (e.g. "PostgreSQL at 10.0.0.5:5432/chat")
     * @param budget how long to wait in all, and the property that sets it
     * @param attempt one try, which completes when the server answers
     * @param permanent the one-line problem of a failure that waiting cannot cure, empty for one that it can
     */
    public static void until(String what, Duration budget, String budgetProperty, Supplier<Uni<?>> attempt,
            Function<Throwable, Optional<String>> permanent) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempts = 1;; attempts++) {
            long left = Math.max(1, deadline - System.nanoTime());
            Duration limit = Duration.ofNanos(Math.min(left, LONGEST_ATTEMPT.toNanos()));
            Throwable failure;
            try {
                attempt.get().await().atMost(limit);
                if (attempts > 1) {
                    LOG.infof("%s answered after %d attempts in %.1f s", what, attempts,
                            (System.nanoTime() - start) / 1e9);
                }
                return;
            } catch (RuntimeException e) {
                failure = Failures.unwrap(e);
            }
            Optional<String> problem = permanent.apply(failure);
            if (problem.isPresent()) {
                throw new ConfigurationException(problem.get());
            }
            String why = failure instanceof io.smallrye.mutiny.TimeoutException
                    ? "no answer within " + limit.toMillis() + " ms"
                    : Failures.describe(failure);
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ConfigurationException(what + " did not answer within " + budget.toSeconds() + " s ("
                        + budgetProperty + "): " + why);
            }
            LOG.infof("Waiting for %s (attempt %d, %.0f s left): %s", what, attempts, remaining / 1e9, why);
            sleep(Math.min(pause.toNanos(), remaining));
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting at startup", e);
        }
    }
}
