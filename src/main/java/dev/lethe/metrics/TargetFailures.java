package dev.lethe.metrics;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For each target, how long its statements of one kind (deletes, sweeps, backlog counts, look-ahead reads) have kept
 * failing: a streak starts at the first failure after a success and ends at the next success. A target whose every
 * sweep times out (a slow guard, a table held locked) deletes nothing while looking idle; the longest streak is what
 * makes it visible (lethe_target_failing_seconds, the alert LetheTargetStuck, and the admin API's lastError).
 */
final class TargetFailures {

    /** A streak of failures: since when (System.nanoTime()), and the latest failure's text. */
    private record Streak(long sinceNanos, String lastError) {
    }

    private final Map<String, Map<Operation, Streak>> streaks = new ConcurrentHashMap<>();

    void failed(String target, Operation operation, String error) {
        streaks.computeIfAbsent(target, name -> new ConcurrentHashMap<>()).merge(operation,
                new Streak(System.nanoTime(), error), (ongoing, latest) -> new Streak(ongoing.sinceNanos(), error));
    }

    void succeeded(String target, Operation operation) {
        Map<Operation, Streak> of = streaks.get(target);
        if (of != null) {
            of.remove(operation);
        }
    }

    /** Seconds since the oldest ongoing streak of the target began; 0 when its latest statements all succeeded. */
    double failingSeconds(String target) {
        Map<Operation, Streak> of = streaks.get(target);
        if (of == null || of.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        return of.values().stream().mapToLong(streak -> now - streak.sinceNanos()).max().orElse(0) / 1e9;
    }

    /** The latest failure of an ongoing streak, with what failed. */
    Optional<String> lastError(String target) {
        Map<Operation, Streak> of = streaks.get(target);
        if (of == null) {
            return Optional.empty();
        }
        return of.entrySet().stream().min(Comparator.comparingLong(entry -> entry.getValue().sinceNanos()))
                .map(entry -> entry.getKey().label() + ": " + entry.getValue().lastError());
    }
}
