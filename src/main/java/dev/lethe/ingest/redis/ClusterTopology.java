package dev.lethe.ingest.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * Keeps one subscription on every master of a Redis Cluster. Keyspace notifications are node-local, so a single
 * subscription sees only one node's keys; the cluster client would send SUBSCRIBE to one node only. The topology is
 * read again regularly and whenever a subscription is lost, so that a failover, a new master or a resharding is
 * followed: new masters get a subscription (and a catch-up sweep, for what expired before it), nodes that are no
 * longer masters lose theirs. Replicas get the notification flags too, ready for their promotion.
 */
final class ClusterTopology {

    private static final Logger LOG = Logger.getLogger(ClusterTopology.class);

    /** What the topology needs from the subscriber. */
    interface Nodes {
        /** Subscribes on a node; {@code catchUp} when it joins after the start, when keys may have expired unseen. */
        void subscribe(String node, Redis client, boolean catchUp);

        void unsubscribe(String node);

        Set<String> subscribed();
    }

    private final Vertx vertx;
    private final Redis cluster;
    private final RedisOptions options;
    private final Duration refresh;
    private final NotificationSetup notifications;
    private final Nodes nodes;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));
    private long timer = -1;
    private boolean started;
    private volatile boolean stopped;

    ClusterTopology(Vertx vertx, Redis cluster, RedisOptions options, Duration refresh,
            NotificationSetup notifications, Nodes nodes) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.options = options;
        this.refresh = refresh;
        this.notifications = notifications;
        this.nodes = nodes;
    }

    void start() {
        discover().onComplete(done -> schedule());
    }

    /** Reads the topology again soon, as when a subscription was lost: a failover may be under way. */
    void refreshSoon() {
        if (!stopped) {
            vertx.setTimer(500, id -> discover());
        }
    }

    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void schedule() {
        if (!stopped) {
            timer = vertx.setTimer(refresh.toMillis(), id -> discover().onComplete(done -> schedule()));
        }
    }

    private synchronized Future<Void> discover() {
        if (stopped) {
            return Future.succeededFuture();
        }
        return cluster.send(Request.cmd(Command.CLUSTER).arg("NODES"))
                .map(reply -> {
                    reconcile(ClusterNodes.parse(reply.toString()));
                    return (Void) null;
                })
                .recover(failure -> {
                    failures.log("Cannot read the Redis Cluster topology (%s); keeping the subscriptions as they are",
                            failure.getMessage());
                    return Future.succeededFuture();
                });
    }

    private synchronized void reconcile(List<ClusterNodes.Node> found) {
        if (stopped) {
            return;
        }
        Set<String> masters = new HashSet<>();
        for (ClusterNodes.Node node : found) {
            if (node.master()) {
                masters.add(node.address());
            } else {
                configureReplica(node.address());
            }
        }
        for (String node : Set.copyOf(nodes.subscribed())) {
            if (!masters.contains(node)) {
                LOG.infof("Redis node %s is no longer a master; dropping its subscription", node);
                nodes.unsubscribe(node);
            }
        }
        for (String node : masters) {
            if (!nodes.subscribed().contains(node)) {
                if (started) {
                    LOG.infof("Redis node %s is a new master; subscribing", node);
                }
                nodes.subscribe(node, Redis.createClient(vertx, nodeOptions(node)), started);
            }
        }
        started = true;
    }

    private void configureReplica(String node) {
        Redis client = Redis.createClient(vertx, nodeOptions(node));
        client.connect()
                .compose(connection -> notifications.ensure(connection, node, false)
                        .onComplete(done -> connection.close()))
                .onComplete(done -> client.close());
    }

    private RedisOptions nodeOptions(String node) {
        return new RedisOptions(options)
                .setType(RedisClientType.STANDALONE)
                .setEndpoints(new java.util.ArrayList<>(List.of(ClusterNodes.uri(options.getEndpoint(), node))));
    }
}
