package dev.lethe.ingest.redis;

import java.util.Map;

import dev.lethe.config.LetheConfig;
import dev.lethe.metrics.LetheMetrics;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The expired-key channel of the configured Redis, subscribed wherever it announces expiries: on its one node
 * (standalone), on the master the Sentinels name (following their failovers), or on every master of a cluster
 * (following its topology). Every key heard goes to one {@link ExpiredKeyListener}.
 */
public final class ExpiredChannel {

    private final Vertx vertx;
    private final RedisOptions options;
    private final Subscriptions subscriptions;
    private final ClusterTopology topology;
    private final SentinelWatch sentinels;
    private final String node;

    /**
     * @param options the default client's options, for every connection of the subscriptions
     * @param channel {@code __keyevent@<database>__:expired}
     * @param canaryKey the test key of this instance, without a hash tag
     * @param catchUp runs after every subscription gap, when the service was blind for a while
     */
    public ExpiredChannel(Vertx vertx, Redis defaultClient, RedisOptions options, LetheConfig.Redis config,
            String channel, Canaries canaries, String canaryKey, LetheMetrics metrics, ExpiredKeyListener keys,
            Runnable catchUp) {
        this.vertx = vertx;
        this.options = options;
        RedisLink.Settings link = new RedisLink.Settings(config.pingInterval(), config.reconnectMinBackoff(),
                config.reconnectMaxBackoff());
        // The kernel's own connect timeout is no longer than a link's deadline, which abandons an attempt anyway.
        options.getNetClientOptions().setConnectTimeout((int) config.pingInterval().toMillis());
        boolean sentinel = options.getType() == RedisClientType.SENTINEL;
        NotificationSetup notifications = new NotificationSetup(config.configureNotifications());
        subscriptions = new Subscriptions(vertx, new NodeSubscription.Settings(channel, link, sentinel), notifications,
                keys, metrics, catchUp, canaries, canaryKey, config.notificationsCheck());
        if (options.getType() == RedisClientType.CLUSTER) {
            topology = new ClusterTopology(vertx, defaultClient, options, config.topologyRefresh(), notifications,
                    subscriptions);
            subscriptions.onLost(topology::refreshSoon);
            sentinels = null;
            node = null;
        } else {
            topology = null;
            node = Subscriptions.label(options);
            sentinels = sentinel ? new SentinelWatch(vertx, options, link,
                    address -> subscriptions.restart(node, "Sentinel switched the master to " + address)) : null;
        }
    }

    public void start() {
        if (topology != null) {
            topology.start();
        } else {
            subscriptions.subscribe(node, Redis.createClient(vertx, options), false);
        }
        if (sentinels != null) {
            sentinels.start();
        }
    }

    public void stop() {
        if (topology != null) {
            topology.stop();
        }
        if (sentinels != null) {
            sentinels.stop();
        }
        subscriptions.stopAll();
    }

    /** True while every node's subscription is live. */
    public boolean isLive() {
        return subscriptions.isLive();
    }

    /** Each node and whether its subscription is live. */
    public Map<String, Boolean> nodeStates() {
        return subscriptions.states();
    }
}
