package dev.lethe.ingest;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.config.ConfigRules;
import dev.lethe.config.LetheConfig;
import dev.lethe.ingest.redis.Canaries;
import dev.lethe.ingest.redis.ExpiredChannel;
import dev.lethe.ingest.redis.RedisOptionsCapture;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Target;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Subscribes {@link ExpiredKeys}, the entry of the event path, to Redis's expired-key events where the configured
 * Redis announces them (its one node, the Sentinels' master, or every master of a cluster).
 */
@ApplicationScoped
public class ExpiredKeySubscriber {

    private final Vertx vertx;
    private final Redis defaultClient;
    private final RedisOptionsCapture options;
    private final LetheConfig config;
    private final LetheMetrics metrics;
    private final ExpiredKeys keys;
    private final Canaries canaries;
    private volatile ExpiredChannel expired;
    private volatile String channel = "(not subscribed)";

    /**
     * @param defaultClient the client Quarkus builds from quarkus.redis.*; in cluster mode it reads the topology,
     *        and injecting it makes Quarkus create it, whose options {@link RedisOptionsCapture} keeps for the
     *        subscription connections
     */
    public ExpiredKeySubscriber(Vertx vertx, Redis defaultClient, RedisOptionsCapture options, LetheConfig config,
            LetheMetrics metrics, ExpiredKeys keys, Canaries canaries) {
        this.vertx = vertx;
        this.defaultClient = defaultClient;
        this.options = options;
        this.config = config;
        this.metrics = metrics;
        this.keys = keys;
        this.canaries = canaries;
    }

    /**
     * Subscribes on the configured Redis.
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
        keys.start(targets);
        String canaryKey = config.keyPrefix() + ":" + ExpiryKeyDecoder.CANARY_TARGET + ":" + UUID.randomUUID();
        expired = new ExpiredChannel(vertx, defaultClient, redisOptions, redis, channel, canaries, canaryKey, metrics,
                keys::onExpired, catchUp);
        expired.start();
    }

    /** The channel subscribed to: {@code __keyevent@<database>__:expired}. */
    public String channel() {
        return channel;
    }

    /** True while every node's subscription is live. */
    public boolean isLive() {
        ExpiredChannel current = expired;
        return current != null && current.isLive();
    }

    /** Each node and whether its subscription is live. */
    public Map<String, Boolean> nodeStates() {
        ExpiredChannel current = expired;
        return current == null ? Map.of() : current.nodeStates();
    }

    public void stop() {
        ExpiredChannel current = expired;
        if (current != null) {
            current.stop();
        }
    }
}
