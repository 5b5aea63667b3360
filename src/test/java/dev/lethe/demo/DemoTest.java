package dev.lethe.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.client.Sql;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The demo that the README's first command runs: started with the demo profile of application.properties on a
 * database that does not exist yet, it creates the database and the ready-made tables, writes rows with their keys,
 * and Lethe deletes them on time, which PostgreSQL confirms.
 */
@QuarkusTest
@TestProfile(DemoTest.Profile.class)
class DemoTest {

    static final String DATABASE = "lethe_test_demo";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    // The demo's own profile, as mvn quarkus:dev has it, on a database of the test's own.
                    "quarkus.config.profile.parent", "demo",
                    "lethe.demo.database", DATABASE,
                    "quarkus.datasource.reactive.url", "postgresql://" + Sql.HOST + ":" + Sql.PORT + "/" + DATABASE,
                    "quarkus.datasource.username", Sql.USER,
                    "lethe.key-prefix", "t-demo",
                    "lethe.demo.rows-per-second", "20");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NoDatabase.class));
        }
    }

    /** Makes sure the demo finds no database of its name, and leaves none behind. */
    public static class NoDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Sql.dropDatabase(DATABASE);
            return Map.of();
        }

        @Override
        public void stop() {
            Sql.dropDatabase(DATABASE);
        }
    }

    @Inject
    DemoPublisher publisher;

    @Test
    void theDemoCreatesItsDatabaseAndRowsDisappearOnTime() {
        Sql demo = new Sql(DATABASE);
        assertThat(demo.column("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
                .containsExactly("EmailVerificationToken", "Message", "PasswordResetToken", "RefreshToken",
                        "SessionKey");

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            DemoReport.Figures figures = publisher.lastReport();
            assertThat(figures).isNotNull();
            assertThat(figures.written()).isPositive();
            assertThat(figures.deleted()).isPositive();
            assertThat(figures.kept()).isPositive();
        });
        DemoReport.Figures figures = publisher.lastReport();
        assertThat(figures.overdue()).as("due rows left over a second, by the report").isZero();
        assertThat(figures.onTime()).as("deleted within a second of their expiry").isEqualTo(figures.deleted());
        assertThat(figures.line(10)).contains("rows written").contains("0 due rows overdue");

        // PostgreSQL's own word: no due row older than a second, and the rows that must stay are there.
        assertThat(demo.count("""
                SELECT count(*) FROM "Message"
                 WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second' AND NOT "legalHold\"""")).isZero();
        assertThat(demo.count("""
                SELECT count(*) FROM "RefreshToken"
                 WHERE "expiresAt" < now() AT TIME ZONE 'UTC' - interval '1 second'""")).isZero();
        assertThat(demo.count("SELECT count(*) FROM \"Message\" WHERE \"legalHold\"")
                + demo.count("SELECT count(*) FROM \"SessionKey\" WHERE \"expiresAt\" IS NULL")).isPositive();
    }
}
