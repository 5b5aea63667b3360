/**
 * Lethe: deletes expiring rows of PostgreSQL when their Redis TTL keys expire, and sweeps what Redis misses.
 * {@link dev.lethe.LetheService} starts the parts in order and stops them in reverse; it may use every package.
 * <p>
 * The packages import one way, from the hot path down: {@code ingest} (expired keys) to {@code delete} (batched
 * statements) to {@code store} (PostgreSQL); {@code sweep} beside {@code ingest}; {@code sql} and {@code support} at
 * the bottom; {@code admin} a leaf nothing imports. PackageStructureTest keeps it so.
 */
package dev.lethe;
