/**
 * Where a row that should go now, or soon, becomes a DELETE: bounded queues per target and source, batches of ids,
 * rows held until their due time, and the accounting of every id. Uses {@code coordination}, {@code store},
 * {@code sql}, {@code metrics}, {@code config} and {@code support}; never {@code ingest} or {@code sweep}.
 */
package dev.lethe.delete;
