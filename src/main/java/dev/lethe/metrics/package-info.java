/**
 * Every meter Lethe publishes, with its name, labels and description: the public contract of dashboards and
 * alerts. Owns its label enums, and the streaks of failing statements per target behind lethe_target_failing_seconds;
 * takes {@code Source} and {@code OutboxKind} from {@code sql}, where the statements carry them too, and describes
 * failures with {@code support}.
 */
package dev.lethe.metrics;
