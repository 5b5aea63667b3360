package dev.lethe.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ScheduledSweepTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduledSweepTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected String schema() {
            return "db/chat.sql,db/overdue-rows.sql";
        }

        @Override
        protected Map<String, String> config() {
            return Map.of(
                    "lethe.sweep.every", "1s",
                    "lethe.sweep.backlog-every", "1s",
                    "lethe.targets.message.table", "Message",
                    "lethe.targets.refresh.table", "refresh_tokens",
                    "lethe.targets.refresh.expires-column", "expires_at");
        }
    }

    @Test
    @Order(1)
    void rowsThatFellDueWhileTheServiceWasDownAreDeletedAfterStart() {
        Sql sql = Sql.ofApplication();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(sql.count("SELECT count(*) FROM \"Message\"")).isZero();
            assertThat(sql.count("SELECT count(*) FROM refresh_tokens")).isZero();
        });
        Prometheus metrics = Prometheus.scrape();
        assertThat(metrics.value("lethe_rows_deleted_total", "source", "sweep", "target", "message")).isEqualTo(40);
        assertThat(metrics.value("lethe_rows_deleted_total", "source", "sweep", "target", "refresh")).isEqualTo(25);
    }

    @Test
    void scheduledRunsKeepDeletingAndAreCounted() {
        Sql sql = Sql.ofApplication();
        UUID id = new ChatRows(sql).message("(now() AT TIME ZONE 'UTC') - interval '1 second'", false);

        await().atMost(Duration.ofSeconds(15)).until(() -> sql.count(
                "SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", id) == 0);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Prometheus metrics = Prometheus.scrape();
            assertThat(metrics.value("lethe_sweep_runs_total", "result", "complete", "target", "message"))
                    .isGreaterThan(1);
            assertThat(metrics.value("lethe_backlog_rows", "target", "message")).isZero();
            assertThat(metrics.has("lethe_sweep_duration_seconds_count")).isTrue();
            assertThat(metrics.has("lethe_sweep_batch_duration_seconds_max")).isTrue();
        });
    }
}
