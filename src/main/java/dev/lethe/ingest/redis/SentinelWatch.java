package dev.lethe.ingest.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;

/**
 * Listens to the Sentinels for {@code +switch-master} of the configured master, so that the subscription moves to
 * the new master the moment a failover completes, planned or not: the old master may well stay up as a replica,
 * which announces no expiries. It is a {@link RedisLink} to one Sentinel at a time, and each new attempt asks the
 * next one, so a Sentinel that goes quiet is replaced within an interval.
 */
final class SentinelWatch implements RedisLink.Owner {

    private static final Logger LOG = Logger.getLogger(SentinelWatch.class);
    private static final String CHANNEL = "+switch-master";

    private final Vertx vertx;
    private final RedisOptions options;
    private final String master;
    private final Consumer<String> onSwitch;
    private final List<String> sentinels;
    private final RedisLink link;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(60));
    /** Confined to the link's context: the connector runs there. */
    private int next;
    private Redis client;
    private String current = "";

    /** @param onSwitch receives the new master's address */
    SentinelWatch(Vertx vertx, RedisOptions options, RedisLink.Settings settings, Consumer<String> onSwitch) {
        this.vertx = vertx;
        this.options = options;
        this.master = options.getMasterName();
        this.onSwitch = onSwitch;
        this.sentinels = List.copyOf(options.getEndpoints());
        this.link = new RedisLink(vertx, this::connectToNext, CHANNEL, settings, this);
    }

    void start() {
        link.start();
    }

    void stop() {
        link.stop();
    }

    private Future<RedisConnection> connectToNext() {
        if (client != null) {
            client.close();
        }
        current = sentinels.get(next++ % sentinels.size());
        client = Redis.createClient(vertx, new RedisOptions(options).setType(RedisClientType.STANDALONE)
                .setEndpoints(new ArrayList<>(List.of(current))).setPreferredProtocolVersion(ProtocolVersion.RESP2));
        return client.connect();
    }

    /** {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>}. */
    @Override
    public void message(Response payload) {
        String[] parts = payload == null ? new String[0] : payload.toString().split(" ");
        if (parts.length == 5 && parts[0].equals(master)) {
            String address = parts[3] + ":" + parts[4];
            LOG.infof("Sentinel switched master %s from %s:%s to %s", master, parts[1], parts[2], address);
            onSwitch.accept(address);
        }
    }

    @Override
    public void live(boolean afterGap) {
        LOG.debugf("Watching Sentinel %s for failovers of %s", current, master);
    }

    @Override
    public void stopped() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void lost(boolean wasLive, String why) {
        failures.log("Cannot watch Sentinel %s for failovers of %s (%s); trying the next one", current, master, why);
    }
}
