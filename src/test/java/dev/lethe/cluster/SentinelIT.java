package dev.lethe.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

import dev.lethe.testsupport.client.RedisClient;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ExpiringRows;
import dev.lethe.testsupport.fixture.Fleet;
import dev.lethe.testsupport.fixture.Measurements;
import dev.lethe.testsupport.process.RedisSentinels;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * Lethe behind Redis Sentinel follows a failover, crash or planned, to the new master: it subscribes there, turns
 * its notifications on there, and the keys written to the new master are acted on. The look-ahead is off and the
 * sweep an hour apart, so that only the events of the right master can delete the rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelIT {

    private static final String DATABASE = "lethe_it_sentinel";
    private static final String PREFIX = "it-sentinel";
    private static final String NODE = "sentinel/" + RedisSentinels.MASTER;

    private static Sql sql;
    private static RedisSentinels redis;
    private static ServiceProcess service;

    @BeforeAll
    static void startEverything() {
        sql = Sql.createDatabase(DATABASE);
        sql.execute(ExpiringRows.SCHEMA);
        redis = RedisSentinels.launch();
        Map<String, String> config = new HashMap<>(ExpiringRows.TARGETS);
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
        config.put("quarkus.redis.client-type", "sentinel");
        config.put("quarkus.redis.hosts", redis.hosts());
        config.put("quarkus.redis.master-name", RedisSentinels.MASTER);
        config.put("lethe.key-prefix", PREFIX);
        config.put("lethe.sweep.lookahead", "0s");
        config.put("lethe.sweep.every", "1h");
        config.put("lethe.redis.ping-interval", "1s");
        service = ServiceProcess.start(List.of("-Xmx128m"), config).awaitStarted(Duration.ofSeconds(60));
        Fleet.awaitMillis(() -> subscribed() && service.status("/q/health/ready") == 200, Duration.ofSeconds(30),
                System.nanoTime());
    }

    @AfterAll
    static void stopEverything() {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.close();
        }
        Sql.dropDatabase(DATABASE);
    }

    @Test
    @Order(1)
    void killedMasterIsFollowedToThePromotedReplica() {
        assertActedOnByEvents();
        int old = redis.masterPort();
        long killed = System.nanoTime();
        redis.master().kill();
        redis.awaitMasterOtherThan(old, Duration.ofSeconds(30));
        long switched = (System.nanoTime() - killed) / 1_000_000;
        long followed = Fleet.awaitMillis(SentinelIT::subscribedToTheMaster, Duration.ofSeconds(30), killed);
        long acted = assertActedOnByEvents();

        Measurements.record("sentinel-kill", String.format("kill -9 of the master: Sentinel promoted the replica"
                + " %d ms later, Lethe was subscribed to it %d ms after the kill, and its keys were acted on by"
                + " their events (the last of 500 rows gone %d ms after its key was due)", switched, followed, acted));
        assertThat(followed - switched).as("subscribed to the new master within seconds of the switch")
                .isLessThan(5_000);
    }

    @Test
    @Order(2)
    void plannedFailoverMovesTheSubscriptionOffTheDemotedMaster() {
        // The master killed before comes back first, as a replica, so that there is one to promote.
        redis.restartStopped();
        int old = redis.masterPort();
        long asked = System.nanoTime();
        redis.failOver();
        redis.awaitMasterOtherThan(old, Duration.ofSeconds(30));
        long switched = (System.nanoTime() - asked) / 1_000_000;
        long followed = Fleet.awaitMillis(SentinelIT::subscribedToTheMaster, Duration.ofSeconds(30), asked);
        long acted = assertActedOnByEvents();

        Measurements.record("sentinel-failover", String.format("SENTINEL FAILOVER (the old master stays up as a"
                + " replica): switched %d ms after it was asked, Lethe subscribed to the new master %d ms after,"
                + " and its keys were acted on by their events (the last of 500 rows gone %d ms after its key was"
                + " due)", switched, followed, acted));
        assertThat(followed - switched).as("subscribed to the new master within seconds of the switch")
                .isLessThan(5_000);
    }

    /** Rows with keys on the current master: deleted by their events alone; returns when the last went, in ms. */
    private static long assertActedOnByEvents() {
        ExpiringRows rows = new ExpiringRows(sql, "redis://127.0.0.1:" + redis.masterPort(), PREFIX);
        List<UUID> ids = rows.messages(500, Duration.ofMillis(300), Duration.ofMillis(200));
        long due = System.nanoTime() + Duration.ofMillis(500).toNanos();
        Fleet.awaitMillis(() -> rows.messagesLeft(ids) == 0, Duration.ofSeconds(20), System.nanoTime());
        assertThat(rows.deletedEarly()).isZero();
        return (System.nanoTime() - due) / 1_000_000;
    }

    private static boolean subscribed() {
        try {
            return service.metrics().value("lethe_redis_subscribed", "node", NODE) == 1;
        } catch (IllegalStateException notAnswering) {
            return false;
        }
    }

    /** Whether the master as Sentinel names it has Lethe's subscription among its clients. */
    private static boolean subscribedToTheMaster() {
        try (var client = new RedisClient("redis://127.0.0.1:" + redis.masterPort())) {
            return subscribed() && client.command("PUBSUB", "NUMSUB", "__keyevent@0__:expired").contains("\n1");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
