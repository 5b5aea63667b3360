package dev.lethe.store;

import jakarta.inject.Singleton;

import dev.lethe.config.LetheConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;

/**
 * Sets the session parameters of every connection Lethe opens: a statement timeout, so that no batch can hold row
 * locks for long whatever the plan does, and an application name, so that DBAs see Lethe in pg_stat_activity.
 * They travel in the startup packet, which costs no round trip.
 * <p>
 * It also turns off the pool's wait timeout: in Vert.x 4.5 that timer is not cancelled when acquiring a connection
 * fails, and 30 s later it fails the finished request again, logging a stack trace for every statement tried while
 * PostgreSQL was down. Lethe bounds its requests itself (batches in flight, statement timeout, connect timeout).
 */
@Singleton
public class SessionSettings implements PgPoolCreator {

    private static final String APPLICATION_NAME = "application_name";
    private static final String VERTX_DEFAULT_NAME = PgConnectOptions.DEFAULT_PROPERTIES.get(APPLICATION_NAME);

    private final LetheConfig config;

    public SessionSettings(LetheConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("deprecation") // the pool creator contract requires a PgPool
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            if (VERTX_DEFAULT_NAME.equals(options.getProperties().get(APPLICATION_NAME))) {
                options.addProperty(APPLICATION_NAME, "lethe");
            }
            options.getProperties().putIfAbsent("statement_timeout",
                    Long.toString(config.database().statementTimeout().toMillis()));
            // Lethe's statements are short index range scans; compiling one would cost more than running it.
            options.getProperties().putIfAbsent("jit", "off");
            // Plan each execution with the current now(): a plan cached while no row was due can walk a whole
            // backlog once rows are. Planning these statements costs a fraction of a millisecond.
            options.getProperties().putIfAbsent("plan_cache_mode", "force_custom_plan");
            // The server notices a vanished instance within about 25 s and ends its session, releasing the
            // advisory locks by which it led; the operating system's default would wait two hours.
            options.getProperties().putIfAbsent("tcp_keepalives_idle", "10");
            options.getProperties().putIfAbsent("tcp_keepalives_interval", "5");
            options.getProperties().putIfAbsent("tcp_keepalives_count", "3");
        }
        input.poolOptions().setConnectionTimeout(0);
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
