package dev.lethe.ingest;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The expired-key subscription on one Redis node. The Quarkus client neither resubscribes nor notices a half-open
 * socket, so this class owns the whole cycle: connect, make sure notifications are on, subscribe, ping, and on any
 * loss start over with a growing, jittered delay. All of its state lives on one Vert.x context, so it needs no locks.
 */
final class NodeSubscription {

    private static final Logger LOG = Logger.getLogger(NodeSubscription.class);

    /** What the subscription needs from its surroundings. */
    record Settings(String channel, Duration minBackoff, Duration maxBackoff, Duration pingInterval) {
    }

    /** What the subscription tells its owner. */
    interface Listener {
        /** The subscription is live; {@code afterGap} when it comes back after a loss, the service was blind. */
        void subscribed(String node, boolean afterGap);

        /** The subscription was lost or could not be made. */
        void lost(String node);
    }

    private final String node;
    private final Supplier<Future<RedisConnection>> connector;
    private final Settings settings;
    private final NotificationSetup notifications;
    private final ExpiredKeys keys;
    private final Listener listener;
    private final Context context;
    private final RateLimitedLog lossLog = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    private RedisConnection connection;
    private boolean live;
    private boolean everLive;
    private boolean stopped;
    private long backoffMillis;
    private long reconnectTimer = -1;
    private long pingTimer = -1;
    private volatile boolean liveForReaders;

    /**
     * @param keys receives the raw bytes of every expired key, on the event loop that delivers them
     */
    NodeSubscription(Vertx vertx, String node, Supplier<Future<RedisConnection>> connector, Settings settings,
            NotificationSetup notifications, ExpiredKeys keys, Listener listener) {
        this.node = node;
        this.connector = connector;
        this.settings = settings;
        this.notifications = notifications;
        this.keys = keys;
        this.listener = listener;
        this.context = vertx.getOrCreateContext();
        this.backoffMillis = settings.minBackoff().toMillis();
    }

    boolean isLive() {
        return liveForReaders;
    }

    void start() {
        context.runOnContext(v -> connect());
    }

    void stop() {
        context.runOnContext(v -> {
            stopped = true;
            cancelTimers();
            setLive(false);
            if (connection != null) {
                connection.close();
                connection = null;
            }
        });
    }

    private void connect() {
        reconnectTimer = -1;
        if (stopped) {
            return;
        }
        connector.get().onComplete(result -> {
            if (result.failed()) {
                lost(null, result.cause());
                return;
            }
            RedisConnection opened = result.result();
            if (stopped) {
                opened.close();
                return;
            }
            connection = opened;
            // Keys are handed over on whatever thread delivers them; state changes hop onto this context.
            opened.handler(this::onPush)
                    .exceptionHandler(failure -> context.runOnContext(v -> lost(opened, failure)))
                    .endHandler(end -> context.runOnContext(v -> lost(opened, null)));
            notifications.ensure(opened, node)
                    .compose(ignored -> opened.send(Request.cmd(Command.SUBSCRIBE).arg(settings.channel())))
                    .onFailure(failure -> lost(opened, failure));
        });
    }

    private void onPush(Response push) {
        if (push == null || push.size() < 3) {
            return;
        }
        // Called for every expired key: tell "message" from the rest by its bytes, without decoding a string.
        Buffer kind = push.get(0).toBuffer();
        if (kind.length() == 7 && kind.getByte(0) == 'm') {
            Response payload = push.get(2);
            if (payload != null) {
                keys.onExpired(payload.toBytes());
            }
        } else if ("subscribe".equals(kind.toString()) && settings.channel().equals(push.get(1).toString())) {
            context.runOnContext(v -> subscribed());
        }
    }

    private void subscribed() {
        boolean resubscribed = everLive && !live;
        setLive(true);
        everLive = true;
        backoffMillis = settings.minBackoff().toMillis();
        LOG.infof("Subscribed to %s on Redis node %s", settings.channel(), node);
        schedulePing();
        listener.subscribed(node, resubscribed);
    }

    private void schedulePing() {
        pingTimer = context.owner().setTimer(settings.pingInterval().toMillis(), id -> ping());
    }

    private void ping() {
        pingTimer = -1;
        RedisConnection pinged = connection;
        if (pinged == null || stopped) {
            return;
        }
        long[] deadline = new long[1];
        deadline[0] = context.owner().setTimer(settings.pingInterval().toMillis(),
                id -> lost(pinged, new IllegalStateException("no answer to PING within " + settings.pingInterval())));
        pinged.send(Request.cmd(Command.PING)).onComplete(result -> {
            context.owner().cancelTimer(deadline[0]);
            if (result.failed()) {
                lost(pinged, result.cause());
            } else if (pinged == connection) {
                schedulePing();
            }
        });
    }

    private void lost(RedisConnection which, Throwable cause) {
        if (which != null && which != connection) {
            return;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
        boolean wasLive = live;
        setLive(false);
        cancelTimers();
        if (stopped) {
            return;
        }
        listener.lost(node);
        String why = cause == null ? "connection closed" : describe(cause);
        long delay = Math.max(1, backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
        backoffMillis = Math.min(backoffMillis * 2, settings.maxBackoff().toMillis());
        if (wasLive) {
            LOG.warnf("Lost the subscription on Redis node %s (%s); resubscribing", node, why);
        } else {
            lossLog.log("Cannot subscribe on Redis node %s (%s); retrying in %d ms", node, why, delay);
        }
        reconnectTimer = context.owner().setTimer(delay, id -> connect());
    }

    private void setLive(boolean value) {
        live = value;
        liveForReaders = value;
    }

    private void cancelTimers() {
        if (pingTimer >= 0) {
            context.owner().cancelTimer(pingTimer);
            pingTimer = -1;
        }
        if (reconnectTimer >= 0) {
            context.owner().cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
