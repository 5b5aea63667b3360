package dev.lethe.testsupport.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** Publishes TTL keys the way a chat backend does: {@code SET <prefix>:<target>:<id> 1 PX <ttl>}. */
public final class Keys {

    private final Redis redis;
    private final String prefix;

    public Keys(Redis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    public void expireIn(String target, Object id, Duration ttl) {
        expireRawIn((prefix + ":" + target + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8), ttl);
    }

    /** Any bytes as a key, to play a hostile or broken publisher. */
    public void expireRawIn(byte[] key, Duration ttl) {
        send(Request.cmd(Command.SET).arg(Buffer.buffer(key)).arg("1").arg("PX").arg(ttl.toMillis()));
    }

    public void send(Request request) {
        try {
            redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis command failed: " + e.getMessage(), e);
        }
    }
}
