package dev.lethe.ingest.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.lethe.metrics.LetheMetrics;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The expired-channel subscriptions of this instance, one per Redis node that announces expiries, each with its
 * {@code lethe_redis_subscribed{node}} gauge. It hears back from every subscription: after a gap, and when a node
 * joins after the start, keys may have expired unseen, so the service catches up by sweeping.
 */
final class Subscriptions implements ClusterTopology.Nodes, NodeSubscription.Listener {

    /** A node's subscription, the check of its notifications, and the client they share. */
    private record Subscribed(NodeSubscription subscription, NotificationWatch notifications, Redis client) {
    }

    private final Vertx vertx;
    private final NodeSubscription.Settings settings;
    private final NotificationSetup notifications;
    private final ExpiredKeyListener keys;
    private final LetheMetrics metrics;
    private final Runnable catchUp;
    private final Canaries canaries;
    private final String canaryKey;
    private final Duration notificationsCheck;
    private final Map<String, Subscribed> nodes = new ConcurrentHashMap<>();
    private final Set<String> joinedLate = ConcurrentHashMap.newKeySet();
    private volatile Runnable onLost = () -> { };

    /**
     * @param catchUp runs when a subscription becomes live after keys may have expired unseen
     * @param canaryKey the test key of this instance, without a hash tag
     */
    Subscriptions(Vertx vertx, NodeSubscription.Settings settings, NotificationSetup notifications, ExpiredKeyListener keys,
            LetheMetrics metrics, Runnable catchUp, Canaries canaries, String canaryKey, Duration notificationsCheck) {
        this.vertx = vertx;
        this.settings = settings;
        this.notifications = notifications;
        this.keys = keys;
        this.metrics = metrics;
        this.catchUp = catchUp;
        this.canaries = canaries;
        this.canaryKey = canaryKey;
        this.notificationsCheck = notificationsCheck;
    }

    /** What to do when any subscription is lost, besides resubscribing it: in a cluster, read the topology. */
    void onLost(Runnable action) {
        this.onLost = action;
    }

    @Override
    public void subscribe(String node, Redis client, boolean catchUpOnFirst) {
        NodeSubscription subscription = new NodeSubscription(vertx, node, client::connect, settings, notifications,
                keys, this);
        NotificationWatch watch = new NotificationWatch(vertx, node, client::connect, notifications, canaries,
                canaryKey, notificationsCheck, subscription::isLive);
        if (catchUpOnFirst) {
            joinedLate.add(node);
        }
        metrics.subscriptionState(node, () -> subscription.isLive() ? 1 : 0);
        metrics.notificationsState(node, watch::state);
        nodes.put(node, new Subscribed(subscription, watch, client));
        subscription.start();
    }

    @Override
    public void unsubscribe(String node) {
        Subscribed subscribed = nodes.remove(node);
        if (subscribed != null) {
            subscribed.subscription().stop();
            subscribed.notifications().stop();
            vertx.setTimer(1000, id -> subscribed.client().close());
            metrics.forgetSubscription(node);
        }
    }

    @Override
    public Set<String> subscribed() {
        return nodes.keySet();
    }

    @Override
    public void subscribed(String node, boolean afterGap) {
        Subscribed subscribed = nodes.get(node);
        if (subscribed != null) {
            subscribed.notifications().checkSoon();
        }
        if (joinedLate.remove(node) || afterGap) {
            catchUp.run();
        }
    }

    @Override
    public void lost(String node, boolean wasLive) {
        if (wasLive) {
            metrics.subscriptionLost(node);
        }
        onLost.run();
    }

    /** Drops a node's subscription and makes it again at once, as after a failover. */
    void restart(String node, String why) {
        Subscribed subscribed = nodes.get(node);
        if (subscribed != null) {
            subscribed.subscription().restart(why);
        }
    }

    /** True while every node's subscription is live. */
    boolean isLive() {
        return !nodes.isEmpty() && nodes.values().stream().allMatch(node -> node.subscription().isLive());
    }

    /** Each node and whether its subscription is live. */
    Map<String, Boolean> states() {
        Map<String, Boolean> states = new TreeMap<>();
        nodes.forEach((node, subscribed) -> states.put(node, subscribed.subscription().isLive()));
        return states;
    }

    void stopAll() {
        for (String node : Set.copyOf(nodes.keySet())) {
            Subscribed subscribed = nodes.remove(node);
            subscribed.subscription().stop();
            subscribed.notifications().stop();
            subscribed.client().close();
        }
    }

    /** host:port of a Redis endpoint, without credentials, for logs and the node label. */
    static String label(RedisOptions options) {
        if (options.getType() == RedisClientType.SENTINEL) {
            return "sentinel/" + options.getMasterName();
        }
        URI uri = URI.create(options.getEndpoint());
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }
}
