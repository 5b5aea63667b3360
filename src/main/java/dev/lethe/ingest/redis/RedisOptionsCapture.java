package dev.lethe.ingest.redis;

import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisOptions;

/**
 * Keeps the options Quarkus builds for its default Redis client from {@code quarkus.redis.*}, so that Lethe's
 * subscription connections use exactly the same hosts, credentials, TLS and timeouts without re-reading them.
 */
@Singleton
public class RedisOptionsCapture implements RedisOptionsCustomizer {

    private static final String DEFAULT_CLIENT = "<default>";

    private volatile RedisOptions defaults;

    @Override
    public void customize(String clientName, RedisOptions options) {
        // Vert.x refuses TLS without a host name verification algorithm and Quarkus leaves it unset unless told:
        // a rediss:// Redis is verified by its host name unless quarkus.redis.tls.hostname-verification-algorithm
        // says otherwise (NONE turns it off).
        boolean tls = options.getEndpoints().stream().anyMatch(endpoint -> endpoint.startsWith("rediss://"));
        String algorithm = options.getNetClientOptions().getHostnameVerificationAlgorithm();
        if (tls && (algorithm == null || algorithm.isEmpty())) {
            options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
        }
        if (DEFAULT_CLIENT.equals(clientName)) {
            defaults = new RedisOptions(options);
        }
    }

    /** A copy of the default client's options, empty until Quarkus has created that client. */
    public Optional<RedisOptions> defaults() {
        RedisOptions captured = defaults;
        return captured == null ? Optional.empty() : Optional.of(new RedisOptions(captured));
    }
}
