package dev.lethe.testsupport.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lethe.testsupport.client.Prometheus;

/**
 * The packaged service (target/quarkus-app) running as a separate process, as users run it: for tests that need a
 * real process to start, fail, be killed, or run beside another instance.
 */
public final class ServiceProcess extends LocalProcess {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final List<String> jvmOptions;
    private final Map<String, String> properties;
    private final int managementPort;

    private ServiceProcess(List<String> jvmOptions, Map<String, String> properties) {
        super("service");
        this.jvmOptions = jvmOptions;
        this.properties = properties;
        this.managementPort = Integer.parseInt(properties.computeIfAbsent("quarkus.management.port",
                name -> Integer.toString(sparePort())));
        // Text, as the tests read it; JsonLogsIT asks for production's JSON.
        properties.putIfAbsent("quarkus.log.console.json.enabled", "false");
    }

    /** Starts the packaged service with these system properties (HTTP on a random port unless given). */
    public static ServiceProcess start(Map<String, String> properties) {
        return start(List.of(), properties);
    }

    /**
     * Starts the packaged service with JVM options and system properties, without waiting for it: a test may expect
     * it to fail. With the system property {@code lethe.it.executable} set (for example to
     * target/lethe-0.2.0-runner after a native build), that executable runs instead of the jar, so that the
     * same tests verify a native build.
     */
    public static ServiceProcess start(List<String> jvmOptions, Map<String, String> properties) {
        ServiceProcess service = new ServiceProcess(List.copyOf(jvmOptions), new LinkedHashMap<>(properties));
        service.spawn();
        return service;
    }

    @Override
    protected List<String> command() {
        List<String> systemProperties = new ArrayList<>();
        systemProperties.add("-Dquarkus.http.port=" + properties.getOrDefault("quarkus.http.port", "0"));
        properties.forEach((key, value) -> systemProperties.add("-D" + key + "=" + value));
        List<String> command = new ArrayList<>();
        String executable = System.getProperty("lethe.it.executable", "");
        if (executable.isEmpty()) {
            // The demo's build (mvn -Pdemo) has a folder of its own, which its failsafe run names here.
            Path jar = Path.of(System.getProperty("lethe.it.jar", "target/quarkus-app/quarkus-run.jar"));
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
        return command;
    }

    /** Whether startup completed: the HTTP port is known. */
    @Override
    protected boolean answers() {
        return port() >= 0;
    }

    @Override
    protected Duration startupTime() {
        return Duration.ofSeconds(60);
    }

    /** Waits until the HTTP port is known, i.e. startup completed. */
    public ServiceProcess awaitStarted(Duration timeout) {
        awaitAnswer(timeout);
        return this;
    }

    private int port() {
        Matcher matcher = LISTENING.matcher(output());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** Where the admin API answers. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Where health and metrics answer: the management port. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The service's /q/metrics, parsed. */
    public Prometheus metrics() {
        return Prometheus.parse(metricsText());
    }

    /** The service's /q/metrics as Prometheus text. */
    public String metricsText() {
        return get("/q/metrics");
    }

    /** The status code of a GET on the management port (health, metrics), or -1 when nothing answers. */
    public int status(String path) {
        return status(path, Duration.ofSeconds(10));
    }

    /** The status code of a GET, or -1 when nothing answers within the timeout, as a probe sees it. */
    public int status(String path, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + path)).timeout(timeout).build(),
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
            return HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the service printed so far. Read from its log file, not a pipe: a pipe read from inside the test JVM lost
     * the lines written during shutdown.
     */
    public String output() {
        return readLog();
    }
}
