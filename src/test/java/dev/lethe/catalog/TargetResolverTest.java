package dev.lethe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.sql.IdType;
import dev.lethe.sql.Identifier;
import dev.lethe.sql.OutboxWrites;
import dev.lethe.sql.Predicate;
import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.Target;
import dev.lethe.sql.TimeZoneName;
import dev.lethe.testsupport.client.Databases;
import dev.lethe.testsupport.client.Sql;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** Configuration mistakes are caught against the real catalog, each with a sentence naming the property. */
class TargetResolverTest {

    private static final String DATABASE = "lethe_test_resolver";
    private static Vertx vertx;
    private static Pool pool;
    private static TargetResolver resolver;

    /** A target definition built up the way configuration would give it. */
    record Config(TargetDefinition definition) {

        static Config table(String table) {
            return new Config(TargetDefinition.of(table, "id", "expiresAt"));
        }

        private Config with(UnaryOperator<TargetDefinition> change) {
            return new Config(change.apply(definition));
        }

        Config idColumn(String column) {
            return with(d -> new TargetDefinition(d.table(), column, d.idType(), d.expiresColumn(), d.timeZone(),
                    d.guard(), d.alsoDueWhen(), d.blobKeyColumn(), d.blobs()));
        }

        Config idType(IdType type) {
            return with(d -> d.withIdType(type));
        }

        Config expiresColumn(String column) {
            return with(d -> new TargetDefinition(d.table(), d.idColumn(), d.idType(), column, d.timeZone(),
                    d.guard(), d.alsoDueWhen(), d.blobKeyColumn(), d.blobs()));
        }

        Config timeZone(String zone) {
            return with(d -> new TargetDefinition(d.table(), d.idColumn(), d.idType(), d.expiresColumn(),
                    new TimeZoneName(zone), d.guard(), d.alsoDueWhen(), d.blobKeyColumn(), d.blobs()));
        }

        Config guard(String predicate) {
            return with(d -> new TargetDefinition(d.table(), d.idColumn(), d.idType(), d.expiresColumn(),
                    d.timeZone(), Optional.of(new Predicate(predicate)), d.alsoDueWhen(), d.blobKeyColumn(), d.blobs()));
        }

        Config alsoDueWhen(String predicate) {
            return with(d -> new TargetDefinition(d.table(), d.idColumn(), d.idType(), d.expiresColumn(),
                    d.timeZone(), d.guard(), Optional.of(new Predicate(predicate)), d.blobKeyColumn(), d.blobs()));
        }

        Config blobKeyColumn(String column) {
            return with(d -> new TargetDefinition(d.table(), d.idColumn(), d.idType(), d.expiresColumn(),
                    d.timeZone(), d.guard(), d.alsoDueWhen(), Optional.of(column), d.blobs()));
        }

        Config blobs(String table, String parentColumn, String keyColumn) {
            return with(d -> new TargetDefinition(d.table(), d.idColumn(), d.idType(), d.expiresColumn(),
                    d.timeZone(), d.guard(), d.alsoDueWhen(), d.blobKeyColumn(), new TargetDefinition.Files(
                            Optional.ofNullable(table), Optional.ofNullable(parentColumn),
                            Optional.ofNullable(keyColumn))));
        }
    }

    @BeforeAll
    static void createSchema() {
        Sql sql = Sql.createDatabase(DATABASE);
        sql.execute(dev.lethe.testsupport.PostgresDatabase.statements("db/lethe/V1__admin.sql"));
        sql.execute(dev.lethe.testsupport.PostgresDatabase.statements("db/lethe/V2__outbox.sql"));
        sql.execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3),"
                + " \"legalHold\" boolean NOT NULL DEFAULT false, \"body\" text)",
                "CREATE SCHEMA chat",
                "CREATE TABLE chat.\"SessionKey\" (\"id\" text PRIMARY KEY, \"expiresAt\" timestamptz)",
                "CREATE TABLE tokens (token_id int4 PRIMARY KEY, expires_at timestamptz NOT NULL)",
                "CREATE TABLE odd (\"id\" numeric PRIMARY KEY, \"expiresAt\" date)",
                "CREATE TABLE unindexed (\"id\" bigint, \"expiresAt\" timestamptz)",
                "CREATE TABLE tokens_used (id uuid PRIMARY KEY, \"expiresAt\" timestamptz, used_at timestamptz)",
                "CREATE INDEX ON tokens_used (\"expiresAt\")",
                "CREATE INDEX ON tokens_used (id) WHERE used_at IS NOT NULL",
                "ALTER TABLE \"Message\" ADD COLUMN \"attachmentKey\" text, ADD COLUMN \"size\" int4",
                "CREATE TABLE \"Attachment\" (\"messageId\" uuid NOT NULL REFERENCES \"Message\" ON DELETE CASCADE,"
                        + " \"objectKey\" text NOT NULL, \"legacyId\" int8)");
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost(Sql.HOST).setPort(Sql.PORT).setDatabase(DATABASE)
                .setUser(Sql.USER), new PoolOptions().setMaxSize(2));
        resolver = new TargetResolver(Databases.on(pool, vertx), true);
    }

    @AfterAll
    static void dropSchema() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        Sql.dropDatabase(DATABASE);
    }

    @Test
    void prismaTableResolvesWithItsCaseAndUtcNow() {
        Target target = resolve("message", Config.table("Message").guard("NOT \"legalHold\""));
        assertThat(target.shape().table()).isEqualTo(QualifiedName.of("public", "Message"));
        assertThat(target.shape().zone()).contains(new TimeZoneName("UTC"));
        assertThat(target.idType()).isEqualTo(IdType.UUID);
    }

    @Test
    void schemaQualifiedTimestamptzTableUsesPlainNow() {
        Target target = resolve("session", Config.table("chat.SessionKey"));
        assertThat(target.shape().table()).isEqualTo(QualifiedName.of("chat", "SessionKey"));
        assertThat(target.shape().zone()).isEmpty();
        assertThat(target.idType()).as("detected from the column").isEqualTo(IdType.TEXT);
    }

    @Test
    void integerIdColumnTakesBigintIds() {
        Target target = resolve("token", Config.table("tokens").idColumn("token_id").expiresColumn("expires_at"));
        assertThat(target.idType()).isEqualTo(IdType.BIGINT);
    }

    @Test
    void unknownTableIsNamed() {
        assertProblem("t", Config.table("Nope"), "lethe.targets.t.table=Nope: no such table");
        assertProblem("t", Config.table("message"), "lethe.targets.t.table=message: no such table");
    }

    @Test
    void unknownColumnsAreNamed() {
        assertProblem("t", Config.table("Message").idColumn("uuid"), "lethe.targets.t.id-column=uuid: no such column");
        assertProblem("t", Config.table("Message").expiresColumn("expires_at"),
                "lethe.targets.t.expires-column=expires_at: no such column");
    }

    @Test
    void wrongTypesAreNamed() {
        assertProblem("t", Config.table("Message").idType(IdType.BIGINT),
                "lethe.targets.t.id-type=bigint does not match column id");
        assertProblem("t", Config.table("odd"), "lethe.targets.t.id-column=id is numeric");
        assertProblem("t", Config.table("odd").idType(IdType.TEXT), "lethe.targets.t.id-type=text does not match");
        assertProblem("t", Config.table("Message").expiresColumn("body"), "lethe.targets.t.expires-column=body is text");
    }

    @Test
    void invalidGuardIsNamedWithPostgresReason() {
        assertProblem("t", Config.table("Message").guard("NOT \"onHold\""),
                "lethe.targets.t.guard=NOT \"onHold\" is not a valid predicate on public.Message: column \"onHold\"");
        assertProblem("t", Config.table("Message").guard("\"body\""), "lethe.targets.t.guard=\"body\" is not a valid");
    }

    @Test
    void unknownTimeZoneIsNamed() {
        assertProblem("t", Config.table("Message").timeZone("Mars/Olympus"), "lethe.targets.t.time-zone=Mars/Olympus");
    }

    @Test
    void tableWithoutIndexesStillResolves() {
        assertThat(resolve("u", Config.table("unindexed")).idType()).isEqualTo(IdType.BIGINT);
    }

    @Test
    void missingIndexesAreAdvisedWithTheStatementToRun() {
        Target target = resolve("u", Config.table("unindexed"));
        assertThat(advice("unindexed", target)).containsExactly(
                "No index of public.unindexed leads with \"id\", so every event delete scans it. Create one with: "
                        + "CREATE INDEX CONCURRENTLY ON \"public\".\"unindexed\" (\"id\");",
                "No index of public.unindexed leads with \"expiresAt\", so every sweep scans it. Create one with: "
                        + "CREATE INDEX CONCURRENTLY ON \"public\".\"unindexed\" (\"expiresAt\");");
    }

    @Test
    void partialIndexForTheExtraDueConditionIsRecognised() {
        assertThat(advice("tokens_used", resolve("t", Config.table("tokens_used").alsoDueWhen("used_at IS NOT NULL"))))
                .isEmpty();
        assertThat(advice("tokens_used", resolve("t", Config.table("tokens_used").alsoDueWhen("used_at > now()"))))
                .singleElement().asString().contains("CREATE INDEX CONCURRENTLY ON \"public\".\"tokens_used\" (\"id\")"
                        + " WHERE (used_at > now());");
    }

    @Test
    void filesInAColumnAndAChildTableAreCapturedByTheDeleteItself() {
        Target target = resolve("message", Config.table("Message").blobKeyColumn("attachmentKey")
                .blobs("Attachment", "messageId", "objectKey"));
        assertThat(target.outbox()).isEqualTo(new OutboxWrites(Optional.of(new Identifier("attachmentKey")),
                Optional.of(new OutboxWrites.ChildFiles(QualifiedName.of("public", "Attachment"),
                        new Identifier("messageId"), new Identifier("objectKey"))), true));
        assertThat(target.sql().sweepExpired().first()).contains("INSERT INTO lethe.outbox");
    }

    @Test
    void lethesOwnTargetsAreNotAnnounced() {
        Target apiKeys = resolve(BuiltInTargets.API_KEYS, BuiltInTargets.all().get(BuiltInTargets.API_KEYS));
        assertThat(apiKeys.outbox()).isEqualTo(OutboxWrites.NONE);
    }

    @Test
    void wrongFileColumnsAreNamed() {
        assertProblem("t", Config.table("Message").blobKeyColumn("file"),
                "lethe.targets.t.blob-key-column=file: no such column of public.Message");
        assertProblem("t", Config.table("Message").blobKeyColumn("size"),
                "lethe.targets.t.blob-key-column=size is integer; object keys are text or varchar");
        assertProblem("t", Config.table("Message").blobs("Attachments", "messageId", "objectKey"),
                "lethe.targets.t.blobs.table=Attachments: no such table");
        assertProblem("t", Config.table("Message").blobs("Attachment", "legacyId", "objectKey"),
                "lethe.targets.t.blobs.parent-column=legacyId of public.Attachment is bigint, which does not match"
                        + " the target's uuid id");
        assertProblem("t", Config.table("Message").blobs("Attachment", "messageId", "key"),
                "lethe.targets.t.blobs.key-column=key: no such column of public.Attachment");
    }

    private static java.util.List<String> advice(String table, Target target) {
        Catalog catalog = new Catalog(Databases.on(pool, vertx));
        Catalog.Relation relation = catalog.relation(QualifiedName.parse(table)).await().atMost(Duration.ofSeconds(10))
                .orElseThrow();
        return new IndexAdvisor(catalog).advise(relation, "id", "expiresAt", target.shape())
                .await().atMost(Duration.ofSeconds(10));
    }

    private static Target resolve(String name, Config config) {
        return resolve(name, config.definition());
    }

    private static Target resolve(String name, TargetDefinition definition) {
        return resolver.resolve(name, definition).await().atMost(Duration.ofSeconds(10));
    }

    /**
     * Every delete locks its rows first (FOR UPDATE SKIP LOCKED), which PostgreSQL allows only to a role that may
     * update a column: with SELECT and DELETE alone the service would start, look ready, and fail every statement.
     */
    @Test
    void aTableTheUserMayReadAndDeleteButNotLockIsRefused() {
        Sql.createDatabase(DATABASE + "_grants").execute("DROP ROLE IF EXISTS lethe_test_no_lock",
                "CREATE ROLE lethe_test_no_lock LOGIN",
                "CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamptz)",
                "GRANT SELECT, DELETE ON \"Message\" TO lethe_test_no_lock");
        Pool restricted = PgPool.pool(vertx, new PgConnectOptions().setHost(Sql.HOST).setPort(Sql.PORT)
                .setDatabase(DATABASE + "_grants").setUser("lethe_test_no_lock"), new PoolOptions().setMaxSize(1));
        try {
            TargetResolver asRestricted = new TargetResolver(Databases.on(restricted, vertx), false);
            assertThatThrownBy(() -> asRestricted.resolve("message", Config.table("Message").definition())
                    .await().atMost(Duration.ofSeconds(10)))
                    .isInstanceOf(TargetResolver.Problem.class)
                    .hasMessageContaining("lethe.targets.message.table=Message: the database user lacks SELECT,"
                            + " DELETE, or UPDATE on a column");
            new Sql(DATABASE + "_grants").execute(
                    "GRANT UPDATE (\"expiresAt\") ON \"Message\" TO lethe_test_no_lock");
            assertThat(asRestricted.resolve("message", Config.table("Message").definition())
                    .await().atMost(Duration.ofSeconds(10)).name()).isEqualTo("message");
        } finally {
            restricted.closeAndAwait();
            Sql.dropDatabase(DATABASE + "_grants");
            new Sql("postgres").execute("DROP ROLE IF EXISTS lethe_test_no_lock");
        }
    }

    private static void assertProblem(String name, Config config, String message) {
        assertThatThrownBy(() -> resolve(name, config))
                .isInstanceOf(TargetResolver.Problem.class)
                .hasMessageContaining(message);
    }
}
