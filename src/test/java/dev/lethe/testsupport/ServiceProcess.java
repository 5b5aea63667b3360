package dev.lethe.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service (target/quarkus-app) running as a separate process, as users run it: for tests that need a
 * real process to start, fail, be killed, or run beside another instance.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the packaged service with these system properties (HTTP on a random port unless given). */
    public static ServiceProcess start(Map<String, String> properties) {
        return start(List.of(), properties);
    }

    /**
     * Starts the packaged service with JVM options and system properties. With the system property
     * {@code lethe.it.executable} set (for example to target/lethe-0.1.0-SNAPSHOT-runner after a native build), that
     * executable runs instead of the jar, so that the same tests verify a native build.
     */
    public static ServiceProcess start(List<String> jvmOptions, Map<String, String> properties) {
        List<String> systemProperties = new ArrayList<>();
        systemProperties.add("-Dquarkus.http.port=" + properties.getOrDefault("quarkus.http.port", "0"));
        properties.forEach((key, value) -> systemProperties.add("-D" + key + "=" + value));
        List<String> command = new ArrayList<>();
        String executable = System.getProperty("lethe.it.executable", "");
        if (executable.isEmpty()) {
            Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: run the package phase first");
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(systemProperties);
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add(executable);
            command.addAll(systemProperties);
        }
        try {
            // To a file, not a pipe: a pipe read from inside the test JVM lost the lines written during shutdown.
            Path log = Files.createTempFile("lethe-service-", ".log");
            return new ServiceProcess(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start(), log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int port() {
        Matcher matcher = LISTENING.matcher(output());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** Waits until the HTTP port is known, i.e. startup completed. */
    public ServiceProcess awaitStarted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port() < 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not start:\n" + output());
            }
            sleep(50);
        }
        return this;
    }

    /** Waits for the process to end and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the service is still running:\n" + output());
            }
            sleep(100);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The service's /q/metrics, parsed. */
    public Prometheus metrics() {
        return Prometheus.parse(metricsText());
    }

    /** The service's /q/metrics as Prometheus text. */
    public String metricsText() {
        return get("/q/metrics");
    }

    /** The status code of a GET, or -1 when nothing answers. */
    public int status(String path) {
        return status(path, Duration.ofSeconds(10));
    }

    /** The status code of a GET, or -1 when nothing answers within the timeout, as a probe sees it. */
    public int status(String path, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes stops a pod. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
