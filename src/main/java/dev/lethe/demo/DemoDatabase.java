package dev.lethe.demo;

import java.time.Duration;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.lethe.config.ConfigRules;
import dev.lethe.config.LetheConfig;
import dev.lethe.sql.Identifier;
import dev.lethe.store.Database;
import dev.lethe.store.DatabaseReady;
import dev.lethe.support.ClasspathText;
import dev.lethe.support.StartupWait;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;

/**
 * Gives the demo its database: creates lethe.demo.database on the PostgreSQL of quarkus.datasource.reactive.url
 * (through the postgres database, as createdb does) and the ready-made tables in it, before Lethe starts and checks
 * its targets against them. A second start keeps the tables and their rows.
 */
@ApplicationScoped
public class DemoDatabase {

    static final String TABLES = "demo/chat-tables.sql";
    private static final Logger LOG = Logger.getLogger(DemoDatabase.class);
    private static final String MAINTENANCE_DATABASE = "postgres";
    private static final String EXISTS = "SELECT 1 FROM pg_database WHERE datname = $1";
    private static final String DUPLICATE_DATABASE = "42P04";

    private final LetheConfig config;
    private final Database database;
    private final Vertx vertx;

    public DemoDatabase(LetheConfig config, Database database, Vertx vertx) {
        this.config = config;
        this.database = database;
        this.vertx = vertx;
    }

    /** Runs before Lethe's own start (whose observer has the default priority, which is later). */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        Config quarkus = ConfigProvider.getConfig();
        // The demo creates a database: the rule that keeps it on its own database is checked before that.
        ConfigRules.checkAgainst(config, quarkus);
        checkTargets();
        String name = config.demo().database();
        PgConnectOptions maintenance = PgConnectOptions.fromUri(quarkus.getValue("quarkus.datasource.reactive.url",
                String.class)).setDatabase(MAINTENANCE_DATABASE);
        quarkus.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(maintenance::setUser);
        quarkus.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(maintenance::setPassword);
        Duration budget = config.database().startupWait();
        boolean[] created = {false};
        StartupWait.until("PostgreSQL at " + maintenance.getHost() + ":" + maintenance.getPort() + "/"
                + MAINTENANCE_DATABASE + " (to create the demo database)", budget, "lethe.database.startup-wait",
                () -> create(maintenance, name).invoke(done -> created[0] = done), DatabaseReady::incurable);
        database.transaction(
                // A second start finds the tables: no notice per table that it skipped them.
                connection -> connection.query("SET LOCAL client_min_messages = warning").execute()
                        .chain(() -> connection.query(ClasspathText.read(TABLES)).execute()).replaceWithVoid())
                .await().atMost(database.deadline());
        LOG.infof("Demo: database %s %s, with the tables %s", name,
                created[0] ? "created" : "kept from an earlier start",
                DemoTable.ALL.stream().map(DemoTable::table).collect(Collectors.joining(", ")));
    }

    /** The demo writes into its targets' tables, so each must be configured as the demo profile does. */
    private void checkTargets() {
        for (DemoTable table : DemoTable.ALL) {
            var target = config.targets().get(table.target());
            if (target == null || !target.table().equals(table.table())) {
                throw new ConfigurationException("lethe.demo.enabled=true needs lethe.targets." + table.target()
                        + ".table=" + table.table() + ": start the demo with its profile (mvn quarkus:dev, or"
                        + " -Dquarkus.profile=demo), which sets all its targets");
            }
        }
    }

    /** Creates the database unless it exists; true when this call created it. */
    private Uni<Boolean> create(PgConnectOptions maintenance, String name) {
        return Uni.createFrom().deferred(() -> PgConnection.connect(vertx, maintenance))
                .chain(connection -> connection.preparedQuery(EXISTS).execute(Tuple.of(name))
                        .chain(rows -> rows.size() > 0
                                ? Uni.createFrom().item(false)
                                : connection.query("CREATE DATABASE " + new Identifier(name).sql()).execute()
                                        .replaceWith(true)
                                        // Another instance of the demo created it at the same moment.
                                        .onFailure(PgException.class)
                                        .recoverWithUni(failure -> DUPLICATE_DATABASE.equals(
                                                ((PgException) failure).getSqlState())
                                                        ? Uni.createFrom().item(false)
                                                        : Uni.createFrom().failure(failure)))
                        .onTermination().call(connection::close));
    }
}
