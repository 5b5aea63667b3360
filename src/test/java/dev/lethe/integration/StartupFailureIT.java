package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ScenarioTime;
import dev.lethe.testsupport.process.PostgresServer;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * The packaged service refuses a bad configuration with one line per problem naming the property, exits, and has
 * changed nothing in the database: it checks everything it can before it creates its own schema. A database that
 * does not answer yet is waited for.
 */
class StartupFailureIT {

    private static final String DATABASE = "lethe_it_startup";
    private static final Sql SQL = new Sql(DATABASE);

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
    void outOfRangeAndContradictorySettingsAreNamedTogether() {
        String output = failedStart(Map.of("lethe.targets.message.table", "Message", "lethe.batch.size", "0",
                "lethe.batch.max-in-flight", "0", "lethe.sweep.every", "100ms",
                "lethe.admin.bootstrap-key", "too-short"));
        assertThat(output).contains("\tlethe.batch.size must be greater than or equal to 1\n",
                "\tlethe.batch.max-in-flight must be greater than or equal to 1\n",
                "\tlethe.sweep.every must be longer than or equal to 1 second\n",
                "\tlethe.admin.bootstrap-key must be 32 to 256 random characters\n");
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        assertThat(failedStart(Map.of("lethe.targets.message.table", "Message",
                "lethe.targets.message.id-type", "guid")))
                .contains("lethe.targets.message.id-type with the config value \"guid\"")
                .contains("allowed values:");
    }

    @Test
    void unknownTableAndColumnAreNamedTogether() {
        assertThat(failedStart(Map.of(
                "lethe.targets.message.table", "Messages",
                "lethe.targets.other.table", "Message",
                "lethe.targets.other.expires-column", "expires_at",
                "lethe.targets.held.table", "Message",
                "lethe.targets.held.guard", "NOT \"onHold\"")))
                .contains("\tlethe.targets.message.table=Messages: no such table in the search path\n")
                .contains("\tlethe.targets.other.expires-column=expires_at: no such column of public.Message\n")
                .contains("\tlethe.targets.held.guard=NOT \"onHold\" is not a valid predicate on public.Message");
    }

    @Test
    void guardsThatCouldWidenDeletionAreRefusedAndDeleteNothing() {
        SQL.execute("INSERT INTO \"Message\" (\"id\", \"expiresAt\") SELECT gen_random_uuid(), NULL"
                + " FROM generate_series(1, 5)", "INSERT INTO \"Message\" (\"id\", \"expiresAt\") SELECT"
                + " gen_random_uuid(), now() + interval '1 day' FROM generate_series(1, 5)");
        try {
            assertThat(failedStart(Map.of(
                    "lethe.targets.message.table", "Message",
                    "lethe.targets.message.guard", "true) OR (true",
                    "lethe.targets.other.table", "Message",
                    "lethe.targets.other.guard", "true /* ) OR (true */")))
                    .contains("lethe.targets.message.guard")
                    .contains("closes a parenthesis it did not open")
                    .contains("lethe.targets.other.guard")
                    .contains("holds a comment (/*)");
            assertThat(SQL.count("SELECT count(*) FROM \"Message\"")).as("rows that must stay").isEqualTo(10);
        } finally {
            SQL.execute("TRUNCATE \"Message\"");
        }
    }

    @Test
    void filesWithoutABucketOrWithALeaseShorterThanTheS3CallAreRefused() {
        assertThat(failedStart(Map.of(
                "lethe.targets.message.table", "Message",
                "lethe.targets.message.blobs.table", "Message",
                "lethe.targets.message.blobs.parent-column", "id",
                "lethe.targets.message.blobs.key-column", "id")))
                .contains("lethe needs lethe.blobs.bucket, the bucket that holds the files"
                        + " lethe.targets.message.blobs.table names");
        assertThat(failedStart(Map.of(
                "lethe.targets.message.table", "Message",
                "lethe.blobs.bucket", "files",
                "lethe.outbox.lease", "20s")))
                .contains("lethe.outbox.lease=PT20S must be longer than quarkus.s3.api-call-timeout=PT30S");
    }

    @Test
    void wrongLoginUnknownDatabaseAndJdbcUrlAreOneLineEach() {
        assertThat(failedStart(Map.of("lethe.targets.message.table", "Message",
                "quarkus.datasource.username", "nobody")))
                .contains("PostgreSQL refused the login: check quarkus.datasource.username and"
                        + " quarkus.datasource.password (28000");
        assertThat(failedStart(Map.of("lethe.targets.message.table", "Message",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/no_such_database")))
                .contains("PostgreSQL has no such database: create it, or fix the database name in"
                        + " quarkus.datasource.reactive.url (3D000");
        assertThat(failedStart(Map.of("lethe.targets.message.table", "Message",
                "quarkus.datasource.reactive.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE)))
                .contains("quarkus.datasource.reactive.url must start with postgresql://");
    }

    @Test
    void aRedisDatabaseOtherThanTheOneTheHostsSelectIsRefused() {
        assertThat(failedStart(Map.of("lethe.targets.message.table", "Message",
                "quarkus.redis.hosts", "redis://127.0.0.1:6379/10", "lethe.redis.database", "0")))
                .contains("lethe.redis.database=0 differs from the database 10 that quarkus.redis.hosts selects");
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
            assertThat(service.output()).contains("its schema is at version 0 and this release needs")
                    .contains("Apply db/lethe/V1__admin.sql, db/lethe/V2__outbox.sql");
        } finally {
            Sql.dropDatabase(database);
        }
    }

    @Test
    void noTargetAtAllStopsStartup() {
        assertThat(failedStart(Map.of())).contains("lethe needs at least one target");
    }

    @Test
    void postgresAnsweringLateIsWaitedFor() {
        try (PostgresServer postgres = PostgresServer.launch()) {
            postgres.sql("postgres").execute("CREATE DATABASE chat");
            postgres.sql("chat").execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY,"
                    + " \"expiresAt\" timestamp(3))");
            postgres.stop();
            try (ServiceProcess service = ServiceProcess.start(Map.of(
                    "quarkus.datasource.reactive.url", postgres.url("chat"),
                    "lethe.targets.message.table", "Message"))) {
                ScenarioTime.pass(Duration.ofSeconds(8));
                postgres.start();
                service.awaitStarted(Duration.ofSeconds(60));
                assertThat(service.output()).contains("Waiting for PostgreSQL at " + postgres.url("chat")
                        + " (attempt 1,").doesNotContain("\tat ");
            }
        }
    }

    /** Starts the service, expects it to exit 1 with no stack trace, and checks that it created nothing. */
    private static String failedStart(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
        try (ServiceProcess service = ServiceProcess.start(all)) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isEqualTo(1);
            assertThat(service.output()).as("a refusal is one line per problem, not a stack trace")
                    .doesNotContain("\tat ");
            assertThat(SQL.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'lethe'"))
                    .as("nothing is created before every check has passed").isZero();
            return service.output();
        }
    }
}
