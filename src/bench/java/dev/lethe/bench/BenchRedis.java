package dev.lethe.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.lethe.testsupport.process.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/** A redis-server of the benchmark's own, and a pipelining client that publishes keys as a chat backend would. */
final class BenchRedis implements AutoCloseable {

    static final String CHANNEL = "__keyevent@0__:expired";
    private static final int PIPELINE = 1000;

    private final RedisServer server;
    private final Vertx vertx = Vertx.vertx();
    private final Redis client;

    BenchRedis(int hz) {
        server = RedisServer.launch("--hz", Integer.toString(hz), "--notify-keyspace-events", "Ex");
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4));
    }

    String uri() {
        return server.uri();
    }

    /** SET key 1 PXAT expiresAtMillis for every key, pipelined. */
    void setAt(Collection<String> keys, long expiresAtMillis) {
        List<Request> batch = new ArrayList<>(PIPELINE);
        for (String key : keys) {
            batch.add(Request.cmd(Command.SET).arg(key).arg("1").arg("PXAT").arg(expiresAtMillis));
            if (batch.size() == PIPELINE) {
                send(batch);
                batch = new ArrayList<>(PIPELINE);
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    /** Unrelated keys with a TTL, as other applications sharing the Redis leave them. */
    void setUnrelated(int count, int ttlSeconds) {
        List<Request> batch = new ArrayList<>(PIPELINE);
        for (int i = 0; i < count; i++) {
            batch.add(Request.cmd(Command.SET).arg("other:session:" + i).arg("x").arg("EX").arg(ttlSeconds));
            if (batch.size() == PIPELINE) {
                send(batch);
                batch = new ArrayList<>(PIPELINE);
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    void flush() {
        send(List.of(Request.cmd(Command.FLUSHALL)));
    }

    void send(List<Request> batch) {
        try {
            client.batch(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis batch failed: " + e.getMessage(), e);
        }
    }

    /** A bare subscriber that only counts expired events whose key starts with the prefix, and when they came. */
    final class CountingSubscriber implements AutoCloseable {
        final AtomicLong count = new AtomicLong();
        volatile long firstMillis;
        volatile long lastMillis;
        private final RedisConnection connection;

        CountingSubscriber(String prefix) {
            byte[] wanted = prefix.getBytes(StandardCharsets.UTF_8);
            try {
                Redis subscriberClient = Redis.createClient(vertx, server.uri());
                connection = subscriberClient.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                connection.handler(push -> {
                    if (push.size() == 3 && "message".equals(push.get(0).toString())) {
                        byte[] key = push.get(2).toBytes();
                        if (startsWith(key, wanted)) {
                            long now = System.currentTimeMillis();
                            if (count.incrementAndGet() == 1) {
                                firstMillis = now;
                            }
                            lastMillis = now;
                        }
                    }
                });
                connection.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
        server.close();
    }
}
