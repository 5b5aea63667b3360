package dev.lethe.ingest;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.delete.Deletions;
import dev.lethe.ingest.redis.Canaries;
import dev.lethe.metrics.EventOutcome;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Target;
import dev.lethe.support.RateLimitedLog;

/**
 * What happens to an expired key: the entry of the event path. It runs on the event loop that delivered the key,
 * for every expired key in Redis (Lethe's and everyone else's), so it never blocks: the key is decoded from its
 * bytes and handed to {@link Deletions}, or counted and let go.
 */
@ApplicationScoped
public class ExpiredKeys {

    private static final Logger LOG = Logger.getLogger(ExpiredKeys.class);

    private final Deletions deletions;
    private final LetheMetrics metrics;
    private final Canaries canaries;
    private final LetheConfig config;
    private final RateLimitedLog invalidKeys = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(10));
    private volatile ExpiryKeyDecoder decoder;

    public ExpiredKeys(Deletions deletions, LetheMetrics metrics, Canaries canaries, LetheConfig config) {
        this.deletions = deletions;
        this.metrics = metrics;
        this.canaries = canaries;
        this.config = config;
    }

    /** The targets whose keys are acted on, once they are resolved; until then no key is. */
    void start(Map<String, Target> targets) {
        decoder = new ExpiryKeyDecoder(config.keyPrefix(), config.maxKeyLength(), targets);
    }

    void onExpired(byte[] key) {
        DecodedKey decoded = decoder.decode(key);
        if (decoded instanceof DecodedKey.Accepted accepted) {
            deletions.submit(accepted.key().target(), accepted.key().id());
            return;
        }
        if (decoded instanceof DecodedKey.Canary canary) {
            canaries.heard(canary.key());
            return;
        }
        DecodedKey.Rejected rejected = (DecodedKey.Rejected) decoded;
        metrics.event(rejected.outcome());
        if (rejected.outcome() == EventOutcome.INVALID) {
            invalidKeys.log("Invalid expired key %s: %s", RateLimitedLog.printable(key, 96), rejected.reason());
        }
    }
}
