/**
 * Every meter Lethe publishes, with its name, labels and description: the public contract of dashboards and
 * alerts. Owns its label enums; takes {@code Source} and {@code OutboxKind} from {@code sql}, where the statements
 * carry them too.
 */
package dev.lethe.metrics;
