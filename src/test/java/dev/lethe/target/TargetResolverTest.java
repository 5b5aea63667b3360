package dev.lethe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.config.LetheConfig;
import dev.lethe.testsupport.Sql;
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

    record Config(Optional<String> table, String idColumn, Optional<String> idType, String expiresColumn,
            String timeZone, Optional<String> guard, Optional<String> alsoDueWhen) implements LetheConfig.TargetConfig {

        static Config table(String table) {
            return new Config(Optional.of(table), "id", Optional.empty(), "expiresAt", "UTC", Optional.empty(),
                    Optional.empty());
        }

        Config idColumn(String column) {
            return new Config(table, column, idType, expiresColumn, timeZone, guard, alsoDueWhen);
        }

        Config idType(String type) {
            return new Config(table, idColumn, Optional.of(type), expiresColumn, timeZone, guard, alsoDueWhen);
        }

        Config expiresColumn(String column) {
            return new Config(table, idColumn, idType, column, timeZone, guard, alsoDueWhen);
        }

        Config timeZone(String zone) {
            return new Config(table, idColumn, idType, expiresColumn, zone, guard, alsoDueWhen);
        }

        Config guard(String predicate) {
            return new Config(table, idColumn, idType, expiresColumn, timeZone, Optional.of(predicate), alsoDueWhen);
        }

        Config alsoDueWhen(String predicate) {
            return new Config(table, idColumn, idType, expiresColumn, timeZone, guard, Optional.of(predicate));
        }

        @Override
        public LetheConfig.TargetSweep sweep() {
            return new LetheConfig.TargetSweep() {
                @Override
                public Optional<java.time.Duration> every() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> cron() {
                    return Optional.empty();
                }

                @Override
                public Optional<Integer> batchSize() {
                    return Optional.empty();
                }

                @Override
                public Optional<Integer> maxRowsPerSecond() {
                    return Optional.empty();
                }
            };
        }
    }

    @BeforeAll
    static void createSchema() {
        Sql sql = Sql.createDatabase(DATABASE);
        sql.execute(dev.lethe.testsupport.PostgresDatabase.statements("db/lethe/V1__admin.sql"));
        sql.execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3),"
                + " \"legalHold\" boolean NOT NULL DEFAULT false, \"body\" text)",
                "CREATE SCHEMA chat",
                "CREATE TABLE chat.\"SessionKey\" (\"id\" text PRIMARY KEY, \"expiresAt\" timestamptz)",
                "CREATE TABLE tokens (token_id int4 PRIMARY KEY, expires_at timestamptz NOT NULL)",
                "CREATE TABLE odd (\"id\" numeric PRIMARY KEY, \"expiresAt\" date)",
                "CREATE TABLE unindexed (\"id\" bigint, \"expiresAt\" timestamptz)",
                "CREATE TABLE tokens_used (id uuid PRIMARY KEY, \"expiresAt\" timestamptz, used_at timestamptz)",
                "CREATE INDEX ON tokens_used (\"expiresAt\")",
                "CREATE INDEX ON tokens_used (id) WHERE used_at IS NOT NULL");
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost(Sql.HOST).setPort(Sql.PORT).setDatabase(DATABASE)
                .setUser(Sql.USER), new PoolOptions().setMaxSize(2));
        resolver = new TargetResolver(pool);
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
        assertThat(target.shape().table()).isEqualTo("\"public\".\"Message\"");
        assertThat(target.shape().now()).isEqualTo("(now() AT TIME ZONE 'UTC')");
        assertThat(target.idType()).isEqualTo(IdType.UUID);
    }

    @Test
    void schemaQualifiedTimestamptzTableUsesPlainNow() {
        Target target = resolve("session", Config.table("chat.SessionKey"));
        assertThat(target.shape().table()).isEqualTo("\"chat\".\"SessionKey\"");
        assertThat(target.shape().now()).isEqualTo("now()");
        assertThat(target.idType()).as("detected from the column").isEqualTo(IdType.TEXT);
    }

    @Test
    void integerIdColumnTakesBigintIds() {
        Target target = resolve("token", Config.table("tokens").idColumn("token_id").expiresColumn("expires_at"));
        assertThat(target.idType()).isEqualTo(IdType.BIGINT);
    }

    @Test
    void missingTableIsNamed() {
        assertProblem("t", new Config(Optional.empty(), "id", Optional.empty(), "expiresAt", "UTC", Optional.empty(),
                Optional.empty()), "lethe.targets.t.table is required");
    }

    @Test
    void unknownTableIsNamed() {
        assertProblem("t", Config.table("Nope"), "lethe.targets.t.table=Nope: no such table");
        assertProblem("t", Config.table("message"), "lethe.targets.t.table=message: no such table");
        assertProblem("t", Config.table("a.b.c"), "lethe.targets.t.table=a.b.c is not a table name");
    }

    @Test
    void unknownColumnsAreNamed() {
        assertProblem("t", Config.table("Message").idColumn("uuid"), "lethe.targets.t.id-column=uuid: no such column");
        assertProblem("t", Config.table("Message").expiresColumn("expires_at"),
                "lethe.targets.t.expires-column=expires_at: no such column");
    }

    @Test
    void wrongTypesAreNamed() {
        assertProblem("t", Config.table("Message").idType("guid"), "lethe.targets.t.id-type=guid is not one of");
        assertProblem("t", Config.table("Message").idType("bigint"),
                "lethe.targets.t.id-type=bigint does not match column id");
        assertProblem("t", Config.table("odd"), "lethe.targets.t.id-column=id is numeric");
        assertProblem("t", Config.table("odd").idType("text"), "lethe.targets.t.id-type=text does not match");
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
        assertProblem("t", Config.table("Message").timeZone("UTC'; --"), "lethe.targets.t.time-zone=UTC'; --");
    }

    @Test
    void badTargetNameIsNamed() {
        assertProblem("a b", Config.table("Message"), "lethe.targets.a b: a target name may only contain");
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

    private static java.util.List<String> advice(String table, Target target) {
        Catalog catalog = new Catalog(pool);
        Catalog.Relation relation = catalog.relation(QualifiedName.parse(table)).await().atMost(Duration.ofSeconds(10))
                .orElseThrow();
        return new IndexAdvisor(catalog).advise(relation, "id", "expiresAt", target.shape())
                .await().atMost(Duration.ofSeconds(10));
    }

    private static Target resolve(String name, Config config) {
        return resolver.resolve(name, config).await().atMost(Duration.ofSeconds(10));
    }

    private static void assertProblem(String name, Config config, String message) {
        assertThatThrownBy(() -> resolve(name, config))
                .isInstanceOf(TargetResolver.Problem.class)
                .hasMessageContaining(message);
    }
}
