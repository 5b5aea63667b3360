package dev.lethe.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.config.Schedule;
import dev.lethe.store.Database;
import dev.lethe.testsupport.client.Databases;
import dev.lethe.testsupport.client.Sql;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * A drain goes at full speed while nobody else uses its database, and leaves the application room (the whole pause)
 * while another session writes, seen in the real pg_stat_activity of a database of the test's own.
 */
class DrainPaceTest {

    private static final String DATABASE = "lethe_drain_pace";
    private static final SweepRun.Timed STATEMENT = new SweepRun.Timed(1000, Duration.ofMillis(40));

    private static Vertx vertx;
    private static Pool pool;
    private static Database database;

    @BeforeAll
    static void start() {
        Sql admin = new Sql("postgres");
        admin.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)", "CREATE DATABASE " + DATABASE);
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost(Sql.HOST).setPort(Sql.PORT).setDatabase(DATABASE)
                .setUser(Sql.USER).addProperty("application_name", "lethe"), new PoolOptions().setMaxSize(2));
        database = Databases.on(pool, vertx);
    }

    @AfterAll
    static void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        new Sql("postgres").execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }

    private static SweepRun run(double pauseFactor) {
        return new SweepRun(new SweepSettings(new Schedule.Every(Duration.ofHours(1)), 1000,
                Duration.ofMillis(50), 1, pauseFactor, OptionalInt.empty(), Duration.ofMinutes(1)));
    }

    @Test
    void aDrainNobodyCompetesWithDoesNotPause() {
        DrainPace pace = new DrainPace(database);
        SweepRun run = run(1.0);
        assertThat(pace.after(run, STATEMENT).await().atMost(Duration.ofSeconds(10))).isZero();
    }

    @Test
    void anotherSessionWritingGetsTheWholePauseAndForAWhileAfter() throws Exception {
        DrainPace pace = new DrainPace(database);
        SweepRun run = run(1.0);
        try (Connection application = new Sql(DATABASE).connect();
                Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("CREATE TEMP TABLE written (id int)");
            assertThat(pace.after(run, STATEMENT).await().atMost(Duration.ofSeconds(10)))
                    .isEqualTo(Duration.ofMillis(40));
            application.commit();
        }
        assertThat(pace.after(run, STATEMENT).await().atMost(Duration.ofSeconds(10)))
                .as("a writer of short transactions is seen in a share of the looks only")
                .isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void lethesOwnSessionsDoNotCount() throws Exception {
        DrainPace pace = new DrainPace(database);
        var own = pool.getConnectionAndAwait();
        try {
            own.query("BEGIN").executeAndAwait();
            own.query("CREATE TEMP TABLE written (id int)").executeAndAwait();
            assertThat(pace.after(run(1.0), STATEMENT).await().atMost(Duration.ofSeconds(10))).isZero();
            own.query("ROLLBACK").executeAndAwait();
        } finally {
            own.closeAndAwait();
        }
    }

    @Test
    void pauseFactorZeroNeverPauses() throws Exception {
        try (Connection application = new Sql(DATABASE).connect();
                Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("CREATE TEMP TABLE written (id int)");
            assertThat(new DrainPace(database).after(run(0), STATEMENT).await().atMost(Duration.ofSeconds(10)))
                    .isZero();
            application.rollback();
        }
    }
}
