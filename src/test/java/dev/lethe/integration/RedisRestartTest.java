package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.OwnRedis;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Management;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.RedisClient;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import dev.lethe.testsupport.process.RedisServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import io.vertx.redis.client.Redis;

@QuarkusTest
@TestProfile(RedisRestartTest.Profile.class)
class RedisRestartTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected boolean ownRedis() {
            return true;
        }

        @Override
        protected Map<String, String> config() {
            return eventPathOnly(
                    "lethe.targets.message.table", "Message",
                    "lethe.redis.reconnect-max-backoff", "500ms",
                    "lethe.redis.ping-interval", "500ms",
                    "lethe.redis.notifications-check", "1s");
        }
    }

    @Inject
    Redis redis;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    /**
     * Thousands of expiry events a second arrive between each check and its reply: the subscription must not take
     * that for a lost link (vert-x3/vertx-redis-client#454 would have it tear a healthy subscription down).
     */
    @Test
    void aBusySubscriptionIsNeverTakenForALostOne() {
        RedisServer server = OwnRedis.server();
        String node = "127.0.0.1:" + server.port();
        awaitSubscribed(node, true);
        double losses = Prometheus.scrape().value("lethe_redis_subscription_losses_total", "node", node);
        double ignored = Prometheus.scrape().value("lethe_events_total", "outcome", "ignored");

        try (Keys unrelated = Keys.connect(server.uri(), prefix)) {
            long start = System.nanoTime();
            for (int second = 0; second < 10; second++) {
                for (int burst = 0; burst < 10; burst++) {
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        keys.add("other-app:session:" + second + "-" + burst + "-" + i);
                    }
                    unrelated.expireIn(keys, Duration.ofMillis(20));
                    long next = start + (second * 10L + burst + 1) * 100_000_000L;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_events_total", "outcome", "ignored") - ignored)
                .as("every one of 50,000 events heard").isEqualTo(50_000));
        assertThat(Prometheus.scrape().value("lethe_redis_subscription_losses_total", "node", node) - losses)
                .as("subscriptions lost under 5,000 events a second").isZero();
    }

    @Test
    void subscriptionComesBackAfterRedisRestarts() {
        RedisServer server = OwnRedis.server();
        String node = "127.0.0.1:" + server.port();
        awaitSubscribed(node, true);

        server.kill();
        awaitSubscribed(node, false);
        Management.given().get("/q/health/ready").then().statusCode(503);

        server.start();
        awaitSubscribed(node, true);
        assertThat(server.sendInline("CONFIG GET notify-keyspace-events")).isEqualTo("*2");
        assertThat(notificationFlags(server)).as("flags set again on the fresh server").contains("E").contains("x");
        assertRowDeletedAfterKeyExpires();
    }

    @Test
    void notificationsAnOperatorTurnsOffAreNoticedAndTurnedBackOn() {
        RedisServer server = OwnRedis.server();
        String node = "127.0.0.1:" + server.port();
        awaitSubscribed(node, true);

        assertThat(server.sendInline("CONFIG SET notify-keyspace-events \"\"")).isEqualTo("+OK");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notificationFlags(server))
                .as("set back by the periodic check").contains("E").contains("x"));
        assertThat(Prometheus.scrape().value("lethe_redis_notifications", "node", node)).isEqualTo(1);
        assertRowDeletedAfterKeyExpires();
    }

    @Test
    void silentRedisIsDetectedByItsUnansweredPing() {
        RedisServer server = OwnRedis.server();
        String node = "127.0.0.1:" + server.port();
        awaitSubscribed(node, true);

        server.freeze(true);
        try {
            awaitSubscribed(node, false);
        } finally {
            server.freeze(false);
        }
        awaitSubscribed(node, true);
        assertRowDeletedAfterKeyExpires();
    }

    private void assertRowDeletedAfterKeyExpires() {
        Sql sql = Sql.ofApplication();
        UUID id = new ChatRows(sql).message("now() AT TIME ZONE 'UTC'", false);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            new Keys(redis, prefix).expireIn("message", id, Duration.ofMillis(100));
            assertThat(sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", id)).isZero();
        });
    }

    private static String notificationFlags(RedisServer server) {
        try (RedisClient client = new RedisClient(server.uri())) {
            String[] reply = client.command("CONFIG", "GET", "notify-keyspace-events").split("\n");
            return reply.length > 1 ? reply[1] : "";
        }
    }

    private static void awaitSubscribed(String node, boolean subscribed) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_redis_subscribed", "node", node)).isEqualTo(subscribed ? 1 : 0));
    }
}
