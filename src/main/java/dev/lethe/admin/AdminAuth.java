package dev.lethe.admin;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.metrics.AuthFailure;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;

/**
 * Decides who is calling and whether they may, before any work starts, in a short transaction of its own (the key's
 * lookup and its last use, one statement): a call's work never holds that transaction open. A valid key with the
 * scope always gets through. Every way of not presenting one (no header, not a bearer token, unknown, expired or
 * revoked key) answers the same 401, a little later each time from the same client; a client beyond its failures
 * per minute, or everyone together beyond the total, gets 429 for what is left of the minute, until it presents a
 * valid key. A valid key without the scope gets 403.
 */
@ApplicationScoped
public class AdminAuth {

    private static final Logger LOG = Logger.getLogger(AdminAuth.class);
    private static final int MAX_KEY_LENGTH = 256;
    private static final Duration DELAY_STEP = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final ApiKeys keys;
    private final LetheMetrics metrics;
    private final Optional<byte[]> bootstrap;
    private final AuthFailures failures;
    private final RateLimitedLog rejected = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    public AdminAuth(ApiKeys keys, LetheMetrics metrics, LetheConfig config) {
        this.keys = keys;
        this.metrics = metrics;
        this.failures = new AuthFailures(config.admin().failuresPerMinute(), config.admin().totalFailuresPerMinute());
        // Its length, and that it is not an example value, were checked with the rest of the configuration.
        this.bootstrap = config.admin().bootstrapKey().map(String::trim).map(ApiKeys::hash);
    }

    /**
     * The caller, if the Authorization header carries a valid key with the scope.
     *
     * @param client the caller's address, for limiting repeated failures
     */
    public Uni<Caller> authorize(String authorization, String client, Scope scope) {
        Optional<byte[]> hash = bearer(authorization).map(ApiKeys::hash);
        Uni<Optional<Caller>> caller;
        if (hash.isEmpty()) {
            caller = Uni.createFrom().item(Optional.empty());
        } else if (bootstrap.isPresent() && MessageDigest.isEqual(bootstrap.get(), hash.get())) {
            caller = Uni.createFrom().item(Optional.of(Caller.bootstrap()));
        } else {
            caller = keys.authenticate(hash.get());
        }
        return caller.chain(found -> found.isEmpty() ? refused(client) : permitted(found.get(), scope));
    }

    private static Uni<Caller> permitted(Caller caller, Scope scope) {
        if (caller.may(scope)) {
            return Uni.createFrom().item(caller);
        }
        String detail = caller.keyId().isEmpty()
                ? "the bootstrap key may only manage keys: create a key with the " + scope.label() + " scope"
                : "this key lacks the " + scope.label() + " scope";
        return Uni.createFrom().failure(new AdminErrors.Forbidden(caller, detail));
    }

    private Uni<Caller> refused(String client) {
        AuthFailures.Failure failure = failures.record(client);
        rejected.log("Refused an admin call from %s (%d failures this minute)", client, failure.failures());
        boolean limited = failure.limitedForSeconds() > 0;
        metrics.adminAuthFailure(limited ? AuthFailure.LIMITED : AuthFailure.REJECTED);
        // A limited client still had its key looked up (a valid one always gets through): it waits the longest, so
        // that it cannot send look-ups as fast as it likes.
        Duration delay = limited ? MAX_DELAY : DELAY_STEP.multipliedBy(failure.failures());
        RuntimeException answer = limited ? new AdminErrors.Limited(failure.limitedForSeconds())
                : new AdminErrors.Unauthorized();
        return Uni.createFrom().voidItem()
                .onItem().delayIt().by(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay)
                .chain(() -> Uni.createFrom().failure(answer));
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
