/**
 * Expired keys in. {@link dev.lethe.ingest.ExpiredKeys} is the entry of the event path: what happens to an expired
 * key (decoded, handed to {@code delete}, or counted and let go). The Redis side, subscriptions that stay up through
 * losses, failovers and topology changes, is in {@code ingest.redis}. Uses {@code config}, {@code delete},
 * {@code metrics}, {@code sql} and {@code support}.
 */
package dev.lethe.ingest;
