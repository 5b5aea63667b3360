package dev.lethe.ingest.redis;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.lethe.support.Failures;
import dev.lethe.support.StartupWait;
import dev.lethe.support.Urls;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Waits at startup until Redis answers, like {@link dev.lethe.store.DatabaseReady} for PostgreSQL: a Redis that is
 * not reachable yet is waited for; credentials or TLS settings that can never work end the start in one line.
 */
@ApplicationScoped
public class RedisReady {

    private final Redis redis;

    public RedisReady(Redis redis) {
        this.redis = redis;
    }

    /** Blocks until Redis answers PING; call from the startup thread. */
    public void await(Duration budget) {
        String hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                .orElse("(no quarkus.redis.hosts)");
        StartupWait.until("Redis at " + Urls.withoutSecrets(hosts), budget, "lethe.database.startup-wait",
                () -> Uni.createFrom().completionStage(() -> redis.send(Request.cmd(Command.PING)).toCompletionStage()),
                RedisReady::incurable);
    }

    /** The one-line problem of a failure that no amount of waiting cures. */
    static Optional<String> incurable(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        String message = String.valueOf(cause.getMessage());
        if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH") || message.startsWith("ERR AUTH")
                || message.contains("invalid password") || message.contains("invalid username-password")) {
            return Optional.of("Redis refused the login: check quarkus.redis.password (or the user and password in"
                    + " quarkus.redis.hosts) (" + message + ")");
        }
        if (message.startsWith("NOPERM")) {
            return Optional.of("Redis's ACL forbids a command Lethe needs (" + message + "): allow PING, SUBSCRIBE"
                    + " and, with lethe.redis.configure-notifications=true, CONFIG");
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return Optional.of("TLS to Redis failed (" + Failures.describe(c) + "): check the rediss:// URL in"
                        + " quarkus.redis.hosts and quarkus.redis.tls.* (docs/deploy.md, TLS, shows them)");
            }
        }
        return Optional.empty();
    }
}
