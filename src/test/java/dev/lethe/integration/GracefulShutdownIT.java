package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * SIGTERM in the middle of a burst, as Kubernetes stops a pod: the service stops taking keys, finishes what it
 * holds, and exits well inside terminationGracePeriodSeconds.
 */
class GracefulShutdownIT {

    private static final String DATABASE = "lethe_it_shutdown";
    private static final int ROWS = 150_000;
    private static final Pattern STOPPED =
            Pattern.compile("Lethe stopped in (\\d+) ms: flushed (\\d+) of the \\d+ ids");

    private static Sql sql;

    @BeforeAll
    static void createTable() {
        sql = Sql.createDatabase(DATABASE);
        sql.execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3))");
    }

    @AfterAll
    static void dropDatabase() {
        Sql.dropDatabase(DATABASE);
    }

    @Test
    void sigtermFlushesWhatTheServiceHoldsAndExitsInTime() throws Exception {
        String prefix = "it-shutdown-" + UUID.randomUUID();
        sql.execute("INSERT INTO \"Message\" SELECT gen_random_uuid(), now() AT TIME ZONE 'UTC' - interval '1 second'"
                + " FROM generate_series(1, " + ROWS + ")");
        List<String> keys = sql.column("SELECT \"id\" FROM \"Message\"").stream()
                .map(id -> prefix + ":message:" + id).toList();
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE,
                "lethe.key-prefix", prefix,
                "lethe.targets.message.table", "Message",
                // Only events delete here, so that what the shutdown flushes is what the events brought.
                "lethe.sweep.every", "1h",
                "lethe.sweep.lookahead", "0s"));
                Keys writer = Keys.connect("redis://127.0.0.1:6379", prefix)) {
            service.awaitStarted(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            writer.expireIn(keys, Duration.ofMillis(300));
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> sql.count("SELECT count(*) FROM \"Message\"") < ROWS);

            long sigterm = System.nanoTime();
            service.terminate();
            boolean sawNotReady = false;
            while (service.isRunning() && !sawNotReady) {
                try {
                    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                            URI.create(service.managementUrl() + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    sawNotReady = ready.statusCode() == 503;
                } catch (java.io.IOException closed) {
                    sawNotReady = true;
                }
            }
            service.awaitExit(Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - sigterm) / 1e9;

            Matcher stopped = STOPPED.matcher(service.output());
            assertThat(stopped.find()).as(service.output()).isTrue();
            long remaining = sql.count("SELECT count(*) FROM \"Message\"");
            System.out.printf("Shutdown: exited %.2f s after SIGTERM; drain %s ms, %s held ids flushed; %d of %d rows"
                    + " left for the sweep (keys that expired after the unsubscribe)%n", seconds, stopped.group(1),
                    stopped.group(2), remaining, ROWS);
            assertThat(sawNotReady).as("readiness is DOWN (or the port closed) while stopping").isTrue();
            assertThat(seconds).as("well inside a 30 s terminationGracePeriodSeconds").isLessThan(15);
        }
    }
}
