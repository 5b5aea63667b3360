/**
 * The transactional outbox, delivered: files deleted from the bucket and deletions announced on a Redis Stream.
 * Uses {@code store}, {@code sql}, {@code metrics}, {@code config} and {@code support}.
 */
package dev.lethe.outbox;
