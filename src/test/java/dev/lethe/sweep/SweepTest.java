package dev.lethe.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

import dev.lethe.catalog.Targets;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.SweepOutcome;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Databases;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** The sweep, run on demand: scheduled runs are an hour apart here, so each test decides when one happens. */
@QuarkusTest
@TestProfile(SweepTest.Profile.class)
class SweepTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected Map<String, String> config() {
            return Map.ofEntries(
                    Map.entry("lethe.sweep.every", "1h"),
                    Map.entry("lethe.sweep.backlog-every", "1h"),
                    Map.entry("lethe.sweep.lookahead", "5s"),
                    Map.entry("lethe.sweep.parallelism", "1"),
                    // Statements keep their configured size here, so that batches can be counted.
                    Map.entry("lethe.sweep.statement-target", "10s"),
                    Map.entry("lethe.targets.message.table", "Message"),
                    Map.entry("lethe.targets.message.guard", "NOT \"legalHold\""),
                    Map.entry("lethe.targets.session.table", "chat.SessionKey"),
                    Map.entry("lethe.targets.refresh.table", "refresh_tokens"),
                    Map.entry("lethe.targets.refresh.expires-column", "expires_at"),
                    Map.entry("lethe.targets.refresh.sweep.batch-size", "700"),
                    Map.entry("lethe.targets.reset.table", "password_reset_tokens"),
                    Map.entry("lethe.targets.reset.expires-column", "expires_at"),
                    Map.entry("lethe.targets.reset.also-due-when", "used_at IS NOT NULL"),
                    Map.entry("lethe.targets.reset.guard", "NOT protected"),
                    Map.entry("lethe.targets.verify.table", "email_verification_tokens"),
                    Map.entry("lethe.targets.verify.expires-column", "expires_at"),
                    Map.entry("lethe.targets.verify.also-due-when", "used_at IS NOT NULL"));
        }
    }

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    @Inject
    SweepRuns runs;

    @Inject
    Targets targets;

    @Inject
    Backlog backlog;

    @Inject
    Database database;

    Sql sql;
    ChatRows rows;

    @BeforeEach
    void connect() {
        sql = Sql.ofApplication();
        rows = new ChatRows(sql);
    }

    @Test
    void dueRowsWithoutAnyKeyAreDeletedBySweep() {
        UUID message = rows.message("(now() AT TIME ZONE 'UTC') - interval '5 minutes'", false);
        String session = rows.sessionKey("s-" + UUID.randomUUID(), "now() - interval '1 day'");
        double before = Prometheus.scrape().value("lethe_rows_deleted_total", "source", "sweep", "target", "message");

        assertThat(sweep("message").outcome()).isEqualTo(SweepOutcome.COMPLETE);
        sweep("session");

        assertThat(count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", message)).isZero();
        assertThat(count("SELECT count(*) FROM chat.\"SessionKey\" WHERE \"id\" = ?", session)).isZero();
        assertThat(Prometheus.scrape().value("lethe_rows_deleted_total", "source", "sweep", "target", "message")
                - before).isEqualTo(1);
    }

    @Test
    void sweepLeavesHeldRowsNullExpiriesAndFutureRowsAlone() {
        UUID held = rows.message("(now() AT TIME ZONE 'UTC') - interval '1 hour'", true);
        UUID future = rows.message("(now() AT TIME ZONE 'UTC') + interval '1 hour'", false);
        String forever = rows.sessionKey("s-" + UUID.randomUUID(), "NULL");

        sweep("message");
        sweep("session");

        assertThat(count("SELECT count(*) FROM \"Message\" WHERE \"id\" IN (?, ?)", held, future)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM chat.\"SessionKey\" WHERE \"id\" = ?", forever)).isOne();
    }

    @Test
    void usedTokensGoBeforeTheyExpireButTheGuardStillHolds() {
        UUID used = rows.passwordResetToken("now() + interval '1 hour'", "now()", false);
        UUID usedProtected = rows.passwordResetToken("now() + interval '1 hour'", "now()", true);
        UUID expiredProtected = rows.passwordResetToken("now() - interval '1 hour'", "NULL", true);
        UUID unused = rows.passwordResetToken("now() + interval '1 hour'", "NULL", false);
        UUID expired = rows.passwordResetToken("now() - interval '1 hour'", "NULL", false);
        UUID verified = rows.emailVerificationToken("now() + interval '1 day'", "now()");

        sweep("reset");
        sweep("verify");

        assertThat(count("SELECT count(*) FROM password_reset_tokens WHERE id IN (?, ?)", used, expired)).isZero();
        assertThat(count("SELECT count(*) FROM password_reset_tokens WHERE id IN (?, ?, ?)", usedProtected,
                expiredProtected, unused)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM email_verification_tokens WHERE id = ?", verified)).isZero();
    }

    @Test
    void largeBacklogIsDrainedInBatchesOfTheConfiguredSize() {
        rows.refreshTokens(5000, "now() - interval '1 minute' * g");

        SweepResult result = sweep("refresh");

        assertThat(result.deleted()).isEqualTo(5000);
        assertThat(result.largestBatch()).as("lethe.targets.refresh.sweep.batch-size").isEqualTo(700);
        assertThat(result.batches()).as("7 full batches and the short one that ends the run").isEqualTo(8);
        assertThat(count("SELECT count(*) FROM refresh_tokens WHERE expires_at <= now()")).isZero();
    }

    @Test
    void aBacklogThatIsMostOfItsTableIsDeletedInHeapOrderWithTheGuardKept() {
        // 60,000 messages stored in random order: half of them due, 1,000 of those on legal hold.
        long heldBefore = count("SELECT count(*) FROM \"Message\" WHERE \"expiresAt\" <= now() AT TIME ZONE 'UTC'");
        long allBefore = count("SELECT count(*) FROM \"Message\"");
        rows.messagesInRandomOrder(60_000, "CASE WHEN g <= 30000 THEN (now() AT TIME ZONE 'UTC') - interval '1 minute'"
                + " ELSE (now() AT TIME ZONE 'UTC') + interval '1 day' END", "g <= 1000");
        sql.execute("ANALYZE \"Message\"");

        SweepResult result = sweep("message");

        assertThat(result.pagesSwept()).as("heap pages read in order").isPositive();
        assertThat(count("SELECT count(*) FROM \"Message\" WHERE \"expiresAt\" <= now() AT TIME ZONE 'UTC'"))
                .as("only the rows on legal hold are left of the due ones").isEqualTo(heldBefore + 1_000);
        assertThat(count("SELECT count(*) FROM \"Message\"")).isEqualTo(allBefore + 31_000);
        assertThat(result.largestBatch()).as("lethe.sweep.batch-size").isLessThanOrEqualTo(10_000);
    }

    @Test
    void aSmallBacklogStaysOnTheIndex() {
        rows.refreshTokens(3000, "now() - interval '1 minute'");
        assertThat(sweep("refresh").pagesSwept()).isZero();
    }

    @Test
    void sweepSkipsRowsAnotherTransactionHoldsInsteadOfWaiting() throws Exception {
        rows.refreshTokens(50, "now() - interval '1 hour'");
        double lockWaits = Prometheus.scrape().value("lethe_delete_lock_waits_total", "target", "refresh");
        try (Connection application = sql.connect(); Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("SELECT id FROM refresh_tokens WHERE expires_at <= now() ORDER BY id LIMIT 10 FOR UPDATE");

            SweepResult whileLocked = sweep("refresh");

            assertThat(whileLocked.outcome()).isEqualTo(SweepOutcome.COMPLETE);
            assertThat(whileLocked.deleted()).isEqualTo(40);
            assertThat(Prometheus.scrape().value("lethe_delete_lock_waits_total", "target", "refresh") - lockWaits)
                    .as("the statement that met them waited the lock wait out, then skipped them").isOne();
            application.rollback();
        }
        assertThat(sweep("refresh").deleted()).as("the released rows go at the next run").isEqualTo(10);
    }

    @Test
    void rowFallingDueSoonIsDeletedAtItsDueTimeWithoutAnyKey() {
        // Read first: the first scrape of a test JVM can take a second or two, longer than the row has to live.
        double before = Prometheus.scrape().value("lethe_rows_deleted_total", "source", "sweep", "target", "message");
        UUID soon = rows.message("(now() AT TIME ZONE 'UTC') + interval '2 seconds'", false);

        sweep("message");

        assertThat(count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", soon)).as("not before its time")
                .isOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", soon) == 0);
        assertThat(Prometheus.scrape().value("lethe_rows_deleted_total", "source", "sweep", "target", "message")
                - before).isEqualTo(1);
        assertThat(Prometheus.scrape().value("lethe_target_owner", "target", "message")).isEqualTo(1);
    }

    /**
     * The look-ahead reads again, in the part of its window an earlier read covered, only rows written since; a row
     * written there after that read must still be read and deleted at its due time, with no key to help.
     */
    @Test
    void aRowWrittenIntoAWindowTheLookaheadAlreadyReadIsStillDeletedAtItsDueTime() {
        UUID early = rows.message("(now() AT TIME ZONE 'UTC') + interval '4 seconds'", false);
        // Reads come every second (a fifth of the 5 s window): wait for one that covers the late row's due time.
        await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> true);
        UUID late = rows.message("(now() AT TIME ZONE 'UTC') + interval '2 seconds'", false);
        long due = System.nanoTime() + Duration.ofSeconds(2).toNanos();

        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", late) == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - due)).as("deleted on time, not left to an hourly sweep")
                .isLessThan(Duration.ofMillis(900));
        await().atMost(Duration.ofSeconds(6)).until(() -> count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?",
                early) == 0);
    }

    /**
     * Keys and look-ahead reach the same rows at the same instant; an event whose row the look-ahead holds locked at
     * that moment is not a row Lethe lost track of, and is not counted as dropped.
     */
    @Test
    void eventsRacingTheLookaheadForTheSameRowsAreNeverCountedAsDropped() {
        double dropped = Prometheus.scrape().value("lethe_events_total", "outcome", "dropped");
        long due = System.currentTimeMillis() + 2_000;
        List<UUID> ids = rows.messagesDueAt(800, due);
        try (Keys keys = Keys.connect("redis://127.0.0.1:6379", prefix)) {
            keys.expireAt(ids.stream().map(id -> keys.key("message", id)).toList(), due);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> rows.messagesLeft(ids) == 0);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                Prometheus.scrape().value("lethe_events_total", "outcome", "dropped") - dropped).isZero());
    }

    @Test
    void backlogCountsDueRowsTheGuardAllows() {
        sweep("message");
        for (int i = 0; i < 30; i++) {
            rows.message("(now() AT TIME ZONE 'UTC') - interval '2 minutes'", false);
        }
        rows.message("(now() AT TIME ZONE 'UTC') - interval '1 day'", true);

        Backlog.Measure measure = backlog.measure(target("message")).await().atMost(Duration.ofSeconds(10));

        assertThat(measure.rows()).isEqualTo(30);
        assertThat(measure.oldestSeconds()).isBetween(120.0, 3600.0);
        Prometheus metrics = Prometheus.scrape();
        assertThat(metrics.value("lethe_backlog_rows", "target", "message")).isEqualTo(30);
        assertThat(metrics.value("lethe_backlog_oldest_seconds", "target", "message")).isGreaterThanOrEqualTo(120);
        sweep("message");
        assertThat(backlog.measure(target("message")).await().atMost(Duration.ofSeconds(10)).rows()).isZero();
    }

    @Test
    void twoSweepersOnTwoPoolsShareATableAndDeleteEachRowOnce() {
        rows.refreshTokens(20000, "now() - interval '1 second' * g");
        Vertx vertx = Vertx.vertx();
        Pool otherPool = PgPool.pool(vertx, new PgConnectOptions().setHost(Sql.HOST).setPort(Sql.PORT)
                .setDatabase(sql.database()).setUser(Sql.USER), new PoolOptions().setMaxSize(2));
        try {
            Sweeper other = new Sweeper(Databases.on(otherPool, vertx), new LetheMetrics(new SimpleMeterRegistry()), Duration.ofMillis(100), 3);
            Sweeper ours = new Sweeper(database, new LetheMetrics(new SimpleMeterRegistry()),
                    Duration.ofMillis(100), 3);
            SweepSettings settings = runs.settings(target("refresh"));

            var both = Uni.combine().all().unis(ours.sweep(target("refresh"), settings),
                    other.sweep(target("refresh"), settings)).asTuple().await().atMost(Duration.ofSeconds(60));

            assertThat(both.getItem1().outcome()).isEqualTo(SweepOutcome.COMPLETE);
            assertThat(both.getItem2().outcome()).isEqualTo(SweepOutcome.COMPLETE);
            assertThat(both.getItem1().deleted() + both.getItem2().deleted()).isEqualTo(20000);
            assertThat(count("SELECT count(*) FROM refresh_tokens WHERE expires_at <= now()")).isZero();
        } finally {
            otherPool.closeAndAwait();
            vertx.closeAndAwait();
        }
    }

    private SweepResult sweep(String target) {
        return runs.run(target(target)).await().atMost(Duration.ofSeconds(60));
    }

    private Target target(String name) {
        return targets.find(name).orElseThrow();
    }

    private long count(String query, Object... parameters) {
        return sql.count(query, parameters);
    }
}
