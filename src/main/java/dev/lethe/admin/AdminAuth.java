package dev.lethe.admin;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.metrics.AuthFailure;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.Database;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Authorizes every admin call and runs it in one transaction with the key's last-use update, so that the update
 * commits with the action or not at all. Every way of failing (no header, not a bearer token, unknown, expired or
 * revoked key, bootstrap key outside key management) answers the same 401, a little later each time; a client
 * that keeps failing gets 429 until its minute is over.
 */
@ApplicationScoped
public class AdminAuth {

    private static final Logger LOG = Logger.getLogger(AdminAuth.class);
    private static final int MAX_KEY_LENGTH = 256;
    private static final Duration DELAY_STEP = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofSeconds(2);

    /** What a call may do. The bootstrap key may only manage keys, so that it can be retired once real ones exist. */
    public enum Scope {
        KEYS,
        OPERATIONS
    }

    /** Who is calling: an API key, or the bootstrap key from configuration. */
    public record Caller(Optional<UUID> keyId) {
        public String label() {
            return keyId.map(id -> "key:" + id).orElse("bootstrap");
        }
    }

    private final Database database;
    private final ApiKeys keys;
    private final LetheMetrics metrics;
    private final Optional<byte[]> bootstrap;
    private final AuthFailures failures;
    private final RateLimitedLog rejected = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    public AdminAuth(Database database, ApiKeys keys, LetheMetrics metrics, LetheConfig config) {
        this.database = database;
        this.keys = keys;
        this.metrics = metrics;
        this.failures = new AuthFailures(config.admin().failuresPerMinute());
        // Its length was checked with the rest of the configuration (LetheConfig.Admin).
        this.bootstrap = config.admin().bootstrapKey().map(String::trim).map(ApiKeys::hash);
    }

    /**
     * Runs {@code action} in a transaction if the Authorization header carries a key allowed for the scope.
     *
     * @param client the caller's address, for limiting repeated failures
     */
    public <T> Uni<T> authorize(String authorization, String client, Scope scope,
            BiFunction<SqlConnection, Caller, Uni<T>> action) {
        long blockedFor = failures.blockedForSeconds(client);
        if (blockedFor > 0) {
            metrics.adminAuthFailure(AuthFailure.LIMITED);
            return Uni.createFrom().failure(new AdminErrors.Limited(blockedFor));
        }
        Optional<byte[]> hash = bearer(authorization).map(ApiKeys::hash);
        if (hash.isEmpty()) {
            return unauthorized(client);
        }
        if (bootstrap.isPresent() && MessageDigest.isEqual(bootstrap.get(), hash.get())) {
            return scope == Scope.KEYS
                    ? database.transaction(connection -> action.apply(connection, new Caller(Optional.empty())))
                    : unauthorized(client);
        }
        return database.transaction(connection -> keys.authenticate(connection, hash.get())
                .chain(id -> id.isEmpty()
                        ? Uni.createFrom().<T>failure(new AdminErrors.Unauthorized())
                        : action.apply(connection, new Caller(id)).call(() -> keys.touch(connection, id.get()))))
                .onFailure(AdminErrors.Unauthorized.class).recoverWithUni(() -> unauthorized(client));
    }

    private <T> Uni<T> unauthorized(String client) {
        int count = failures.record(client);
        metrics.adminAuthFailure(AuthFailure.REJECTED);
        rejected.log("Refused an admin call from %s (%d failures this minute)", client, count);
        Duration delay = DELAY_STEP.multipliedBy(count);
        return Uni.createFrom().voidItem()
                .onItem().delayIt().by(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay)
                .chain(() -> Uni.createFrom().failure(new AdminErrors.Unauthorized()));
    }

    /** The token of "Bearer <token>", if the header is one and the token is plausible. */
    static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return Optional.empty();
            }
        }
        return Optional.of(token);
    }
}
