package dev.lethe.demo.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.process.LocalProcess;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * The README's demo on a machine where nothing answers at its PostgreSQL and Redis addresses: the packaged demo
 * (target/demo) starts embedded servers, Lethe deletes the demo's rows on them, and SIGTERM leaves neither process
 * nor folder behind. The demo is pointed at two free ports instead of 5432 and 6379, so that the machine's own
 * servers, which other tests use, keep running.
 */
class EmbeddedDemoIT {

    private static final Pattern EMBEDDED = Pattern.compile("Demo: nothing answers as PostgreSQL at 127\\.0\\.0\\.1:"
            + "(\\d+) nor Redis at 127\\.0\\.0\\.1:(\\d+), so the demo runs on an embedded PostgreSQL.*? at"
            + " 127\\.0\\.0\\.1:(\\d+) and an embedded Redis at 127\\.0\\.0\\.1:(\\d+), in (\\S+) \\(removed at exit\\)");
    private static final Pattern DELETED = Pattern.compile("Demo, last 10 s: \\d+ rows written; ([1-9]\\d*) deleted");

    @Test
    void startsEmbeddedServersWhereNothingAnswersDeletesOnThemAndRemovesThemAtExit() {
        int postgres = LocalProcess.sparePort();
        int redis = LocalProcess.sparePort();
        try (ServiceProcess demo = ServiceProcess.start(Map.of(
                "quarkus.profile", "demo",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + postgres + "/lethe_demo",
                "quarkus.redis.hosts", "redis://127.0.0.1:" + redis))) {
            try {
                embeddedServersServeTheDemoAndGoAtExit(demo, postgres, redis);
            } finally {
                // SIGTERM, not the SIGKILL of close(): a killed demo leaves its embedded servers running.
                demo.stop();
            }
        }
    }

    private static void embeddedServersServeTheDemoAndGoAtExit(ServiceProcess demo, int postgres, int redis) {
        demo.awaitStarted(Duration.ofSeconds(90));
        Matcher line = EMBEDDED.matcher(demo.output());
        assertThat(line.find()).as("the one line about the embedded servers, in:\n%s", demo.output()).isTrue();
        assertThat(line.group(1)).isEqualTo(Integer.toString(postgres));
        assertThat(line.group(2)).isEqualTo(Integer.toString(redis));
        ServerAddress embeddedPostgres = loopback(line.group(3));
        ServerAddress embeddedRedis = loopback(line.group(4));
        Path folder = Path.of(line.group(5));
        assertThat(folder).isDirectory();

        LocalProcess.awaitUntil(Duration.ofSeconds(60), () -> DELETED.matcher(demo.output()).find(),
                "a summary with rows deleted");

        demo.terminate();
        demo.awaitExit(Duration.ofSeconds(60));
        assertThat(demo.output()).contains("Demo: stopped the embedded servers and removed " + folder);
        assertThat(Files.exists(folder)).as("the embedded servers' folder after exit").isFalse();
        assertThat(embeddedPostgres.answers()).as("the embedded PostgreSQL after exit").isFalse();
        assertThat(embeddedRedis.answers()).as("the embedded Redis after exit").isFalse();
    }

    private static ServerAddress loopback(String port) {
        return new ServerAddress(java.net.URI.create("tcp://127.0.0.1:" + port), "127.0.0.1", Integer.parseInt(port));
    }
}
