/**
 * The Redis side of the event path: {@link dev.lethe.ingest.redis.RedisLink}, one subscription connection kept
 * alive with explicit states, and what is built on it (a node's expired-key subscription, the Sentinel watch), the
 * notification flags and their check, and a cluster's topology. Hands every expired key's bytes to an
 * {@link dev.lethe.ingest.redis.ExpiredKeyListener}; uses {@code config}, {@code metrics} and {@code support}, and
 * nothing of {@code ingest} itself.
 */
package dev.lethe.ingest.redis;
