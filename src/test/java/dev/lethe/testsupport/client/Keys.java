package dev.lethe.testsupport.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Writes TTL keys the way a chat backend does, {@code SET <prefix>:<target>:<id> 1 PX <ttl>} or
 * {@code PXAT <epoch ms>}: one key at a time, or many pipelined a thousand per round trip. Through the application's
 * own client in a Quarkus test, or through a connection of its own ({@link #connect}) anywhere else.
 */
public final class Keys implements AutoCloseable {

    private static final int PIPELINE = 1000;

    private final Redis redis;
    private final String prefix;
    private final Runnable release;

    /** Through a client the test does not own, such as the application's injected one. */
    public Keys(Redis redis, String prefix) {
        this(redis, prefix, () -> {
        });
    }

    private Keys(Redis redis, String prefix, Runnable release) {
        this.redis = redis;
        this.prefix = prefix;
        this.release = release;
    }

    /** Through a connection of its own to the Redis at {@code uri}, closed with this writer. */
    public static Keys connect(String uri, String prefix) {
        RedisClient client = new RedisClient(uri);
        return new Keys(client.redis(), prefix, client::close);
    }

    /** The key that announces a row's expiry: {@code <prefix>:<target>:<id>}. */
    public String key(String target, Object id) {
        return prefix + ":" + target + ":" + id;
    }

    public void expireIn(String target, Object id, Duration ttl) {
        expireRawIn(key(target, id).getBytes(StandardCharsets.UTF_8), ttl);
    }

    /** Any bytes as a key, to play a hostile or broken publisher. */
    public void expireRawIn(byte[] key, Duration ttl) {
        try {
            redis.send(Request.cmd(Command.SET).arg(Buffer.buffer(key)).arg("1").arg("PX").arg(ttl.toMillis()))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis command failed: " + e.getMessage(), e);
        }
    }

    /** SET key 1 PX ttl for every key, pipelined. */
    public void expireIn(Collection<String> keys, Duration ttl) {
        pipeline(keys.stream().map(key -> set(key).arg("PX").arg(ttl.toMillis())).toList());
    }

    /** SET key 1 PXAT expiresAt for every key, pipelined: keys that all fall due at one instant, as in a burst. */
    public void expireAt(Collection<String> keys, long expiresAtMillis) {
        pipeline(keys.stream().map(key -> set(key).arg("PXAT").arg(expiresAtMillis)).toList());
    }

    /** SET key 1 PXAT expiresAt for each key and its own expiry (epoch milliseconds), pipelined. */
    public void expireAt(List<String> keys, List<Long> expiresAtMillis) {
        if (keys.size() != expiresAtMillis.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + expiresAtMillis.size() + " expiries");
        }
        pipeline(IntStream.range(0, keys.size())
                .mapToObj(i -> set(keys.get(i)).arg("PXAT").arg(expiresAtMillis.get(i))).toList());
    }

    /**
     * Keys of another application sharing the Redis, {@code <stem>:0} to {@code <stem>:<count - 1>}, pipelined: their
     * expiry events reach Lethe, which must ignore them.
     */
    public void expireUnrelatedIn(String stem, int count, Duration ttl) {
        expireIn(IntStream.range(0, count).mapToObj(i -> stem + ":" + i).toList(), ttl);
    }

    /** FLUSHALL: every key of every database goes, with no expiry event. */
    public void flushAll() {
        pipeline(List.of(Request.cmd(Command.FLUSHALL)));
    }

    @Override
    public void close() {
        release.run();
    }

    private static Request set(String key) {
        return Request.cmd(Command.SET).arg(key).arg("1");
    }

    private void pipeline(List<Request> requests) {
        for (int from = 0; from < requests.size(); from += PIPELINE) {
            List<Request> batch = new ArrayList<>(requests.subList(from, Math.min(requests.size(), from + PIPELINE)));
            try {
                redis.batch(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Redis batch failed: " + e.getMessage(), e);
            }
        }
    }
}
