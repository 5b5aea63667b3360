package dev.lethe.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ExpiringRows;
import dev.lethe.testsupport.fixture.Fleet;
import dev.lethe.testsupport.fixture.ScenarioTime;
import dev.lethe.testsupport.fixture.Measurements;
import dev.lethe.testsupport.process.PostgresServer;
import dev.lethe.testsupport.process.RedisServer;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * Three instances of the packaged service against a PostgreSQL and a Redis of the test's own, which the test kills
 * and restarts: each expiry is handled by one replica, a killed owner is replaced, and restarts lose nothing.
 * The measured takeover and recovery times go to target/fault-measurements.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasFaultIT {

    private static final String DATABASE = "chat";
    private static final String PREFIX = "lethe";
    /** The rows a test writes fall due from half a second on, over the spread it names. */
    private static final Duration FIRST_DUE = Duration.ofMillis(500);

    private static PostgresServer postgres;
    private static RedisServer redis;
    private static Sql sql;
    private static ExpiringRows rows;
    private static final List<ServiceProcess> instances = new ArrayList<>();

    @BeforeAll
    static void startEverything() {
        postgres = PostgresServer.launch("shared_preload_libraries=pg_stat_statements");
        postgres.sql("postgres").execute("CREATE DATABASE " + DATABASE);
        sql = postgres.sql(DATABASE);
        sql.execute("CREATE EXTENSION pg_stat_statements",
                "CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3))",
                "CREATE INDEX ON \"Message\" (\"expiresAt\")",
                "CREATE TABLE refresh_tokens (id uuid PRIMARY KEY, expires_at timestamptz NOT NULL)",
                "CREATE INDEX ON refresh_tokens (expires_at)");
        redis = RedisServer.launch();
        rows = new ExpiringRows(sql, redis.uri(), PREFIX);
        for (int i = 0; i < 3; i++) {
            instances.add(startInstance());
        }
        instances.forEach(instance -> instance.awaitStarted(Duration.ofSeconds(60)));
        awaitOneOwnerEach();
    }

    @AfterAll
    static void stopEverything() {
        instances.forEach(ServiceProcess::close);
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void eachExpiryIsHandledByOneReplica() {
        sql.execute("SELECT pg_stat_statements_reset()");
        List<UUID> messages = rows.messages(5_000, FIRST_DUE, Duration.ofMillis(3_000));
        List<UUID> tokens = rows.refreshTokens(5_000, FIRST_DUE, Duration.ofMillis(3_000));

        awaitGone(Duration.ofSeconds(30), concat(messages, tokens));

        for (String target : List.of("message", "refresh")) {
            double handled = 0;
            for (ServiceProcess instance : live()) {
                Prometheus metrics = instance.metrics();
                double deleted = metrics.value("lethe_rows_deleted_total", "source", "event", "target", target)
                        + metrics.value("lethe_rows_deleted_total", "source", "sweep", "target", target);
                if (metrics.value("lethe_target_owner", "target", target) == 1) {
                    handled += deleted;
                } else {
                    assertThat(deleted).as("rows of %s deleted by an instance that does not own it", target).isZero();
                }
            }
            assertThat(handled).as("rows of %s deleted by its owner", target).isEqualTo(5_000);
        }
        double absent = live().stream().mapToDouble(i -> i.metrics().value("lethe_events_total", "outcome", "absent"))
                .sum();
        double delegated = live().stream()
                .mapToDouble(i -> i.metrics().value("lethe_events_total", "outcome", "delegated")).sum();
        long statements = sql.count("SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements"
                + " WHERE query LIKE '/* lethe:%:event */%' OR query LIKE '/* lethe:%:lookahead */%'");
        Measurements.record("once", String.format("10,000 rows, 3 instances: %.0f events delegated by non-owners,"
                + " %.0f event statements found their row already gone, %d delete statements by id in all",
                delegated, absent, statements));
        assertThat(delegated).as("every event reaches all three; two of them leave it to the owner")
                .isGreaterThanOrEqualTo(2 * (messages.size() + tokens.size()) * 0.9);
    }

    @Test
    @Order(2)
    void killedOwnerIsReplacedWithinTheBound() {
        ServiceProcess owner = ownerOf("message");
        long lastDue = System.currentTimeMillis() + 4_000;
        List<UUID> written = rows.messages(10_000, FIRST_DUE, Duration.ofMillis(4_000));
        ScenarioTime.pass(Duration.ofMillis(1_500));

        long killed = System.nanoTime();
        owner.kill();
        instances.remove(owner);
        long takeover = Fleet.awaitMillis(() -> ownerOrNull("message") != null, Duration.ofSeconds(15), killed);
        awaitGone(Duration.ofSeconds(30), written);
        long afterLastDue = System.currentTimeMillis() - lastDue;

        Measurements.record("takeover", String.format("kill -9 of the owner mid-load: another instance owned the"
                + " target %d ms later; all %,d rows were gone %d ms after the last one fell due", takeover,
                written.size(), afterLastDue));
        assertThat(takeover).as("within two coordination intervals").isLessThan(5_000);
        instances.add(startInstance().awaitStarted(Duration.ofSeconds(60)));
        awaitOneOwnerEach();
    }

    @Test
    @Order(3)
    void postgresRestartUnderLoadLosesNothingAndDeletesNothingEarly() {
        List<UUID> due = rows.messages(10_000, FIRST_DUE, Duration.ofMillis(6_000));
        List<UUID> later = rows.messagesWithStaleKeys(200);
        ScenarioTime.pass(Duration.ofMillis(2_000));

        postgres.stop();
        ScenarioTime.pass(Duration.ofMillis(1_000));
        long restarted = System.nanoTime();
        postgres.start();
        long recovered = Fleet.awaitMillis(() -> live().stream()
                .allMatch(i -> i.status("/q/health/ready") == 200)
                && ownerOrNull("message") != null && ownerOrNull("refresh") != null, Duration.ofSeconds(30),
                restarted);
        awaitGone(Duration.ofSeconds(30), due);

        Measurements.record("postgres", String.format("PostgreSQL stopped for 1 s under load: every instance ready"
                + " and every target owned again %d ms after it came back; %,d due rows deleted, %d rows not yet due"
                + " kept", recovered, due.size(), later.size()));
        assertThat(sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ANY(?)",
                (Object) later.toArray(UUID[]::new))).as("rows not due, whose keys expired").isEqualTo(later.size());
        sql.execute("DELETE FROM \"Message\"");
    }

    /**
     * The look-ahead is off in this class, so what deletes a row here is its event or a sweep: rows whose keys died
     * with Redis are left to the catch-up sweep, and the event path must be back for keys written afterwards.
     */
    @Test
    @Order(4)
    void redisRestartUnderLoadLosesNothingAndTheEventPathComesBack() {
        List<UUID> keysLost = rows.messages(5_000, FIRST_DUE, Duration.ofMillis(4_000));
        ScenarioTime.pass(Duration.ofMillis(1_000));

        redis.kill();
        ScenarioTime.pass(Duration.ofMillis(1_000));
        long restarted = System.nanoTime();
        redis.start();
        long resubscribed = Fleet.awaitMillis(() -> live().stream().allMatch(i -> i.metrics()
                .value("lethe_redis_subscribed", "node", "127.0.0.1:" + redis.port()) == 1), Duration.ofSeconds(30),
                restarted);
        double deletedBefore = events("deleted");
        double absentBefore = events("absent");
        List<UUID> keysKept = rows.messages(2_000, FIRST_DUE, Duration.ofMillis(2_000));
        awaitGone(Duration.ofSeconds(30), keysLost);
        awaitGone(Duration.ofSeconds(30), keysKept);
        double deleted = events("deleted") - deletedBefore;
        // With the look-ahead off, a sweep still draining the lost keys' rows deletes some of the later rows that
        // fall due meanwhile before their event arrives: that event finds its row absent, and was heard all the same.
        double heard = deleted + events("absent") - absentBefore;

        Measurements.record("redis", String.format("Redis killed for 1 s under load (its keys lost with it): every"
                + " instance subscribed again %d ms after it came back; all %,d rows whose keys were lost deleted by"
                + " the catch-up and scheduled sweeps; of the %,d rows keyed afterwards, %.0f had their event heard"
                + " and %.0f were deleted by it", resubscribed, keysLost.size(), keysKept.size(), heard, deleted));
        assertThat(heard).as("expiry events of the rows keyed after Redis came back, acted on")
                .isGreaterThanOrEqualTo(keysKept.size() * 0.95);
        assertThat(deleted).as("rows keyed after Redis came back, deleted by their expiry events")
                .isGreaterThanOrEqualTo(keysKept.size() * 0.5);
    }

    private static double events(String outcome) {
        return live().stream().mapToDouble(i -> i.metrics().value("lethe_events_total", "outcome", outcome)).sum();
    }

    private static ServiceProcess startInstance() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", postgres.url(DATABASE));
        config.put("quarkus.redis.hosts", redis.uri());
        config.put("lethe.targets.message.table", "Message");
        config.put("lethe.targets.refresh.table", "refresh_tokens");
        config.put("lethe.targets.refresh.expires-column", "expires_at");
        // Events are what this class measures; the look-ahead would delete most rows before their events came.
        config.put("lethe.sweep.lookahead", "0s");
        return ServiceProcess.start(List.of("-Xmx128m"), config);
    }

    /** Waits until every row written is gone: not merely none due yet, as at the moment they were written. */
    private static void awaitGone(Duration timeout, List<UUID> written) {
        Fleet.awaitMillis(() -> rows.left(written) == 0, timeout, System.nanoTime());
    }

    private static void awaitOneOwnerEach() {
        Fleet.awaitMillis(() -> ownerOrNull("message") != null && ownerOrNull("refresh") != null
                && live().stream().filter(i -> i.metrics().value("lethe_target_owner", "target", "message") == 1)
                        .count() == 1, Duration.ofSeconds(30), System.nanoTime());
    }

    private static List<UUID> concat(List<UUID> first, List<UUID> second) {
        List<UUID> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static ServiceProcess ownerOf(String target) {
        ServiceProcess owner = ownerOrNull(target);
        assertThat(owner).as("an owner of " + target).isNotNull();
        return owner;
    }

    private static ServiceProcess ownerOrNull(String target) {
        for (ServiceProcess instance : live()) {
            try {
                if (instance.metrics().value("lethe_target_owner", "target", target) == 1) {
                    return instance;
                }
            } catch (IllegalStateException notAnswering) {
                // starting or stopping
            }
        }
        return null;
    }

    private static List<ServiceProcess> live() {
        return instances.stream().filter(ServiceProcess::isRunning).toList();
    }
}
