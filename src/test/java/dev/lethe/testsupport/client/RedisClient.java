package dev.lethe.testsupport.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/** A Redis client for tests that run outside Quarkus (the *IT classes): pipelined SETs with a TTL. */
public final class RedisClient implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;

    public RedisClient(String uri) {
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri));
    }

    /** SET key 1 PX ttl for every key, a thousand per round trip. */
    public void expireIn(Collection<String> keys, Duration ttl) {
        List<Request> batch = new ArrayList<>();
        for (String key : keys) {
            batch.add(Request.cmd(Command.SET).arg(key).arg("1").arg("PX").arg(ttl.toMillis()));
            if (batch.size() == 1000) {
                send(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    /** SET key 1 PXAT expiresAt for each key and its expiry (epoch milliseconds), as a chat backend does. */
    public void expireAt(List<String> keys, List<Long> expiresAtMillis) {
        List<Request> batch = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            batch.add(Request.cmd(Command.SET).arg(keys.get(i)).arg("1").arg("PXAT").arg(expiresAtMillis.get(i)));
            if (batch.size() == 1000) {
                send(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<Request> batch) {
        try {
            redis.batch(batch).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis batch failed: " + e.getMessage(), e);
        }
    }

    /** Any command; its reply as text, each element of an array reply on a line of its own. */
    public String command(String... args) {
        Request request = Request.cmd(Command.create(args[0]));
        for (int i = 1; i < args.length; i++) {
            request.arg(args[i]);
        }
        try {
            var reply = redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (reply == null) {
                return "";
            }
            if (reply.type() == io.vertx.redis.client.ResponseType.MULTI && reply.isMap()) {
                StringBuilder lines = new StringBuilder();
                reply.getKeys().forEach(key -> lines.append(key).append('\n').append(reply.get(key)).append('\n'));
                return lines.toString();
            }
            if (reply.type() == io.vertx.redis.client.ResponseType.MULTI) {
                StringBuilder lines = new StringBuilder();
                reply.forEach(element -> lines.append(element).append('\n'));
                return lines.toString();
            }
            return reply.toString();
        } catch (Exception e) {
            throw new IllegalStateException("Redis " + String.join(" ", args) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        redis.close();
        vertx.close();
    }
}
