package dev.lethe.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Prometheus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AdminRateLimitTest.Profile.class)
class AdminRateLimitTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected Map<String, String> config() {
            return Map.of(
                    "lethe.admin.bootstrap-key", AdminApiTest.BOOTSTRAP,
                    "lethe.admin.failures-per-minute", "3",
                    "lethe.admin.total-failures-per-minute", "5",
                    "lethe.targets.message.table", "Message");
        }
    }

    @Test
    void guessingIsSlowedThenStoppedWhileAValidKeyAlwaysGetsThrough() {
        long[] millis = new long[3];
        for (int attempt = 0; attempt < 3; attempt++) {
            long start = System.nanoTime();
            given().header("Authorization", "Bearer lethe_guess" + attempt).get("/admin/targets")
                    .then().statusCode(401);
            millis[attempt] = (System.nanoTime() - start) / 1_000_000;
        }
        assertThat(millis[2]).as("each failure answers later than the one before").isGreaterThanOrEqualTo(300);

        String retryAfter = given().header("Authorization", "Bearer lethe_guess3").get("/admin/targets")
                .then().statusCode(429).extract().header("Retry-After");
        assertThat(Integer.parseInt(retryAfter)).as("the guesser waits out the minute").isPositive();
        // A valid key from the same address.
        given().header("Authorization", "Bearer " + AdminApiTest.BOOTSTRAP).get("/admin/api-keys")
                .then().statusCode(200);
        given().header("Authorization", "Bearer lethe_guess4").get("/admin/targets").then().statusCode(429);
        // A valid key, while everyone together is beyond the total.
        given().header("Authorization", "Bearer " + AdminApiTest.BOOTSTRAP).get("/admin/api-keys")
                .then().statusCode(200);

        assertThat(Prometheus.scrape().value("lethe_admin_auth_failures_total", "result", "rejected")).isEqualTo(3);
        assertThat(Prometheus.scrape().value("lethe_admin_auth_failures_total", "result", "limited")).isEqualTo(2);
    }
}
