package dev.lethe.testsupport.client;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * A Redis connection of the test's own, for tests outside Quarkus and for servers the application does not use: any
 * command, and its reply as text. {@link Keys} writes keys through one.
 */
public final class RedisClient implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;

    public RedisClient(String uri) {
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri));
    }

    /** The client itself, for a {@link Keys} that writes through this connection. */
    Redis redis() {
        return redis;
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
