package dev.lethe.schema;

import static dev.lethe.sql.LetheStatements.SCHEMA_EXISTS;
import static dev.lethe.sql.LetheStatements.SCHEMA_LOCK;
import static dev.lethe.sql.LetheStatements.SCHEMA_VERSION;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.store.Database;
import dev.lethe.support.ClasspathText;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Lethe's own schema ({@code lethe}: API keys, target pauses, the outbox, the leases), created and upgraded from the
 * scripts in db/lethe/ at startup, one transaction per script, under a transaction-scoped advisory lock so that
 * replicas starting together do not race (it holds through a transaction pooler too). Where the service may not run
 * DDL, it only checks that a DBA has applied them.
 */
@ApplicationScoped
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class);

    /** The scripts, in order; each records its own version in lethe.schema_version. */
    static final List<String> SCRIPTS = List.of("db/lethe/V1__admin.sql", "db/lethe/V2__outbox.sql",
            "db/lethe/V3__coordination.sql", "db/lethe/V4__key_scopes.sql");
    /** The budget of every migration statement. */
    private static final String STARTUP_WAIT = "lethe.database.startup-wait";

    private final Database database;
    private final LetheConfig config;

    public Migrations(Database database, LetheConfig config) {
        this.database = database;
        this.config = config;
    }

    /** Blocks until the schema is current; call from the startup thread. */
    public void ensure(Duration timeout) {
        if (!config.migrations().apply()) {
            int version = database.transaction(timeout, STARTUP_WAIT, Migrations::version).await().indefinitely();
            if (version < SCRIPTS.size()) {
                throw new ConfigurationException("Lethe cannot start: its schema is at version " + version
                        + " and this release needs " + SCRIPTS.size() + ". Apply " + String.join(", ",
                                SCRIPTS.subList(version, SCRIPTS.size()))
                        + " (docs/operations.md, Lethe's schema) or set lethe.migrations.apply=true");
            }
            return;
        }
        for (int index = 0; index < SCRIPTS.size(); index++) {
            int version = index + 1;
            String script = SCRIPTS.get(index);
            boolean applied = database.transaction(timeout, STARTUP_WAIT, connection -> apply(connection, version,
                    script))
                    .await().indefinitely();
            if (applied) {
                LOG.infof("Applied %s to Lethe's schema", script);
            }
        }
    }

    private static Uni<Boolean> apply(SqlConnection connection, int version, String script) {
        return connection.query(SCHEMA_LOCK).execute()
                .chain(() -> version(connection))
                .chain(current -> {
                    if (current >= version) {
                        return Uni.createFrom().item(false);
                    }
                    // The simple query protocol runs the whole script, statement after statement; the notices of
                    // its idempotent statements ("already exists, skipping") are no news.
                    return connection.query("SET LOCAL client_min_messages = warning").execute()
                            .chain(() -> connection.query(ClasspathText.read(script)).execute()).replaceWith(true);
                });
    }

    /** The version of Lethe's schema: 0 before the first script. */
    private static Uni<Integer> version(SqlConnection connection) {
        return connection.query(SCHEMA_EXISTS).execute().chain(rows -> rows.iterator().next().getBoolean(0)
                ? connection.query(SCHEMA_VERSION).execute().map(version -> version.iterator().next().getInteger(0))
                : Uni.createFrom().item(0));
    }
}
