package dev.lethe.ingest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.delete.Deletions;
import dev.lethe.metrics.EventOutcome;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.support.RateLimitedLog;
import dev.lethe.sql.Target;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * Receives Redis's expired-key events and turns each into a deletion candidate: from the one node of a standalone
 * or Sentinel setup, or from every master of a Redis Cluster. Decoding happens on the event loop that delivers the
 * event and never blocks: a key is accepted into a bounded queue, or counted and dropped.
 */
@ApplicationScoped
public class ExpiredKeySubscriber {

    private static final Logger LOG = Logger.getLogger(ExpiredKeySubscriber.class);

    private final Vertx vertx;
    private final Redis defaultClient;
    private final RedisOptionsCapture options;
    private final LetheConfig config;
    private final LetheMetrics metrics;
    private final Deletions deletions;
    private final Map<String, Subscribed> nodes = new ConcurrentHashMap<>();
    private final RateLimitedLog invalidKeys = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(10));
    private volatile ExpiryKeyDecoder decoder;
    private volatile Runnable onResubscribed = () -> { };
    private volatile ClusterTopology topology;

    /** A node's subscription and the client it owns. */
    private record Subscribed(NodeSubscription subscription, Redis client) {
    }

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
     * @param onResubscribed runs after every subscription gap, when the service was blind for a while
     */
    public void start(Map<String, Target> targets, Runnable onResubscribed) {
        this.decoder = new ExpiryKeyDecoder(config.keyPrefix(), config.maxKeyLength(), targets);
        this.onResubscribed = onResubscribed;
        RedisOptions redisOptions = options.defaults().orElseThrow(() -> new IllegalStateException(
                "the default Redis client was not created; quarkus.redis.hosts must be set"));
        if (redisOptions.getType() == RedisClientType.CLUSTER) {
            if (config.redis().database() != 0) {
                throw new ConfigurationException("lethe.redis.database=" + config.redis().database()
                        + ": a Redis Cluster has only database 0");
            }
            topology = new ClusterTopology(vertx, defaultClient, redisOptions, config.redis().topologyRefresh(),
                    notifications(), new ClusterTopology.Nodes() {
                        @Override
                        public void subscribe(String node, Redis client, boolean catchUp) {
                            ExpiredKeySubscriber.this.subscribe(node, client, catchUp);
                        }

                        @Override
                        public void unsubscribe(String node) {
                            ExpiredKeySubscriber.this.unsubscribe(node);
                        }

                        @Override
                        public Set<String> subscribed() {
                            return nodes.keySet();
                        }
                    });
            topology.start();
        } else {
            subscribe(nodeLabel(redisOptions), Redis.createClient(vertx, redisOptions), false);
        }
    }

    private void subscribe(String node, Redis client, boolean catchUpOnFirst) {
        LetheConfig.Redis redis = config.redis();
        NodeSubscription.Settings settings = new NodeSubscription.Settings(channel(), redis.reconnectMinBackoff(),
                redis.reconnectMaxBackoff(), redis.pingInterval());
        NodeSubscription subscription = new NodeSubscription(vertx, node, client::connect, settings, notifications(),
                this::onExpired, new NodeSubscription.Listener() {
                    @Override
                    public void subscribed(boolean afterGap) {
                        if (afterGap || catchUpOnFirst) {
                            onResubscribed.run();
                        }
                    }

                    @Override
                    public void lost() {
                        ClusterTopology cluster = topology;
                        if (cluster != null) {
                            cluster.refreshSoon();
                        }
                    }
                });
        metrics.subscriptionState(node, () -> subscription.isLive() ? 1 : 0);
        nodes.put(node, new Subscribed(subscription, client));
        subscription.start();
    }

    private void unsubscribe(String node) {
        Subscribed subscribed = nodes.remove(node);
        if (subscribed != null) {
            subscribed.subscription().stop();
            vertx.setTimer(1000, id -> subscribed.client().close());
            metrics.forgetSubscription(node);
        }
    }

    private NotificationSetup notifications() {
        return new NotificationSetup(config.redis().configureNotifications());
    }

    public String channel() {
        return "__keyevent@" + config.redis().database() + "__:expired";
    }

    /** True while every node's subscription is live. */
    public boolean isLive() {
        return !nodes.isEmpty() && nodes.values().stream().allMatch(node -> node.subscription().isLive());
    }

    /** Each node and whether its subscription is live. */
    public Map<String, Boolean> nodeStates() {
        Map<String, Boolean> states = new TreeMap<>();
        nodes.forEach((node, subscribed) -> states.put(node, subscribed.subscription().isLive()));
        return states;
    }

    public void stop() {
        ClusterTopology cluster = topology;
        if (cluster != null) {
            cluster.stop();
        }
        for (String node : Set.copyOf(nodes.keySet())) {
            Subscribed subscribed = nodes.remove(node);
            subscribed.subscription().stop();
            subscribed.client().close();
        }
    }

    private void onExpired(byte[] key) {
        DecodedKey decoded = decoder.decode(key);
        if (decoded instanceof DecodedKey.Accepted accepted) {
            deletions.submit(accepted.key().target(), accepted.key().id());
            return;
        }
        DecodedKey.Rejected rejected = (DecodedKey.Rejected) decoded;
        metrics.event(rejected.outcome());
        if (rejected.outcome() == EventOutcome.INVALID) {
            invalidKeys.log("Invalid expired key %s: %s", RateLimitedLog.printable(key, 96), rejected.reason());
        }
    }

    /** host:port of a Redis endpoint, without credentials, for logs and the node label. */
    static String nodeLabel(RedisOptions options) {
        if (options.getType() == RedisClientType.SENTINEL) {
            return "sentinel/" + options.getMasterName();
        }
        URI uri = URI.create(options.getEndpoint());
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }
}
