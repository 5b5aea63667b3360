/**
 * Expired keys in: the subscriptions to Redis's expired-key events (standalone, Sentinel, Cluster) and the decoding
 * of each key. {@link dev.lethe.ingest.ExpiredKeys} is the entry of the event path. Hands keys to {@code delete};
 * uses {@code config}, {@code metrics}, {@code sql} and {@code support}.
 */
package dev.lethe.ingest;
