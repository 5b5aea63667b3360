package dev.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ExpiringRows;
import dev.lethe.testsupport.fixture.Fleet;
import dev.lethe.testsupport.fixture.ScenarioTime;
import dev.lethe.testsupport.fixture.Measurements;
import dev.lethe.testsupport.process.PgBouncer;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * Two instances of the packaged service reach PostgreSQL through Debian's PgBouncer with its stock settings, in
 * transaction and in session mode, as most hosted databases are reached: they start, own each target exactly once,
 * delete on time and never early, take over from a killed owner within the bound, and never wait on an application's
 * table lock past the statement timeout.
 */
class PoolerIT {

    private static final String PREFIX = "it-pooler";
    private static final String[] TARGETS = {"message", "refresh", "lethe-api-keys"};
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(PgBouncer.Mode.class)
    void twoInstancesThroughThePoolerOwnEachTargetOnceDeleteOnTimeAndTakeOver(PgBouncer.Mode mode)
            throws Exception {
        String database = "lethe_it_pooler_" + mode.name().toLowerCase();
        Sql sql = Sql.createDatabase(database);
        sql.execute(ExpiringRows.SCHEMA);
        try (PgBouncer bouncer = PgBouncer.launch(Sql.PORT, mode, Map.of());
                Fleet fleet = new Fleet(n -> config(bouncer, database, mode))) {
            fleet.start();
            fleet.start();
            fleet.awaitOneOwnerEach(Duration.ofSeconds(20), TARGETS);
            ExpiringRows rows = new ExpiringRows(sql, "redis://127.0.0.1:6379", PREFIX + "-" + mode.name());

            Instant since = Instant.now();
            List<UUID> written = new ArrayList<>(rows.messages(2_000, Duration.ofMillis(500), Duration.ofSeconds(3)));
            written.addAll(rows.refreshTokens(2_000, Duration.ofMillis(500), Duration.ofSeconds(3)));
            List<UUID> kept = rows.messagesWithStaleKeys(100);
            // Rows written less than a look-ahead interval (1 s) before their expiry are the Redis event's to
            // delete, and Redis announces expiries late (up to a second or more here): their lag is Redis's.
            Instant aheadOfLookahead = Instant.now().plusSeconds(1);
            // Every row written gone, not merely none due yet (as at the moment they were written).
            Fleet.awaitMillis(() -> rows.left(written) == 0, Duration.ofSeconds(20), System.nanoTime());
            assertThat(rows.deletedEarly()).as("rows deleted before their expiry").isZero();
            assertThat(rows.deletedTwice()).isZero();
            assertThat(rows.messagesLeft(kept)).as("rows not due whose keys expired").isEqualTo(kept.size());
            long p99 = rows.lagMillis(0.99, since);
            long max = rows.lagMillis(1.0, since);
            long p99Ahead = rows.lagMillis(0.99, aheadOfLookahead);
            assertThat(written).hasSize(4_000);
            for (String target : TARGETS) {
                assertThat(fleet.ownersOf(target)).as("owners of " + target).hasSize(1);
            }

            ServiceProcess owner = fleet.ownerOf("message").orElseThrow();
            List<UUID> duringTakeover = rows.messages(1_000, Duration.ofMillis(200), Duration.ofSeconds(2));
            long killed = System.nanoTime();
            fleet.kill(owner);
            long takeover = Fleet.awaitMillis(() -> fleet.ownerOf("message").isPresent(), Duration.ofSeconds(15),
                    killed);
            Fleet.awaitMillis(() -> rows.left(duringTakeover) == 0, Duration.ofSeconds(20), killed);
            assertThat(takeover).as("taken over within two coordination intervals and a tick").isLessThan(3_000);
            assertThat(rows.deletedEarly()).isZero();

            long longest = lockTheTableFor(sql, Duration.ofSeconds(15));
            assertThat(longest).as("the longest a Lethe statement waited on the application's lock, in ms")
                    .isLessThanOrEqualTo(STATEMENT_TIMEOUT.plusMillis(1_000).toMillis());
            assertThat(fleet.live().get(0).output()).doesNotContain("unsupported startup parameter")
                    .doesNotContain("prepared statement");
            Measurements.record("pooler-" + mode.name().toLowerCase(), String.format("PgBouncer %s mode, 2"
                    + " instances: 4,000 rows deleted, none early, with lag p99 %d ms for rows written at least a"
                    + " look-ahead interval before their expiry, p99 %d ms and max %d ms for all (rows written 0.5 s"
                    + " before it wait for Redis's event); kill -9 of the owner taken over in %d ms; longest"
                    + " statement under a 15 s ACCESS EXCLUSIVE lock %d ms",
                    mode.name().toLowerCase(), p99Ahead, p99, max, takeover, longest));
        } finally {
            Sql.dropDatabase(database);
        }
    }

    @Test
    void aPoolTooSmallForLetheStopsTheStartInOneLine() {
        String database = "lethe_it_pooler_small";
        Sql.createDatabase(database).execute(ExpiringRows.SCHEMA);
        try (PgBouncer bouncer = PgBouncer.launch(Sql.PORT, PgBouncer.Mode.SESSION,
                Map.of("default_pool_size", "3", "reserve_pool_size", "0"));
                ServiceProcess service = ServiceProcess.start(config(bouncer, database, PgBouncer.Mode.SESSION))) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isEqualTo(1);
            assertThat(service.output()).contains("Lethe could open only 3 of the 7 PostgreSQL connections it uses"
                    + " (quarkus.datasource.reactive.max-size=7)").contains("default_pool_size")
                    .doesNotContain("\tat ");
        } finally {
            Sql.dropDatabase(database);
        }
    }

    private static Map<String, String> config(PgBouncer bouncer, String database, PgBouncer.Mode mode) {
        Map<String, String> config = new HashMap<>(ExpiringRows.TARGETS);
        config.put("quarkus.datasource.reactive.url", bouncer.url(database));
        config.put("lethe.database.pooler", mode.name().toLowerCase());
        config.put("lethe.key-prefix", PREFIX + "-" + mode.name());
        config.put("lethe.database.startup-wait", "20s");
        return config;
    }

    /**
     * Holds an ACCESS EXCLUSIVE lock on "Message" for a while, as a migration might, and samples how long Lethe's
     * statements have been running meanwhile (through PostgreSQL itself, not the pooler).
     *
     * @return the longest, in milliseconds
     */
    private static long lockTheTableFor(Sql sql, Duration hold) throws Exception {
        long longest = 0;
        try (Connection application = sql.connect(); Statement lock = application.createStatement()) {
            application.setAutoCommit(false);
            lock.execute("LOCK TABLE \"Message\" IN ACCESS EXCLUSIVE MODE");
            long end = System.nanoTime() + hold.toNanos();
            while (System.nanoTime() < end) {
                List<Object> running = sql.column("SELECT COALESCE(max(1000 * EXTRACT(EPOCH FROM clock_timestamp()"
                        + " - query_start)), 0)::int8 FROM pg_stat_activity WHERE state = 'active'"
                        + " AND query LIKE '/* lethe:%' AND datname = current_database()");
                longest = Math.max(longest, ((Number) running.get(0)).longValue());
                ScenarioTime.pass(Duration.ofMillis(200));
            }
            application.rollback();
        }
        return longest;
    }
}
