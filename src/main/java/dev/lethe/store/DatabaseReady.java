package dev.lethe.store;

import static dev.lethe.sql.LetheStatements.BACKEND_PID;
import static dev.lethe.sql.LetheStatements.PROBE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.lethe.config.LetheConfig;
import dev.lethe.config.PoolerMode;
import dev.lethe.support.Failures;
import dev.lethe.support.StartupWait;
import dev.lethe.support.Urls;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Makes sure at startup, before Lethe reads its catalog or touches its own schema, that PostgreSQL answers, that the
 * connections Lethe needs can be had, and that what sits in between is what lethe.database.pooler says. A database
 * that is still starting, or not reachable yet, is waited for; a login, a database, a TLS setting or a pool that can
 * never work ends the start at once, in one line that names what to fix.
 */
@ApplicationScoped
public class DatabaseReady {

    /** How long the connections Lethe needs may take to open once PostgreSQL answers. */
    private static final Duration CONNECTIONS_WAIT = Duration.ofSeconds(10);

    private final Database database;
    private final Pool pool;
    private final PoolSettings settings;
    private final PoolerMode pooler;

    public DatabaseReady(Database database, Pool pool, PoolSettings settings, LetheConfig config) {
        this.database = database;
        this.pool = pool;
        this.settings = settings;
        this.pooler = config.database().pooler();
    }

    /** Blocks until PostgreSQL answers, then checks the connections; call from the startup thread. */
    public void await(Duration budget) {
        String url = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.reactive.url", String.class)
                .orElse("(no quarkus.datasource.reactive.url)");
        StartupWait.until("PostgreSQL at " + Urls.withoutSecrets(url), budget, "lethe.database.startup-wait",
                () -> database.execute(PROBE), DatabaseReady::incurable);
        checkConnections();
        if (pooler.keepsPreparedStatements()) {
            checkSessionsStay();
        }
    }

    /**
     * Opens every connection the pool may need, all at once, and runs a statement on each: behind a pooler at its
     * limit (or, in session mode, without a server connection to spare for each of them) the start fails here, in
     * one line, instead of later with statements that wait.
     */
    private void checkConnections() {
        int needed = settings.maxSize();
        List<SqlConnection> held = new CopyOnWriteArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean over = new AtomicBoolean();
        List<Uni<Void>> opening = new ArrayList<>();
        for (int i = 0; i < needed; i++) {
            opening.add(pool.getConnection().chain(connection -> {
                if (over.get()) {
                    return connection.close();
                }
                held.add(connection);
                return connection.query(PROBE).execute().invoke(answered::incrementAndGet).replaceWithVoid();
            }));
        }
        try {
            Uni.join().all(opening).andCollectFailures().await().atMost(CONNECTIONS_WAIT);
        } catch (RuntimeException e) {
            throw new ConfigurationException("Lethe could open only " + answered.get() + " of the " + needed
                    + " PostgreSQL connections it uses (" + PoolSettings.MAX_SIZE + "=" + needed + ") within "
                    + CONNECTIONS_WAIT.toSeconds() + " s (" + Failures.describe(e) + "): a connection pooler in"
                    + " front of PostgreSQL may be at its limit (PgBouncer: max_client_conn, and in session mode"
                    + " default_pool_size, since each Lethe connection holds a server connection). Raise the"
                    + " pooler's limit, or lower " + PoolSettings.MAX_SIZE);
        } finally {
            over.set(true);
            held.forEach(SqlConnection::closeAndForget);
        }
    }

    /**
     * With lethe.database.pooler=none or session, Lethe keeps prepared statements on its connections, which needs
     * every transaction on a connection to run in the same server session. A transaction pooler hands out another
     * session at will: three transactions on one connection that see different backend pids prove one is there.
     */
    private void checkSessionsStay() {
        Set<Integer> pids = new TreeSet<>();
        pool.withConnection(connection -> Uni.createFrom().voidItem()
                .chain(() -> pid(connection, pids)).chain(() -> pid(connection, pids)).chain(() -> pid(connection, pids)))
                .await().atMost(database.deadline());
        if (pids.size() > 1) {
            throw new ConfigurationException("lethe.database.pooler=" + pooler.label() + ", but transactions on one"
                    + " connection ran in different PostgreSQL sessions (pids " + pids + "): a pooler in transaction"
                    + " mode is in between. Set lethe.database.pooler=transaction");
        }
    }

    private static Uni<Void> pid(SqlConnection connection, Set<Integer> pids) {
        return connection.query(BACKEND_PID).execute()
                .invoke(rows -> pids.add(rows.iterator().next().getInteger(0))).replaceWithVoid();
    }

    /** The one-line problem of a failure that no amount of waiting cures. */
    public static Optional<String> incurable(Throwable failure) {
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
                case "08P01" -> {
                    return pg.getErrorMessage() != null && pg.getErrorMessage().contains("startup parameter")
                            ? Optional.of("A connection pooler refused a startup parameter" + why + ": allow"
                                    + " application_name (PgBouncer: ignore_startup_parameters)")
                            : Optional.empty();
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
        if (message.contains("Trust options must be specified")) {
            return Optional.of("sslmode=verify-full and verify-ca need the server's CA: name it in"
                    + " quarkus.datasource.reactive.trust-certificate-pem.certs (docs/deploy.md, TLS, shows"
                    + " the settings); sslmode=require encrypts without verifying");
        }
        if (hasCause(cause, SSLException.class) || message.contains("SSL handshake")) {
            return Optional.of("TLS to PostgreSQL failed (" + Failures.describe(cause) + "): with sslmode=verify-full"
                    + " or verify-ca, name the server's CA in quarkus.datasource.reactive.trust-certificate-pem.certs,"
                    + " and connect by the name its certificate carries (docs/deploy.md, TLS, shows the"
                    + " settings); sslmode=require encrypts without verifying");
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
