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
import io.vertx.redis.client.ResponseType;

/**
 * The expired-key subscription on one Redis node. The Quarkus client neither resubscribes nor notices a half-open
 * socket, so this class owns the whole cycle: connect, make sure notifications are on, subscribe, check the link,
 * and on any loss start over with a growing, jittered delay. Connecting and subscribing together have a deadline,
 * so a link that drops packets cannot hold an attempt forever. All of its state lives on one Vert.x context.
 * <p>
 * The link is checked by what comes back, not by matching a reply to its request: every ping interval it asks
 * {@code ROLE} (or {@code PING} where ROLE is refused), and anything heard from the node since (an expired key, the
 * reply) proves it alive. In vertx-redis-client 4.5 a push that arrives while a request waits takes that request off
 * the queue, and the reply then arrives as a push (vert-x3/vertx-redis-client#454): a ping that waited for its own
 * reply would time out on a healthy, busy subscription. ROLE also tells when the node was demoted by a failover.
 */
final class NodeSubscription {

    private static final Logger LOG = Logger.getLogger(NodeSubscription.class);

    /** What the subscription needs from its surroundings. */
    record Settings(String channel, Duration minBackoff, Duration maxBackoff, Duration pingInterval,
            boolean followsFailovers) {
    }

    /** What the subscription tells its owner. */
    interface Listener {
        /** The subscription is live; {@code afterGap} when it comes back after a loss, the service was blind. */
        void subscribed(String node, boolean afterGap);

        /** The subscription was lost ({@code wasLive}) or could not be made. */
        void lost(String node, boolean wasLive);
    }

    private final String node;
    private final Supplier<Future<RedisConnection>> connector;
    private final Settings settings;
    private final NotificationSetup notifications;
    private final ExpiredKeys keys;
    private final Listener listener;
    private final Context context;
    private final RateLimitedLog lossLog = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private final RateLimitedLog replicaLog = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofMinutes(5));

    private RedisConnection connection;
    private boolean live;
    private boolean everLive;
    private boolean stopped;
    private boolean roleRefused;
    private long backoffMillis;
    private long reconnectTimer = -1;
    private long pingTimer = -1;
    private long setupTimer = -1;
    private long pingSentNanos;
    private volatile long lastHeardNanos;
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

    /** Drops the subscription and makes it again at once: the node it is on no longer announces what matters. */
    void restart(String why) {
        context.runOnContext(v -> {
            backoffMillis = 0;
            lost(connection, new IllegalStateException(why));
        });
    }

    private void connect() {
        reconnectTimer = -1;
        if (stopped) {
            return;
        }
        long deadline = settings.pingInterval().toMillis();
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
            pingSentNanos = 0;
            // Keys are handed over on whatever thread delivers them; state changes hop onto this context.
            opened.handler(this::onPush)
                    .exceptionHandler(failure -> context.runOnContext(v -> lost(opened, failure)))
                    .endHandler(end -> context.runOnContext(v -> lost(opened, null)));
            setupTimer = context.owner().setTimer(deadline, id -> lost(opened,
                    new IllegalStateException("not subscribed within " + deadline + " ms")));
            notifications.ensure(opened, node, false)
                    .compose(ignored -> opened.send(Request.cmd(Command.SUBSCRIBE).arg(settings.channel())))
                    .onFailure(failure -> context.runOnContext(v -> lost(opened, failure)));
        });
    }

    private void onPush(Response push) {
        lastHeardNanos = System.nanoTime();
        if (push == null || (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI)
                || push.size() == 0) {
            return; // a PONG that found no request waiting for it
        }
        // Called for every expired key: tell "message" from the rest by its bytes, without decoding a string.
        Buffer kind = push.get(0).toBuffer();
        if (kind.length() == 7 && kind.getByte(0) == 'm' && push.size() >= 3) {
            Response payload = push.get(2);
            if (payload != null) {
                keys.onExpired(payload.toBytes());
            }
        } else if (push.size() >= 2 && "subscribe".equals(kind.toString())
                && settings.channel().equals(push.get(1).toString())) {
            context.runOnContext(v -> subscribed());
        } else {
            // A ROLE reply that found no request waiting for it.
            context.runOnContext(v -> role(push));
        }
    }

    private void subscribed() {
        if (setupTimer >= 0) {
            context.owner().cancelTimer(setupTimer);
            setupTimer = -1;
        }
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

    /** Sends the next check, after making sure that something was heard since the last one. */
    private void ping() {
        pingTimer = -1;
        RedisConnection pinged = connection;
        if (pinged == null || stopped) {
            return;
        }
        if (pingSentNanos != 0 && lastHeardNanos - pingSentNanos < 0) {
            lost(pinged, new IllegalStateException("nothing heard within " + settings.pingInterval().toMillis()
                    + " ms of a PING"));
            return;
        }
        pingSentNanos = System.nanoTime();
        Request check = roleRefused ? Request.cmd(Command.PING) : Request.cmd(Command.ROLE);
        pinged.send(check).onComplete(result -> context.runOnContext(v -> {
            if (result.succeeded()) {
                lastHeardNanos = System.nanoTime();
                role(result.result());
            } else if (!roleRefused && isError(result.cause())) {
                // RESP2 allows only PING in a subscribed connection, and an ACL may forbid ROLE.
                roleRefused = true;
                lastHeardNanos = System.nanoTime();
            } else if (pinged == connection) {
                lost(pinged, result.cause());
            }
        }));
        schedulePing();
    }

    /** A node that became a replica announces no expiries: follow the master where a failover can be followed. */
    private void role(Response reply) {
        if (reply == null || reply.type() != ResponseType.MULTI && reply.type() != ResponseType.PUSH
                || reply.size() == 0) {
            return;
        }
        String role = reply.get(0).toString();
        if (!"slave".equals(role) && !"replica".equals(role)) {
            return;
        }
        if (settings.followsFailovers()) {
            LOG.warnf("Redis node %s is a replica now (a failover demoted it); subscribing on the new master", node);
            restart("the node is a replica now");
        } else {
            replicaLog.log("Redis node %s is a replica, and replicas announce no expired keys: point"
                    + " quarkus.redis.hosts at the master (the sweep deletes expired rows meanwhile)", node);
        }
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
        listener.lost(node, wasLive);
        String why = cause == null ? "connection closed" : describe(cause);
        long delay = backoffMillis <= 0 ? 1
                : Math.max(1, backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
        backoffMillis = Math.min(Math.max(backoffMillis * 2, settings.minBackoff().toMillis()),
                settings.maxBackoff().toMillis());
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
        for (long timer : new long[] {pingTimer, reconnectTimer, setupTimer}) {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
        }
        pingTimer = -1;
        reconnectTimer = -1;
        setupTimer = -1;
    }

    private static boolean isError(Throwable failure) {
        return failure instanceof io.vertx.redis.client.impl.types.ErrorType;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
