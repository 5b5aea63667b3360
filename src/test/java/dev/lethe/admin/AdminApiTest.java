package dev.lethe.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lethe.catalog.BuiltInTargets;
import dev.lethe.catalog.Targets;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.metrics.SweepOutcome;
import dev.lethe.store.Database;
import dev.lethe.sweep.SweepResult;
import dev.lethe.sweep.SweepRuns;
import dev.lethe.sweep.Sweeper;
import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Management;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.redis.client.Redis;

@QuarkusTest
@TestProfile(AdminApiTest.Profile.class)
class AdminApiTest {

    static final String BOOTSTRAP = "bootstrap-0123456789abcdef0123456789abcdef";

    public static class Profile extends LetheTestProfile {
        @Override
        protected Map<String, String> config() {
            return Map.ofEntries(
                    Map.entry("lethe.targets.reset.guard", "NOT protected"),
                    Map.entry("lethe.admin.bootstrap-key", BOOTSTRAP),
                    Map.entry("lethe.admin.failures-per-minute", "1000"),
                    Map.entry("lethe.sweep.every", "1h"),
                    Map.entry("lethe.sweep.lookahead", "0s"),
                    Map.entry("lethe.targets.message.table", "Message"),
                    Map.entry("lethe.targets.message.guard", "NOT \"legalHold\""),
                    Map.entry("lethe.targets.reset.table", "password_reset_tokens"),
                    Map.entry("lethe.targets.reset.expires-column", "expires_at"),
                    Map.entry("lethe.targets.reset.also-due-when", "used_at IS NOT NULL"));
        }
    }

    @Inject
    Redis redis;

    @Inject
    Database database;

    @Inject
    Targets targets;

    @Inject
    SweepRuns runs;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    Sql sql;
    ChatRows rows;

    @BeforeEach
    void connect() {
        sql = Sql.ofApplication();
        rows = new ChatRows(sql);
    }

    @Test
    void bootstrapKeyCreatesKeysWhichAreShownOnlyOnce() {
        Response created = as(BOOTSTRAP).body("{\"name\": \"ci\", \"scopes\": [\"read\"]}").post("/admin/api-keys");
        created.then().statusCode(201).header("Cache-Control", "no-store");
        String key = created.jsonPath().getString("key");
        String id = created.jsonPath().getString("id");
        assertThat(key).startsWith("lethe_").hasSizeGreaterThan(40);

        String listed = as(BOOTSTRAP).get("/admin/api-keys").then().statusCode(200).extract().asString();
        assertThat(listed).contains(id).contains("\"name\":\"ci\"").doesNotContain(key).doesNotContain("\"key\"");
        assertThat(sql.column("SELECT encode(key_hash, 'hex') FROM lethe.api_keys WHERE id = ?::uuid", id).get(0)
                .toString()).as("only a hash is stored").doesNotContain(key).hasSize(64);
    }

    @Test
    void bootstrapKeyMayOnlyManageKeys() {
        as(BOOTSTRAP).get("/admin/targets").then().statusCode(403).body("error", equalTo("forbidden"))
                .body("detail", equalTo("the bootstrap key may only manage keys: create a key with the read scope"));
        as(BOOTSTRAP).post("/admin/sweep").then().statusCode(403);
    }

    @Test
    void eachScopeAllowsItsOwnCallsOnly() {
        String reader = newKey("dashboard", "read");
        String operator = newKey("on-call", "operate");
        String keeper = newKey("key-keeper", "keys");

        as(reader).get("/admin/targets").then().statusCode(200);
        as(reader).post("/admin/sweep?target=message").then().statusCode(403)
                .body("detail", equalTo("this key lacks the operate scope"));
        as(reader).post("/admin/targets/message/pause").then().statusCode(403);
        as(reader).get("/admin/api-keys").then().statusCode(403);

        as(operator).post("/admin/sweep?target=message&dryRun=true").then().statusCode(200);
        as(operator).post("/admin/targets/message/resume").then().statusCode(200);
        as(operator).get("/admin/targets").then().statusCode(403);
        as(operator).body("{\"name\": \"more\", \"scopes\": [\"operate\"]}").post("/admin/api-keys")
                .then().statusCode(403);

        as(keeper).get("/admin/api-keys").then().statusCode(200)
                .body("find { it.name == 'dashboard' }.scopes", equalTo(List.of("read")));
        as(keeper).get("/admin/targets").then().statusCode(403);
        assertThat(Prometheus.scrape().value("lethe_admin_actions_total", "action", "pause", "result", "forbidden"))
                .as("a refused pause is counted").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aNewKeyNamesItsScopesAndNothingElse() {
        as(BOOTSTRAP).body("{\"name\": \"x\"}").post("/admin/api-keys").then().statusCode(400)
                .body("detail", equalTo("scopes is required: a list of one or more of read, operate, keys"));
        as(BOOTSTRAP).body("{\"name\": \"x\", \"scopes\": []}").post("/admin/api-keys").then().statusCode(400);
        as(BOOTSTRAP).body("{\"name\": \"x\", \"scopes\": [\"admin\"]}").post("/admin/api-keys").then()
                .statusCode(400).body("detail", equalTo("unknown scope \"admin\": the scopes are read, operate and keys"));
        as(BOOTSTRAP).body("{\"name\": \"x\", \"scopes\": [\"READ\"]}").post("/admin/api-keys").then()
                .statusCode(400);
        as(BOOTSTRAP).body("{\"name\": \"x\", \"scopes\": [\"read\"], \"role\": \"admin\"}")
                .post("/admin/api-keys").then().statusCode(400).body("error", equalTo("bad_request"));
        assertThat(sql.count("SELECT count(*) FROM lethe.api_keys WHERE name = 'x'")).as("none was made").isZero();
    }

    @Test
    void anUnclearParameterOnACallThatDeletesIsRefusedAndDeletesNothing() {
        String key = newKey("careful", "operate");
        rows.messages(7, "(now() AT TIME ZONE 'UTC') - interval '10 minutes'");
        long before = sql.count("SELECT count(*) FROM \"Message\"");

        for (String query : List.of("dryRun=1", "dryRun=TRUE", "dryRun=yes", "dryRun=", "dryRun=true&dryRun=false",
                "dryrun=true", "target=", "target=message&force=true", "target=message&target=reset")) {
            as(key).post("/admin/sweep?" + query).then().statusCode(400).body("error", equalTo("bad_request"));
        }
        as(key).post("/admin/targets/message/pause?now=true").then().statusCode(400);
        assertThat(sql.count("SELECT count(*) FROM \"Message\"")).as("nothing deleted").isEqualTo(before);
        assertThat(Prometheus.scrape().value("lethe_target_paused", "target", "message")).isZero();

        as(key).post("/admin/sweep?target=message&dryRun=false").then().statusCode(200);
        assertThat(Prometheus.scrape().value("lethe_admin_actions_total", "action", "sweep", "result", "ok"))
                .as("the sweep is counted").isGreaterThanOrEqualTo(1);
    }

    @Test
    void everyErrorIsJson() {
        String key = newKey("json", "read", "operate");
        as(key).get("/admin/nowhere").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("not_found"));
        as(key).delete("/admin/targets").then().statusCode(405).contentType("application/json")
                .body("error", equalTo("method_not_allowed"));
        as(key).post("/admin/targets/nosuch/pause").then().statusCode(404).contentType("application/json")
                .body("detail", equalTo("no such target: nosuch"));
        as(BOOTSTRAP).body("not json").post("/admin/api-keys").then().statusCode(400)
                .contentType("application/json");
    }

    @Test
    void everyAuthenticationFailureLooksTheSame() {
        String expired = newKey("soon gone");
        sql.update("UPDATE lethe.api_keys SET expires_at = now() - interval '1 second' WHERE name = 'soon gone'");
        String revoked = newKey("revoked");
        as(BOOTSTRAP).delete("/admin/api-keys/" + idOf("revoked")).then().statusCode(204);

        List<RequestSpecification> callers = List.of(
                given(),
                given().header("Authorization", "Basic dXNlcjpwYXNz"),
                given().header("Authorization", "Bearer "),
                given().header("Authorization", "Bearer \u0001\u0002"),
                given().header("Authorization", "Bearer lethe_unknown"),
                as(expired),
                as(revoked));
        for (RequestSpecification caller : callers) {
            caller.get("/admin/targets").then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer realm=\"lethe\"")
                    .body(equalTo("{\"error\":\"unauthorized\",\"detail\":\"a valid key is required:"
                            + " Authorization: Bearer <key>\"}"));
        }
        given().body("not json").post("/admin/api-keys").then().statusCode(401);
        Management.given().get("/q/health/ready").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200);
        // The admin API's port serves the admin API alone.
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void lastUseIsRecordedWhenTheKeyIsAcceptedAndNeverMovesBack() {
        String key = newKey("operator");
        assertThat(lastUsed("operator")).as("never used").isNull();

        as(key).get("/admin/targets").then().statusCode(200);
        OffsetDateTime afterRead = lastUsed("operator");
        assertThat(afterRead).isNotNull();

        as(key).post("/admin/targets/nosuchtarget/pause").then().statusCode(404);
        OffsetDateTime afterRefusal = lastUsed("operator");
        assertThat(afterRefusal).as("authorized, then refused: the key was used").isAfter(afterRead);

        given().header("Authorization", "Bearer lethe_wrong").get("/admin/targets").then().statusCode(401);
        assertThat(lastUsed("operator")).as("another key's failure leaves it").isEqualTo(afterRefusal);
    }

    @Test
    void targetsReportTablesDueRowsDeletionsAndPauses() {
        String key = newKey("reader");
        rows.messages(7, "(now() AT TIME ZONE 'UTC') - interval '10 minutes'");

        List<Map<String, Object>> status = as(key).get("/admin/targets").then().statusCode(200).extract()
                .jsonPath().getList("$");
        Map<String, Object> message = status.stream().filter(t -> t.get("name").equals("message")).findFirst()
                .orElseThrow();
        assertThat(message.get("table")).isEqualTo("public.Message");
        assertThat(((Number) message.get("dueRows")).longValue()).isGreaterThanOrEqualTo(7);
        assertThat(((Number) message.get("oldestOverdueSeconds")).doubleValue()).isGreaterThanOrEqualTo(600);
        assertThat(message.get("paused")).isEqualTo(false);
        assertThat(message.get("deletedSinceStart").toString()).contains("event", "sweep");
        assertThat(status).extracting(t -> t.get("name")).contains("reset", BuiltInTargets.API_KEYS);
        as(key).post("/admin/sweep?target=message").then().statusCode(200);
    }

    @Test
    void dryRunCountsWhatASweepThenDeletes() {
        String key = newKey("sweeper");
        as(key).post("/admin/sweep?target=reset").then().statusCode(200);
        rows.passwordResetTokens(30, "now() - interval '1 hour'", "NULL", false);
        rows.passwordResetTokens(5, "now() + interval '1 hour'", "now()", false);
        rows.passwordResetTokens(3, "now() - interval '1 hour'", "NULL", true);

        as(key).post("/admin/sweep?target=reset&dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("total", equalTo(35))
                .body("targets[0].target", equalTo("reset")).body("targets[0].outcome", equalTo("dry-run"));
        assertThat(sql.count("SELECT count(*) FROM password_reset_tokens")).as("a dry run deletes nothing")
                .isEqualTo(38);

        as(key).post("/admin/sweep?target=reset").then().statusCode(200)
                .body("dryRun", equalTo(false)).body("total", equalTo(35))
                .body("targets[0].outcome", equalTo("complete"));
        assertThat(sql.count("SELECT count(*) FROM password_reset_tokens")).as("protected rows stay").isEqualTo(3);
        as(key).post("/admin/sweep?target=nosuch").then().statusCode(404);
    }

    @Test
    void concurrentSweepCallsCoalesceIntoOneRun() {
        String first = newKey("first");
        String second = newKey("second");
        as(first).post("/admin/sweep?target=message").then().statusCode(200);
        rows.messages(20_000, "(now() AT TIME ZONE 'UTC') - interval '1 minute'");

        CompletableFuture<String> one = CompletableFuture.supplyAsync(
                () -> as(first).post("/admin/sweep?target=message").then().statusCode(200).extract().asString());
        CompletableFuture<String> two = CompletableFuture.supplyAsync(
                () -> as(second).post("/admin/sweep?target=message").then().statusCode(200).extract().asString());

        assertThat(one.join()).as("both calls get the one run's result").isEqualTo(two.join())
                .contains("\"total\":20000");
        assertThat(sql.count("SELECT count(*) FROM \"Message\" WHERE \"expiresAt\" <= now() AT TIME ZONE 'UTC'"
                + " AND NOT \"legalHold\"")).isZero();
    }

    @Test
    void pauseStopsEventsAndEverySweepAndResumeCatchesUp() {
        String key = newKey("incident");
        as(key).post("/admin/targets/message/pause").then().statusCode(200).body("paused", equalTo(true));
        assertThat(Prometheus.scrape().value("lethe_target_paused", "target", "message")).isEqualTo(1);
        UUID id = rows.messages(1, "(now() AT TIME ZONE 'UTC') - interval '1 second'").get(0);
        double dropped = Prometheus.scrape().value("lethe_events_total", "outcome", "dropped");

        new Keys(redis, prefix).expireIn("message", id, Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Prometheus.scrape().value("lethe_events_total", "outcome", "dropped") > dropped);
        as(key).post("/admin/sweep?target=message").then().statusCode(200)
                .body("targets[0].outcome", equalTo(SweepOutcome.SKIPPED.label()));
        // Another replica, which has not yet seen the pause: its statements read the pause themselves.
        SweepResult elsewhere = new Sweeper(database, new LetheMetrics(new SimpleMeterRegistry()), Duration.ofMillis(50), 1)
                .sweep(targets.find("message").orElseThrow(), runs.settings(targets.find("message").orElseThrow()))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(elsewhere.deleted()).isZero();
        assertThat(sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", id)).isOne();
        Map<String, Object> status = as(key).get("/admin/targets").then().statusCode(200).extract().jsonPath()
                .getList("$", Map.class).stream().filter(t -> "message".equals(t.get("name"))).findFirst()
                .orElseThrow();
        assertThat(status).containsEntry("paused", true).containsKey("pausedAt");
        assertThat(status.get("pausedBy").toString()).startsWith("key ").endsWith("(incident)");

        as(key).post("/admin/targets/message/resume").then().statusCode(200).body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ?", id) == 0);
    }

    @Test
    void expiredKeysAreRefusedAndSweptAsABuiltInTarget() {
        String key = newKey("temporary");
        as(key).get("/admin/targets").then().statusCode(200);
        sql.update("UPDATE lethe.api_keys SET expires_at = now() - interval '1 second' WHERE name = 'temporary'");
        as(key).get("/admin/targets").then().statusCode(401);

        runs.run(targets.find(BuiltInTargets.API_KEYS).orElseThrow()).await().atMost(Duration.ofSeconds(10));

        assertThat(sql.count("SELECT count(*) FROM lethe.api_keys WHERE name = 'temporary'")).isZero();
    }

    @Test
    void newKeysTakeAnExpiryInTheFutureOnly() {
        String read = ", \"scopes\": [\"read\"]";
        as(BOOTSTRAP).body("{\"name\": \"x\", \"expiresAt\": \"2020-01-01T00:00:00Z\"" + read + "}")
                .post("/admin/api-keys").then().statusCode(400);
        as(BOOTSTRAP).body("{\"name\": \"x\", \"expiresAt\": \"tomorrow\"" + read + "}").post("/admin/api-keys")
                .then().statusCode(400);
        as(BOOTSTRAP).body("{\"expiresAt\": \"2099-01-01T00:00:00Z\"" + read + "}").post("/admin/api-keys").then()
                .statusCode(400);
        as(BOOTSTRAP).body("{\"name\": \"later\", \"expiresAt\": \"2099-01-01T00:00:00Z\"" + read + "}")
                .post("/admin/api-keys").then().statusCode(201).body("expiresAt", equalTo("2099-01-01T00:00:00Z"));
        as(BOOTSTRAP).delete("/admin/api-keys/" + UUID.randomUUID()).then().statusCode(404);
        as(BOOTSTRAP).delete("/admin/api-keys/not-a-uuid").then().statusCode(404);
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json");
    }

    /** A key with the scopes named, or with read and operate. */
    private String newKey(String name, String... scopes) {
        List<String> granted = scopes.length == 0 ? List.of("read", "operate") : List.of(scopes);
        return as(BOOTSTRAP).body("{\"name\": \"" + name + "\", \"scopes\": [\"" + String.join("\", \"", granted)
                + "\"]}").post("/admin/api-keys").then().statusCode(201).extract().jsonPath().getString("key");
    }

    private String idOf(String name) {
        return sql.column("SELECT id::text FROM lethe.api_keys WHERE name = ?", name).get(0).toString();
    }

    private OffsetDateTime lastUsed(String name) {
        Object value = sql.column("SELECT last_used_at FROM lethe.api_keys WHERE name = ?", name).get(0);
        return value == null ? null : ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
}
