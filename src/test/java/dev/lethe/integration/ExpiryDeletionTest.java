package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Management;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import io.vertx.redis.client.Redis;

@QuarkusTest
@TestProfile(ExpiryDeletionTest.Profile.class)
class ExpiryDeletionTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected Map<String, String> config() {
            return eventPathOnly(
                    "lethe.targets.message.table", "Message",
                    "lethe.targets.message.guard", "NOT \"legalHold\"",
                    "lethe.targets.session.table", "chat.SessionKey",
                    "lethe.targets.refresh.table", "refresh_tokens",
                    "lethe.targets.refresh.expires-column", "expires_at",
                    "lethe.targets.refresh.id-type", "bigint");
        }
    }

    private static final Duration SOON = Duration.ofMillis(300);

    @Inject
    Redis redis;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    Sql sql;
    ChatRows chatRows;
    Keys keys;

    @BeforeEach
    void connect() {
        sql = Sql.ofApplication();
        chatRows = new ChatRows(sql);
        keys = new Keys(redis, prefix);
    }

    @Test
    void rowsAreDeletedWhenTheirKeysExpire() {
        UUID message = chatRows.message("now() AT TIME ZONE 'UTC'", false);
        String session = chatRows.sessionKey("device-" + UUID.randomUUID(), "now()");
        long token = chatRows.refreshToken("now()");

        keys.expireIn("message", message, SOON);
        keys.expireIn("session", session, SOON);
        keys.expireIn("refresh", token, SOON);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(messageExists(message)).as("uuid row of a Prisma-style table").isFalse();
            assertThat(sql.count("SELECT count(*) FROM chat.\"SessionKey\" WHERE \"id\" = ?", session))
                    .as("text row of a schema-qualified mixed-case table").isZero();
            assertThat(sql.count("SELECT count(*) FROM refresh_tokens WHERE id = ?", token))
                    .as("bigint row").isZero();
        });
    }

    @Test
    void staleKeysDeleteNothing() {
        UUID extended = chatRows.message("(now() AT TIME ZONE 'UTC') + interval '1 hour'", false);
        UUID cleared = chatRows.message("NULL", false);
        UUID held = chatRows.message("(now() AT TIME ZONE 'UTC') - interval '1 minute'", true);
        double notDueBefore = Prometheus.scrape().value("lethe_events_total", "outcome", "not_due");

        keys.expireIn("message", extended, SOON);
        keys.expireIn("message", cleared, SOON);
        keys.expireIn("message", held, SOON);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_events_total", "outcome", "not_due") - notDueBefore).isEqualTo(3));
        assertThat(messageExists(extended)).as("row whose expiry was extended").isTrue();
        assertThat(messageExists(cleared)).as("row whose expiry was cleared").isTrue();
        assertThat(messageExists(held)).as("row on legal hold").isTrue();
    }

    @Test
    void rowNotYetDueIsDeletedAtItsDueTimeNotBefore() {
        UUID message = chatRows.message("(now() AT TIME ZONE 'UTC') + interval '2 seconds'", false);
        double notDue = Prometheus.scrape().value("lethe_events_total", "outcome", "not_due");
        double deleted = Prometheus.scrape().value("lethe_events_total", "outcome", "deleted");

        keys.expireIn("message", message, Duration.ofMillis(50));

        await().atMost(Duration.ofSeconds(10)).until(() -> !messageExists(message));
        assertThat(sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", message)).isZero();
        Prometheus after = Prometheus.scrape();
        assertThat(after.value("lethe_events_total", "outcome", "deleted") - deleted).isEqualTo(1);
        assertThat(after.value("lethe_events_total", "outcome", "not_due") - notDue)
                .as("the early event is retried, not written off").isZero();
    }

    @Test
    void rowTheApplicationHoldsIsNeitherWaitedOnNorLost() throws Exception {
        List<UUID> messages = chatRows.messages(10, "now() AT TIME ZONE 'UTC'");
        UUID held = messages.get(0);
        double lockWaits = Prometheus.scrape().value("lethe_delete_lock_waits_total", "target", "message");
        try (Connection application = sql.connect(); Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("SELECT 1 FROM \"Message\" WHERE \"id\" = '" + held + "' FOR UPDATE");

            messages.forEach(id -> keys.expireIn("message", id, SOON));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(chatRows.messagesLeft(messages))
                    .as("every row but the held one, deleted while the application still holds it").isOne());
            assertThat(messageExists(held)).isTrue();
            assertThat(Prometheus.scrape().value("lethe_delete_lock_waits_total", "target", "message") - lockWaits)
                    .as("deletes that waited the lock wait out and skipped the held row").isPositive();
            application.rollback();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !messageExists(held));
    }

    @Test
    void rowTheApplicationExtendsWhileItHoldsItIsKept() throws Exception {
        UUID extended = chatRows.message("now() AT TIME ZONE 'UTC'", false);
        double notDue = Prometheus.scrape().value("lethe_events_total", "outcome", "not_due");
        double lockWaits = Prometheus.scrape().value("lethe_delete_lock_waits_total", "target", "message");
        try (Connection application = sql.connect(); Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("UPDATE \"Message\" SET \"expiresAt\" = now() AT TIME ZONE 'UTC' + interval '1 day'"
                    + " WHERE \"id\" = '" + extended + "'");

            keys.expireIn("message", extended, SOON);

            await().atMost(Duration.ofSeconds(10)).until(() -> Prometheus.scrape()
                    .value("lethe_delete_lock_waits_total", "target", "message") > lockWaits);
            application.commit();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Prometheus.scrape()
                .value("lethe_events_total", "outcome", "not_due") > notDue);
        assertThat(messageExists(extended)).as("a row no longer due once its holder committed").isTrue();
    }

    @Test
    void invalidAndHostileKeysAreCountedAndHarmless() {
        Prometheus before = Prometheus.scrape();
        keys.expireIn("nosuchtarget", UUID.randomUUID(), SOON);
        keys.expireIn("message", "not-a-uuid", SOON);
        keys.expireIn("message", "00000000-0000-0000-0000-00000000000g", SOON);
        keys.expireIn("refresh", "1; DROP TABLE refresh_tokens", SOON);
        keys.expireIn("refresh", "99999999999999999999", SOON);
        keys.expireIn("refresh", "007", SOON);
        keys.expireRawIn((prefix + ":message").getBytes(StandardCharsets.UTF_8), SOON);
        keys.expireRawIn((prefix + ":message:" + "x".repeat(600)).getBytes(StandardCharsets.UTF_8), SOON);
        byte[] notUtf8 = (prefix + ":session:").getBytes(StandardCharsets.UTF_8);
        notUtf8 = java.util.Arrays.copyOf(notUtf8, notUtf8.length + 2);
        notUtf8[notUtf8.length - 2] = (byte) 0xc3;
        notUtf8[notUtf8.length - 1] = (byte) 0x28;
        keys.expireRawIn(notUtf8, SOON);
        // A valid text id that looks like an attack is only ever a bind value: the row simply does not exist.
        keys.expireIn("session", "x'); DROP TABLE chat.\"SessionKey\"; --", SOON);
        keys.expireRawIn("someone-else:session:1".getBytes(StandardCharsets.UTF_8), SOON);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Prometheus after = Prometheus.scrape();
            assertThat(after.value("lethe_events_total", "outcome", "invalid")
                    - before.value("lethe_events_total", "outcome", "invalid")).isEqualTo(9);
            assertThat(after.value("lethe_events_total", "outcome", "ignored")
                    - before.value("lethe_events_total", "outcome", "ignored")).isGreaterThanOrEqualTo(1);
            assertThat(after.value("lethe_events_total", "outcome", "absent")
                    - before.value("lethe_events_total", "outcome", "absent")).isEqualTo(1);
        });
        assertThat(sql.count("SELECT count(*) FROM pg_tables WHERE tablename IN ('refresh_tokens', 'SessionKey')"))
                .isEqualTo(2);
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void metricsDescribeAKnownWorkload() {
        Prometheus before = Prometheus.scrape();
        int rows = 25;
        UUID[] ids = new UUID[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = chatRows.message("(now() AT TIME ZONE 'UTC') - interval '1 second'", false);
        }
        for (UUID id : ids) {
            keys.expireIn("message", id, SOON);
        }
        UUID absent = UUID.randomUUID();
        keys.expireIn("message", absent, SOON);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Prometheus after = Prometheus.scrape();
            assertThat(delta(before, after, "lethe_rows_deleted_total", "source", "event", "target", "message"))
                    .isEqualTo(rows);
            assertThat(delta(before, after, "lethe_events_total", "outcome", "deleted")).isEqualTo(rows);
            assertThat(delta(before, after, "lethe_events_total", "outcome", "absent")).isEqualTo(1);
        });
        Prometheus after = Prometheus.scrape();
        assertThat(delta(before, after, "lethe_delete_lag_seconds_count", "source", "event", "target", "message"))
                .isEqualTo(rows);
        assertThat(delta(before, after, "lethe_delete_lag_seconds_bucket", "source", "event", "target", "message",
                "le", "0.5")).as("expired a second before the key: all under the 5 s bucket").isLessThanOrEqualTo(rows);
        assertThat(after.value("lethe_redis_subscribed", "node", "127.0.0.1:6379")).isEqualTo(1);
        assertThat(after.value("lethe_delete_lag_seconds_sum", "source", "event", "target", "message")
                - before.value("lethe_delete_lag_seconds_sum", "source", "event", "target", "message"))
                .as("each row was at least a second overdue").isGreaterThanOrEqualTo(rows * 1.0);
    }

    private static double delta(Prometheus before, Prometheus after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private boolean messageExists(UUID id) {
        return sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", id) > 0;
    }
}
