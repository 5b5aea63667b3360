package dev.lethe.store;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.lethe.config.LetheConfig;
import dev.lethe.config.PoolerMode;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;

/**
 * Builds the pool every Lethe statement goes through, safe behind any connection pooler: nothing travels in the
 * startup packet but the application name, client encoding and date style (PgBouncer and most hosted poolers refuse
 * other parameters). The settings Lethe needs are made once per connection where its server session stays Lethe's
 * (no pooler, or a session pooler), and in each statement's own transaction behind a transaction pooler, which lends
 * sessions to others ({@link Database}); there no named prepared statement is kept either, since the next statement
 * may run on another server session.
 * <p>
 * TLS follows libpq's sslmode: {@code require} encrypts without verifying the certificate (the client would
 * otherwise verify it and fail where psql connects), {@code verify-full} checks the host name too.
 * <p>
 * The pool's own wait timeout stays off: in Vert.x 4.5 that timer is not cancelled when acquiring a connection
 * fails, and 30 s later it fails the finished request again, logging a stack trace for every statement tried while
 * PostgreSQL was down. {@link Database} bounds every wait itself.
 */
@Singleton
public class PoolSettings implements PgPoolCreator {

    private static final String APPLICATION_NAME = "application_name";
    private static final String VERTX_DEFAULT_NAME = PgConnectOptions.DEFAULT_PROPERTIES.get(APPLICATION_NAME);
    static final String MAX_SIZE = "quarkus.datasource.reactive.max-size";

    private final LetheConfig config;
    private volatile int maxSize;
    private volatile boolean settingsPerSession;

    public PoolSettings(LetheConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("deprecation") // the pool creator contract requires a PgPool
    public Pool create(Input input) {
        PoolerMode pooler = config.database().pooler();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            if (VERTX_DEFAULT_NAME.equals(options.getProperties().get(APPLICATION_NAME))) {
                options.addProperty(APPLICATION_NAME, "lethe");
            }
            // PgBouncer refuses any startup parameter but a handful (it answers "unsupported startup parameter"),
            // and float8 values travel in binary, where this one changes nothing.
            options.getProperties().remove("extra_float_digits");
            options.setCachePreparedStatements(pooler.keepsPreparedStatements());
            // Unnamed statements, parsed with each execution: a named one would stay on one server session.
            options.setUseLayer7Proxy(!pooler.keepsPreparedStatements());
            // A connection that died quietly (a pod rescheduled, a link cut) is noticed within about 25 s even
            // while it sits idle in the pool, instead of the operating system's two hours.
            options.setTcpKeepAlive(true).setTcpKeepAliveIdleSeconds(10).setTcpKeepAliveIntervalSeconds(5)
                    .setTcpKeepAliveCount(3);
            options.setConnectTimeout((int) config.database().connectTimeout().toMillis());
            tls(options);
        }
        input.poolOptions().setConnectionTimeout(0);
        if (!explicitlySet(MAX_SIZE)) {
            input.poolOptions().setMaxSize(defaultPoolSize(config));
        }
        maxSize = input.poolOptions().getMaxSize();
        Pool pool = PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
        if (pooler.keepsPreparedStatements()) {
            LetheConfig.Database database = config.database();
            pool.connectHandler(new SessionSettings(input.vertx(), database.statementTimeout(),
                    Database.statementDeadline(database.statementTimeout(), database.deadlineMargin())));
            settingsPerSession = true;
        }
        return pool;
    }

    /**
     * Whether every connection of the pool made Lethe's settings for its server session when it opened
     * ({@link SessionSettings}), so that statements need not make them; false before the pool exists.
     */
    boolean settingsPerSession() {
        return settingsPerSession;
    }

    /** The most connections the pool opens; 0 before it exists. */
    public int maxSize() {
        return maxSize;
    }

    /**
     * What the work needs at once: the event and look-ahead statements in flight, the sweep's statements, and one
     * each for coordination and the periodic reads. More would only let statements of one instance compete with each
     * other inside PostgreSQL; a statement that finds no free connection waits in the pool, within its deadline.
     */
    static int defaultPoolSize(LetheConfig config) {
        return 2 * config.batch().maxInFlight() + config.sweep().parallelism() + 2;
    }

    private static void tls(PgConnectOptions options) {
        boolean trusts = options.getTrustOptions() != null || options.isTrustAll();
        if (options.getSslMode() == SslMode.REQUIRE && !trusts) {
            options.setTrustAll(true);
        }
        if (options.getSslMode() == SslMode.VERIFY_FULL && (options.getHostnameVerificationAlgorithm() == null
                || options.getHostnameVerificationAlgorithm().isEmpty())) {
            options.setHostnameVerificationAlgorithm("HTTPS");
        }
    }

    private static boolean explicitlySet(String property) {
        var value = ConfigProvider.getConfig().getConfigValue(property);
        return value.getValue() != null && value.getSourceName() != null
                && !value.getSourceName().contains("Default");
    }
}
