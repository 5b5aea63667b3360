package dev.lethe.ingest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Listens to the Sentinels for {@code +switch-master} of the configured master, so that the subscription moves to
 * the new master the moment a failover completes, planned or not: the old master may well stay up as a replica,
 * which announces no expiries. It asks one Sentinel at a time, and moves on to the next when that one goes quiet.
 */
final class SentinelWatch {

    private static final Logger LOG = Logger.getLogger(SentinelWatch.class);
    private static final String CHANNEL = "+switch-master";
    private static final Duration CHECK = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final RedisOptions options;
    private final String master;
    private final Consumer<String> onSwitch;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(60));
    private final List<String> sentinels;
    private int next;
    private Redis client;
    private RedisConnection connection;
    private long timer = -1;
    private long pingSentNanos;
    private volatile long lastHeardNanos;
    private volatile boolean stopped;

    /** @param onSwitch receives the new master's address */
    SentinelWatch(Vertx vertx, RedisOptions options, Consumer<String> onSwitch) {
        this.vertx = vertx;
        this.options = options;
        this.master = options.getMasterName();
        this.onSwitch = onSwitch;
        this.sentinels = List.copyOf(options.getEndpoints());
    }

    void start() {
        vertx.runOnContext(v -> connect());
    }

    synchronized void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        close();
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        String sentinel = sentinels.get(next++ % sentinels.size());
        client = Redis.createClient(vertx, new RedisOptions(options).setType(RedisClientType.STANDALONE)
                .setEndpoints(new java.util.ArrayList<>(List.of(sentinel)))
                .setPreferredProtocolVersion(ProtocolVersion.RESP2));
        Redis opening = client;
        long deadline = vertx.setTimer(CHECK.toMillis(), id -> retry(sentinel, "no answer within " + CHECK));
        client.connect().compose(opened -> {
            synchronized (this) {
                if (stopped || client != opening) {
                    opened.close();
                    return io.vertx.core.Future.succeededFuture();
                }
                connection = opened;
            }
            opened.handler(this::onMessage)
                    .exceptionHandler(failure -> retry(sentinel, failure.getMessage()))
                    .endHandler(end -> retry(sentinel, "connection closed"));
            return opened.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL));
        }).onComplete(result -> {
            vertx.cancelTimer(deadline);
            if (result.failed()) {
                retry(sentinel, result.cause().getMessage());
            } else {
                lastHeardNanos = System.nanoTime();
                pingSentNanos = 0;
                schedulePing(sentinel);
            }
        });
    }

    private void onMessage(Response message) {
        lastHeardNanos = System.nanoTime();
        if (message == null || message.type() != ResponseType.MULTI && message.type() != ResponseType.PUSH
                || message.size() < 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        // <master-name> <old-ip> <old-port> <new-ip> <new-port>
        String[] parts = message.get(2).toString().split(" ");
        if (parts.length == 5 && parts[0].equals(master)) {
            String address = parts[3] + ":" + parts[4];
            LOG.infof("Sentinel switched master %s from %s:%s to %s", master, parts[1], parts[2], address);
            onSwitch.accept(address);
        }
    }

    private synchronized void schedulePing(String sentinel) {
        if (stopped) {
            return;
        }
        timer = vertx.setTimer(CHECK.toMillis(), id -> {
            synchronized (this) {
                if (stopped || connection == null) {
                    return;
                }
                if (pingSentNanos != 0 && lastHeardNanos - pingSentNanos < 0) {
                    retry(sentinel, "nothing heard within " + CHECK.toMillis() + " ms of a PING");
                    return;
                }
                pingSentNanos = System.nanoTime();
                connection.send(Request.cmd(Command.PING)).onSuccess(pong -> lastHeardNanos = System.nanoTime());
            }
            schedulePing(sentinel);
        });
    }

    private synchronized void retry(String sentinel, String why) {
        if (stopped) {
            return;
        }
        failures.log("Cannot watch Sentinel %s for failovers of %s (%s); trying the next one", sentinel, master, why);
        close();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(500 + ThreadLocalRandom.current().nextLong(1000), id -> connect());
    }

    private synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
