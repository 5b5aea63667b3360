package dev.lethe.bench;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * The plan the seeds describe, written competently, as the peer users would compare Lethe with: a subscriber that
 * deletes one row per expiry event (a prepared statement on a pool of 10 connections, events handled concurrently),
 * and a sweep of everything due once a minute. Runs as a process of its own, so that its CPU is measured like
 * Lethe's. Prints "ready" once subscribed. Arguments: the database name, the Redis URI, the table, the key prefix.
 */
public final class NaivePeer {

    private static final String CHANNEL = "__keyevent@0__:expired";

    private NaivePeer() {
    }

    public static void main(String[] args) throws Exception {
        String database = args[0];
        String redisUri = args[1];
        String table = args[2];
        byte[] prefix = args[3].getBytes(StandardCharsets.UTF_8);
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(10))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setDatabase(database)
                        .setUser("postgres").setCachePreparedStatements(true))
                .using(vertx)
                .build();
        String deleteOne = "DELETE FROM " + table + " WHERE id = $1 AND expires_at <= now() AND NOT legal_hold";
        String sweep = "DELETE FROM " + table + " WHERE expires_at <= now() AND NOT legal_hold";
        RedisConnection subscriber = Redis.createClient(vertx, redisUri).connect().toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        subscriber.handler(push -> {
            if (push.size() == 3 && "message".equals(push.get(0).toString())) {
                byte[] key = push.get(2).toBytes();
                if (key.length > prefix.length && startsWith(key, prefix)) {
                    UUID id = UUID.fromString(new String(key, prefix.length, key.length - prefix.length,
                            StandardCharsets.UTF_8));
                    pool.preparedQuery(deleteOne).execute(Tuple.of(id));
                }
            }
        });
        subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        vertx.setPeriodic(60_000, timer -> pool.query(sweep).execute());
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
