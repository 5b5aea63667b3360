package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.ServiceProcess;
import dev.lethe.testsupport.Sql;

/** The packaged service refuses a bad configuration with one clear message naming the property, and exits. */
class StartupFailureIT {

    private static final String DATABASE = "lethe_it_startup";

    @BeforeAll
    static void createTable() {
        Sql.createDatabase(DATABASE).execute(
                "CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3))");
    }

    @AfterAll
    static void dropDatabase() {
        Sql.dropDatabase(DATABASE);
    }

    @Test
    void unknownTableStopsStartupNamingTheProperty() {
        String output = failedStart(Map.of("lethe.targets.message.table", "Messages"));
        assertThat(output).contains("lethe.targets.message.table=Messages: no such table")
                .doesNotContain("\tat dev.lethe");
    }

    @Test
    void filesWithoutABucketOrWithALeaseShorterThanTheS3CallAreRefused() {
        assertThat(failedStart(Map.of(
                "lethe.targets.message.table", "Message",
                "lethe.targets.message.blobs.table", "Message",
                "lethe.targets.message.blobs.parent-column", "id",
                "lethe.targets.message.blobs.key-column", "id")))
                .contains("lethe.targets.message.blobs.table is set, but lethe.blobs.bucket is not");
        assertThat(failedStart(Map.of(
                "lethe.targets.message.table", "Message",
                "lethe.blobs.bucket", "files",
                "lethe.outbox.lease", "20s")))
                .contains("lethe.outbox.lease=PT20S must be longer than quarkus.s3.api-call-timeout=PT30S");
    }

    @Test
    void badIdTypeAndUnknownColumnAreReportedTogether() {
        String output = failedStart(Map.of(
                "lethe.targets.message.table", "Message",
                "lethe.targets.message.id-type", "guid",
                "lethe.targets.other.table", "Message",
                "lethe.targets.other.expires-column", "expires_at"));
        assertThat(output).contains("lethe.targets.message.id-type=guid is not one of uuid, bigint, text")
                .contains("lethe.targets.other.expires-column=expires_at: no such column");
    }

    @Test
    void schemaNotYetAppliedByHandStopsStartupSayingWhatToApply() {
        String database = "lethe_it_no_ddl";
        Sql.createDatabase(database).execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY,"
                + " \"expiresAt\" timestamp(3))");
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database,
                "lethe.migrations.apply", "false",
                "lethe.targets.message.table", "Message"))) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(service.output()).contains("its schema is at version 0 and this release needs 2")
                    .contains("Apply db/lethe/V1__admin.sql, db/lethe/V2__outbox.sql");
        } finally {
            Sql.dropDatabase(database);
        }
    }

    @Test
    void shortBootstrapKeyStopsStartup() {
        assertThat(failedStart(Map.of("lethe.targets.message.table", "Message",
                "lethe.admin.bootstrap-key", "too-short"))).contains("lethe.admin.bootstrap-key is too short");
    }

    @Test
    void noTargetAtAllStopsStartup() {
        assertThat(failedStart(Map.of())).contains("lethe.targets: no target is configured");
    }

    private static String failedStart(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
        try (ServiceProcess service = ServiceProcess.start(all)) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isEqualTo(1);
            return service.output();
        }
    }
}
