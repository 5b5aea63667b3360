package dev.lethe.sweep;

import static io.restassured.RestAssured.given;
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
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Redis;

/**
 * A target none of whose statements can finish (a guard that takes 20 ms per row, 2,000 rows due, a statement
 * timeout of 300 ms) deletes nothing; what matters is that it does not look healthy: its failing time grows, its
 * backlog shows no value instead of 0, its events are counted as left to the sweep rather than dropped, and the admin
 * API names its last error, in JSON, in time.
 */
@QuarkusTest
@TestProfile(StuckTargetTest.Profile.class)
class StuckTargetTest {

    static final String KEY = "bootstrap-0123456789abcdef0123456789abcdef";

    public static class Profile extends LetheTestProfile {
        @Override
        protected String schema() {
            return "db/chat.sql,db/slow-guard.sql";
        }

        @Override
        protected Map<String, String> config() {
            return Map.of(
                    "lethe.targets.message.table", "Message",
                    "lethe.targets.message.guard", "slowly(NOT \"legalHold\")",
                    "lethe.database.statement-timeout", "300ms",
                    "lethe.database.deadline-margin", "500ms",
                    "lethe.batch.retries", "0",
                    "lethe.sweep.every", "1s",
                    "lethe.sweep.backlog-every", "1s",
                    "lethe.admin.bootstrap-key", KEY);
        }
    }

    @Inject
    Redis redis;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    @Test
    void aTargetWhoseStatementsAllTimeOutIsLoudNotQuiet() {
        Sql sql = Sql.ofApplication();
        List<UUID> due = new ChatRows(sql).messages(2_000, "(now() AT TIME ZONE 'UTC') - interval '1 minute'");
        double droppedBefore = Prometheus.scrape().value("lethe_events_total", "outcome", "dropped");
        Keys keys = new Keys(redis, prefix);
        due.subList(0, 200).forEach(id -> keys.expireIn("message", id, Duration.ofMillis(50)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Prometheus metrics = Prometheus.scrape();
            assertThat(metrics.value("lethe_target_failing_seconds", "target", "message"))
                    .as("how long its statements have kept failing").isGreaterThan(3);
            assertThat(metrics.value("lethe_events_total", "outcome", "left_to_sweep"))
                    .as("events whose statement ran out of time").isPositive();
            assertThat(metrics.value("lethe_backlog_rows", "target", "message"))
                    .as("an unknown backlog is no value, never 0").isNaN();
        });
        assertThat(Prometheus.scrape().value("lethe_events_total", "outcome", "dropped"))
                .as("nothing counted as lost track of").isEqualTo(droppedBefore);

        String key = given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body("{\"name\": \"dashboard\", \"scopes\": [\"read\"]}").post("/admin/api-keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
        long start = System.nanoTime();
        Map<String, Object> message = given().header("Authorization", "Bearer " + key).get("/admin/targets")
                .then().statusCode(200).contentType("application/json").extract().jsonPath()
                .getList("$", Map.class).stream().filter(t -> "message".equals(t.get("name"))).findFirst()
                .orElseThrow();
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered within a statement's deadline")
                .isLessThan(2_000);
        assertThat(message.get("dueRows")).as("the count ran out of time").isNull();
        assertThat(message.get("lastError").toString()).contains("57014");
        assertThat(((Number) message.get("failingSeconds")).doubleValue()).isGreaterThan(3);
    }
}
