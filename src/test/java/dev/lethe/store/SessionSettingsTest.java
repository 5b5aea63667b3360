package dev.lethe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.process.PgBouncer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * Where the server session stays Lethe's, each connection makes Lethe's settings once, before the pool lends it; its
 * statements then carry no settings of their own, so a connection without them must never serve one.
 */
class SessionSettingsTest {

    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(1234);

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void everyConnectionTheServiceIsLentHasTheSettingsAndSoDoesItsReplacement() throws Exception {
        Pool pool = pool(Sql.PORT, 2, Duration.ofSeconds(5));
        try {
            SqlConnection first = await(pool.getConnection());
            SqlConnection second = await(pool.getConnection());
            assertThat(settingsOf(first)).isEqualTo("1234ms off force_custom_plan 1234ms");
            assertThat(settingsOf(second)).isEqualTo("1234ms off force_custom_plan 1234ms");
            second.close();

            // As after a statement's deadline: destroyed, and the pool opens a fresh server session in its place.
            int abandoned = backendPid(first);
            PooledConnections.abandon(first);
            SqlConnection replacement = await(pool.getConnection());
            SqlConnection another = await(pool.getConnection());
            assertThat(backendPid(replacement) == abandoned || backendPid(another) == abandoned).isFalse();
            assertThat(settingsOf(replacement)).isEqualTo("1234ms off force_custom_plan 1234ms");
            assertThat(settingsOf(another)).isEqualTo("1234ms off force_custom_plan 1234ms");
        } finally {
            await(pool.close());
        }
    }

    @Test
    void aConnectionThatCannotMakeThemInTimeIsClosedNotLent() throws Exception {
        // A session pooler with one server connection, held by someone else: a new client logs in, and its first
        // statement, the settings, waits in the pooler's queue.
        try (PgBouncer bouncer = PgBouncer.launch(Sql.PORT, PgBouncer.Mode.SESSION,
                Map.of("default_pool_size", "1", "reserve_pool_size", "0"))) {
            Pool holder = PgPool.pool(vertx, options(bouncer.port()), new PoolOptions().setMaxSize(1));
            Pool lethe = pool(bouncer.port(), 1, Duration.ofMillis(300));
            try {
                SqlConnection held = await(holder.getConnection());
                await(held.query("SELECT 1").execute());

                long started = System.nanoTime();
                assertThatThrownBy(() -> await(lethe.getConnection())).as("no connection without the settings")
                        .isInstanceOf(ExecutionException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

                held.close();
                await(holder.close());
                assertThat(settingsOf(await(lethe.getConnection())))
                        .isEqualTo("1234ms off force_custom_plan 1234ms");
            } finally {
                await(lethe.close());
            }
        }
    }

    private static Pool pool(int port, int size, Duration deadline) {
        Pool pool = PgPool.pool(vertx, options(port), new PoolOptions().setMaxSize(size));
        pool.connectHandler(new SessionSettings(vertx, STATEMENT_TIMEOUT, new Database.Deadline(deadline, "the test's")));
        return pool;
    }

    private static PgConnectOptions options(int port) {
        PgConnectOptions options = new PgConnectOptions().setHost(Sql.HOST).setPort(port).setDatabase("postgres")
                .setUser(Sql.USER).setConnectTimeout(1_000);
        options.getProperties().remove("extra_float_digits"); // PgBouncer refuses it, as PoolSettings knows
        return options;
    }

    private static String settingsOf(SqlConnection connection) throws Exception {
        return await(connection.query("SELECT current_setting('statement_timeout') || ' ' || current_setting('jit')"
                + " || ' ' || current_setting('plan_cache_mode') || ' '"
                + " || current_setting('idle_in_transaction_session_timeout')").execute())
                .iterator().next().getString(0);
    }

    private static int backendPid(SqlConnection connection) throws Exception {
        return await(connection.query("SELECT pg_backend_pid()").execute()).iterator().next().getInteger(0);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
