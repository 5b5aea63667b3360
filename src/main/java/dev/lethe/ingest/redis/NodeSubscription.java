package dev.lethe.ingest.redis;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The expired-key subscription on one Redis node: a {@link RedisLink} whose connections are made to announce expired
 * keys before they subscribe, and whose check is {@code ROLE} (or {@code PING} where ROLE is refused: RESP2 allows
 * only PING on a subscribed connection, and an ACL may forbid ROLE), so that a node a failover demoted to a replica,
 * which announces nothing, is noticed even when no Sentinel message says so.
 */
final class NodeSubscription implements RedisLink.Owner {

    private static final Logger LOG = Logger.getLogger(NodeSubscription.class);

    /** What the subscription needs from its surroundings. */
    record Settings(String channel, RedisLink.Settings link, boolean followsFailovers) {
    }

    /** What the subscription tells its owner. */
    interface Listener {
        /** The subscription is live; {@code afterGap} when it comes back after a loss, the service was blind. */
        void subscribed(String node, boolean afterGap);

        /** The subscription was lost ({@code wasLive}) or could not be made. */
        void lost(String node, boolean wasLive);
    }

    private final String node;
    private final Settings settings;
    private final NotificationSetup notifications;
    private final ExpiredKeyListener keys;
    private final Listener listener;
    private final RedisLink link;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private final RateLimitedLog replicaLog = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofMinutes(5));
    /** Confined to the link's context, as every callback but {@link #message}. */
    private boolean roleRefused;

    /** @param keys receives the raw bytes of every expired key, on the event loop that delivers them */
    NodeSubscription(Vertx vertx, String node, Supplier<Future<RedisConnection>> connector, Settings settings,
            NotificationSetup notifications, ExpiredKeyListener keys, Listener listener) {
        this.node = node;
        this.settings = settings;
        this.notifications = notifications;
        this.keys = keys;
        this.listener = listener;
        this.link = new RedisLink(vertx, connector, settings.channel(), settings.link(), this);
    }

    boolean isLive() {
        return link.isLive();
    }

    void start() {
        link.start();
    }

    void stop() {
        link.stop();
    }

    /** Drops the subscription and makes it again at once: the node it is on no longer announces what matters. */
    void restart(String why) {
        link.restart(why);
    }

    @Override
    public Future<?> prepare(RedisConnection connection) {
        return notifications.ensure(connection, node, false);
    }

    @Override
    public void message(Response payload) {
        if (payload != null) {
            keys.expired(payload.toBytes());
        }
    }

    @Override
    public Request check() {
        return Request.cmd(roleRefused ? Command.PING : Command.ROLE);
    }

    @Override
    public void refused(Throwable error) {
        roleRefused = true;
    }

    /** A node that became a replica announces no expiries: follow the master where a failover can be followed. */
    @Override
    public void replied(Response reply) {
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
            link.restart("the node is a replica now");
        } else {
            replicaLog.log("Redis node %s is a replica, and replicas announce no expired keys: point"
                    + " quarkus.redis.hosts at the master (the sweep deletes expired rows meanwhile)", node);
        }
    }

    @Override
    public void live(boolean afterGap) {
        LOG.infof("Subscribed to %s on Redis node %s", settings.channel(), node);
        listener.subscribed(node, afterGap);
    }

    @Override
    public void lost(boolean wasLive, String why) {
        if (wasLive) {
            LOG.warnf("Lost the subscription on Redis node %s (%s); resubscribing", node, why);
        } else {
            failures.log("Cannot subscribe on Redis node %s (%s); retrying", node, why);
        }
        listener.lost(node, wasLive);
    }
}
