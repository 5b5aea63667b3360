package dev.lethe.testsupport.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * A real S3-API server of the test's own: Adobe's S3Mock (its executable jar, which the build copies to
 * target/s3mock) as a separate process on a spare loopback port, with one bucket. Its files live in a directory
 * that survives a restart, so that a test can take the server away and bring it back as an outage would.
 */
public final class S3Server extends LocalProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path JAR = Path.of("target", "s3mock", "s3mock.jar");

    private final int port = sparePort();
    private final String bucket;

    private S3Server(String bucket) {
        super("s3");
        this.bucket = bucket;
    }

    public static S3Server launch(String bucket) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the build copies it (mvn generate-test-resources)");
        }
        S3Server server = new S3Server(bucket);
        server.start();
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String bucket() {
        return bucket;
    }

    /** The quarkus.s3.* settings that point the S3 client at this server, and the bucket. */
    public Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.s3.endpoint-override", endpoint());
        config.put("quarkus.s3.path-style-access", "true");
        config.put("quarkus.s3.aws.region", "us-east-1");
        config.put("quarkus.s3.aws.credentials.type", "static");
        config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", "lethe-test");
        config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", "lethe-test-secret");
        config.put("lethe.blobs.bucket", bucket);
        return config;
    }

    @Override
    protected List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString(),
                "--http.port=" + port, "--server.port=0", "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                "--com.adobe.testing.s3mock.store.root=" + directory.resolve("data"),
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                "--logging.level.root=WARN", "--spring.main.banner-mode=off");
    }

    @Override
    protected boolean answers() {
        return status("GET", "") == 200;
    }

    @Override
    protected Duration startupTime() {
        return Duration.ofSeconds(90);
    }

    /** Stops the server as an outage would: killed, with no shutdown of its own; its files stay for the next start. */
    @Override
    public synchronized void stop() {
        kill();
    }

    public void put(String key, String content) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(object(key))
                    .PUT(HttpRequest.BodyPublishers.ofString(content)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PUT " + key + " answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the object is there. S3Mock answers a HEAD with 500 now and then while a DeleteObjects of the same key
     * is under way; the question is asked again until it gets a real answer.
     */
    public boolean exists(String key) {
        int[] status = new int[1];
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    status[0] = status("HEAD", key);
                    return status[0] < 500;
                });
        if (status[0] != 200 && status[0] != 404) {
            throw new IllegalStateException("HEAD " + key + " answered " + status[0]);
        }
        return status[0] == 200;
    }

    private URI object(String key) {
        return URI.create(endpoint() + "/" + bucket + "/" + key);
    }

    private int status(String method, String key) {
        try {
            URI uri = key.isEmpty() ? URI.create(endpoint() + "/" + bucket) : object(key);
            return HTTP.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
