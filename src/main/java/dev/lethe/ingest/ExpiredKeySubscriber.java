package dev.lethe.ingest;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.config.ConfigRules;
import dev.lethe.config.LetheConfig;
import dev.lethe.delete.Deletions;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Target;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * Subscribes to Redis's expired-key events where the configured Redis announces them: on its one node (standalone
 * or Sentinel), or on every master of a Redis Cluster, whose topology it follows.
 */
@ApplicationScoped
public class ExpiredKeySubscriber {

    private final Vertx vertx;
    private final Redis defaultClient;
    private final RedisOptionsCapture options;
    private final LetheConfig config;
    private final LetheMetrics metrics;
    private final Deletions deletions;
    private volatile Subscriptions subscriptions;
    private volatile ClusterTopology topology;
    private volatile SentinelWatch sentinels;
    private volatile String channel = "(not subscribed)";

    /**
     * @param defaultClient the client Quarkus builds from quarkus.redis.*; in cluster mode it reads the topology,
     *        and injecting it makes Quarkus create it, whose options {@link RedisOptionsCapture} keeps for the
     *        subscription connections
     */
    public ExpiredKeySubscriber(Vertx vertx, Redis defaultClient, RedisOptionsCapture options, LetheConfig config,
            LetheMetrics metrics, Deletions deletions) {
        this.vertx = vertx;
        this.defaultClient = defaultClient;
        this.options = options;
        this.config = config;
        this.metrics = metrics;
        this.deletions = deletions;
    }

    /**
     * Subscribes on the configured Redis: its one node, or every master of a cluster.
     *
     * @param catchUp runs after every subscription gap, when the service was blind for a while
     */
    public void start(Map<String, Target> targets, Runnable catchUp) {
        RedisOptions redisOptions = options.defaults().orElseThrow(() -> new IllegalStateException(
                "the default Redis client was not created; quarkus.redis.hosts must be set"));
        LetheConfig.Redis redis = config.redis();
        // ConfigRules made sure that the two agree where both are set.
        int database = redis.database().or(() -> ConfigRules.redisDatabase(redisOptions.getEndpoint())).orElse(0);
        channel = "__keyevent@" + database + "__:expired";
        Canaries canaries = new Canaries();
        ExpiredKeys keys = new ExpiredKeys(new ExpiryKeyDecoder(config.keyPrefix(), config.maxKeyLength(), targets),
                deletions, metrics, canaries);
        String canaryKey = config.keyPrefix() + ":" + ExpiryKeyDecoder.CANARY_TARGET + ":" + UUID.randomUUID();
        NotificationSetup notifications = new NotificationSetup(redis.configureNotifications());
        boolean sentinel = redisOptions.getType() == RedisClientType.SENTINEL;
        subscriptions = new Subscriptions(vertx, new NodeSubscription.Settings(channel, redis.reconnectMinBackoff(),
                redis.reconnectMaxBackoff(), redis.pingInterval(), sentinel), notifications, keys, metrics, catchUp,
                canaries, canaryKey, redis.notificationsCheck());
        if (redisOptions.getType() == RedisClientType.CLUSTER) {
            topology = new ClusterTopology(vertx, defaultClient, redisOptions, redis.topologyRefresh(), notifications,
                    subscriptions);
            subscriptions.onLost(topology::refreshSoon);
            topology.start();
        } else {
            String node = Subscriptions.label(redisOptions);
            subscriptions.subscribe(node, Redis.createClient(vertx, redisOptions), false);
            if (sentinel) {
                sentinels = new SentinelWatch(vertx, redisOptions,
                        address -> subscriptions.restart(node, "Sentinel switched the master to " + address));
                sentinels.start();
            }
        }
    }

    /** The channel subscribed to: {@code __keyevent@<database>__:expired}. */
    public String channel() {
        return channel;
    }

    /** True while every node's subscription is live. */
    public boolean isLive() {
        Subscriptions current = subscriptions;
        return current != null && current.isLive();
    }

    /** Each node and whether its subscription is live. */
    public Map<String, Boolean> nodeStates() {
        Subscriptions current = subscriptions;
        return current == null ? Map.of() : current.states();
    }

    public void stop() {
        ClusterTopology cluster = topology;
        if (cluster != null) {
            cluster.stop();
        }
        SentinelWatch watch = sentinels;
        if (watch != null) {
            watch.stop();
        }
        Subscriptions current = subscriptions;
        if (current != null) {
            current.stopAll();
        }
    }
}
