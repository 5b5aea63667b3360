package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.OwnRedis;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.RedisClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With lethe.redis.configure-notifications=false Lethe sends no CONFIG command at all; a test key it lets expire
 * tells it whether the node announces expired keys, and lethe_redis_notifications says so.
 */
@QuarkusTest
@TestProfile(NotificationsTest.Profile.class)
class NotificationsTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected boolean ownRedis() {
            return true;
        }

        @Override
        protected List<String> ownRedisArgs() {
            return List.of("--notify-keyspace-events", "");
        }

        @Override
        protected Map<String, String> config() {
            return Map.of("lethe.targets.message.table", "Message",
                    "lethe.redis.configure-notifications", "false",
                    "lethe.redis.notifications-check", "1s");
        }
    }

    @Test
    void aNodeThatAnnouncesNothingIsReportedWithoutAnyConfigCommand() {
        String node = "127.0.0.1:" + OwnRedis.server().port();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_redis_notifications", "node", node)).isZero());

        try (RedisClient client = new RedisClient(OwnRedis.server().uri())) {
            assertThat(client.command("INFO", "commandstats")).as("no CONFIG command sent by Lethe")
                    .doesNotContain("cmdstat_config");
            client.command("CONFIG", "SET", "notify-keyspace-events", "Ex");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_redis_notifications", "node", node)).isEqualTo(1));
    }
}
