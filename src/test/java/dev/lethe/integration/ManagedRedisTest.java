package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.OwnRedis;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Redis;

/** A managed Redis refuses CONFIG; its operator has set the notification flags by hand. */
@QuarkusTest
@TestProfile(ManagedRedisTest.Profile.class)
class ManagedRedisTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected boolean ownRedis() {
            return true;
        }

        @Override
        protected List<String> ownRedisArgs() {
            return List.of("--rename-command", "CONFIG", "", "--notify-keyspace-events", "Ex");
        }

        @Override
        protected Map<String, String> config() {
            return eventPathOnly("lethe.targets.message.table", "Message");
        }
    }

    @Inject
    Redis redis;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    @Test
    void serviceWorksWhenRedisRefusesConfig() {
        String node = "127.0.0.1:" + OwnRedis.server().port();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_redis_subscribed", "node", node)).isEqualTo(1));
        assertThat(OwnRedis.server().sendInline("CONFIG GET notify-keyspace-events"))
                .startsWith("-ERR unknown command");

        Sql sql = Sql.ofApplication();
        UUID id = new ChatRows(sql).message("now() AT TIME ZONE 'UTC'", false);
        new Keys(redis, prefix).expireIn("message", id, Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", id)).isZero());
    }
}
