package dev.lethe.store;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.lethe.support.Failures;
import dev.lethe.support.StartupWait;
import dev.lethe.support.Urls;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * Waits at startup until PostgreSQL answers, before Lethe reads its catalog or touches its own schema. A database
 * that is still starting, or not reachable yet, is waited for; a login, a database or a TLS setting that can never
 * work ends the start at once, in one line that names what to fix.
 */
@ApplicationScoped
public class DatabaseReady {

    private final Pool pool;

    public DatabaseReady(Pool pool) {
        this.pool = pool;
    }

    /** Blocks until PostgreSQL answers a query; call from the startup thread. */
    public void await(Duration budget) {
        String url = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.reactive.url", String.class)
                .orElse("(no quarkus.datasource.reactive.url)");
        StartupWait.until("PostgreSQL at " + Urls.withoutSecrets(url), budget, "lethe.database.startup-wait",
                () -> pool.query("SELECT 1").execute(), DatabaseReady::incurable);
    }

    /** The one-line problem of a failure that no amount of waiting cures. */
    static Optional<String> incurable(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof PgException pg && pg.getSqlState() != null) {
            String why = " (" + Failures.describe(pg) + ")";
            switch (pg.getSqlState()) {
                case "28P01", "28000" -> {
                    return Optional.of("PostgreSQL refused the login: check quarkus.datasource.username and"
                            + " quarkus.datasource.password" + why);
                }
                case "3D000" -> {
                    return Optional.of("PostgreSQL has no such database: create it, or fix the database name in"
                            + " quarkus.datasource.reactive.url" + why);
                }
                case "42501" -> {
                    return Optional.of("PostgreSQL does not let quarkus.datasource.username connect: grant it"
                            + " CONNECT on the database" + why);
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        String message = String.valueOf(cause.getMessage());
        if (message.contains("does not handle SSL")) {
            return Optional.of("PostgreSQL does not offer TLS, but quarkus.datasource.reactive.url asks for it"
                    + " (sslmode): enable ssl on the server, or use sslmode=disable or prefer");
        }
        if (cause instanceof SSLException || message.contains("SSL handshake") || hasCause(cause, SSLException.class)) {
            return Optional.of("TLS to PostgreSQL failed (" + Failures.describe(cause) + "): with sslmode=verify-full"
                    + " or verify-ca, name the server's CA in quarkus.datasource.reactive.trust-certificate-pem.certs"
                    + " (the README's Deploy section shows the settings); sslmode=require encrypts without verifying");
        }
        return Optional.empty();
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
