package dev.lethe.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Management;
import dev.lethe.testsupport.process.LocalProcess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The Kubernetes manifests are checked against the running service, not by eye: every probe, port and path they
 * name is one the service serves, and every metric their alerts and dashboard query is one it publishes.
 */
@QuarkusTest
@TestProfile(ManifestsTest.Profile.class)
class ManifestsTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected Map<String, String> config() {
            return Map.of("lethe.targets.message.table", "Message", "lethe.sweep.every", "1h");
        }
    }

    private static final Path K8S = Path.of("k8s");
    private static final Pattern METRIC = Pattern.compile("\\b(lethe_[a-z0-9_]+)\\b");
    /** Series Prometheus itself adds to every target. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final List<JsonNode> documents = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        ObjectReader yaml = new ObjectMapper(new YAMLFactory()).reader();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = yaml.createParser(file.toFile())) {
                    yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
                }
            }
        }
        assertThat(documents).as("YAML documents under k8s/").hasSizeGreaterThan(8);
    }

    @Test
    void probesPointAtHealthEndpointsTheManagementPortServes() {
        JsonNode container = container();
        assertThat(containerPort(container, "http")).as("the admin API's port is the one the service listens on")
                .isEqualTo(productionPort("quarkus.http.port", 8080));
        assertThat(containerPort(container, "management")).as("health and metrics are on the management port")
                .isEqualTo(productionPort("quarkus.management.port", 9000));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("port").asText()).as(probe + " port").isEqualTo("management");
            String path = get.path("path").asText();
            int status = Management.given().get(path).then().extract().statusCode();
            assertThat(status).as(probe + " " + path).isIn(200, 503);
            assertThat(Management.given().get(path).then().extract().jsonPath().getString("status"))
                    .as(probe + " " + path).isIn("UP", "DOWN");
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void scrapeSettingsPointAtTheMetricsEndpoint() {
        JsonNode template = deployment().path("spec").path("template");
        JsonNode annotations = template.path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asInt()).isEqualTo(containerPort(container(), "management"));
        String path = annotations.path("prometheus.io/path").asText();
        assertThat(Management.given().get(path).then().statusCode(200).extract().asString())
                .contains("# TYPE lethe_");

        JsonNode service = only("Service");
        JsonNode servicePort = null;
        for (JsonNode port : service.path("spec").path("ports")) {
            if ("management".equals(port.path("targetPort").asText())) {
                servicePort = port;
            }
        }
        assertThat(servicePort).as("the Service exposes the management port").isNotNull();
        JsonNode endpoint = only("ServiceMonitor").path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo(servicePort.path("name").asText());
        assertThat(endpoint.path("path").asText()).isEqualTo(path);
        assertThat(only("ServiceMonitor").path("spec").path("selector").path("matchLabels").path(
                "app.kubernetes.io/name").asText()).isEqualTo("lethe");
    }

    /**
     * What a new user applies, as kustomize renders it: the admin API admits only pods labelled lethe-admin, metrics
     * and health only the monitoring namespace; no rule admits everyone; and no Secret, whose example values would
     * overwrite the real ones at every apply.
     */
    @Test
    void theRenderedPolicyAdmitsLabelledPodsToTheAdminApiAndMonitoringToMetrics() throws IOException {
        Assumptions.assumeTrue(LocalProcess.onPath("kubectl"), "kubectl is not installed here");
        List<JsonNode> rendered = new ArrayList<>();
        ObjectReader yaml = new ObjectMapper(new YAMLFactory()).reader();
        try (var parser = yaml.createParser(LocalProcess.run(List.of("kubectl", "kustomize", "k8s")))) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(rendered::add);
        }
        assertThat(rendered).extracting(d -> d.path("kind").asText()).doesNotContain("Secret");
        JsonNode policy = rendered.stream().filter(d -> "NetworkPolicy".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        Map<Integer, JsonNode> fromByPort = new java.util.HashMap<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            assertThat(rule.path("from").isEmpty()).as("an ingress rule that admits everyone: " + rule).isFalse();
            rule.path("ports").forEach(port -> fromByPort.put(port.path("port").asInt(), rule.path("from")));
        }
        assertThat(fromByPort.keySet()).containsExactlyInAnyOrder(8080, 9000);
        assertThat(fromByPort.get(8080).toString()).isEqualTo("[{\"podSelector\":{\"matchLabels\":"
                + "{\"lethe-admin\":\"true\"}}}]");
        assertThat(fromByPort.get(9000).toString()).isEqualTo("[{\"namespaceSelector\":{\"matchLabels\":"
                + "{\"kubernetes.io/metadata.name\":\"monitoring\"}}}]");
    }

    @Test
    void everyMetricInAlertsAndDashboardIsOneTheServicePublishes() throws IOException {
        Set<String> published = publishedSeries();
        Set<String> queried = new HashSet<>();
        for (JsonNode group : only("PrometheusRule").path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queried.addAll(metrics(rule.path("expr").asText()));
            }
        }
        JsonNode dashboard = new ObjectMapper().readTree(
                K8S.resolve("components/prometheus-operator/lethe-dashboard.json").toFile());
        dashboard.findValues("expr").forEach(expr -> queried.addAll(metrics(expr.asText())));
        dashboard.findValues("definition").forEach(query -> queried.addAll(metrics(query.asText())));

        assertThat(queried).as("metrics the alerts and the dashboard query").hasSizeGreaterThan(8);
        assertThat(published).as("series the running service publishes").containsAll(queried);
        assertThat(only("PrometheusRule").toString()).contains("up{job=\\\"lethe\\\"}");
    }

    @Test
    void dashboardCoversWhatOperatorsLookAt() throws IOException {
        String dashboard = Files.readString(K8S.resolve("components/prometheus-operator/lethe-dashboard.json"));
        assertThat(dashboard).contains("lethe_delete_lag_seconds_bucket", "lethe_rows_deleted_total",
                "lethe_backlog_rows", "lethe_redis_subscribed", "lethe_database_errors_total", "lethe_outbox_rows",
                "lethe_blob_delete_failures_total");
    }

    @Test
    void kustomizeRendersTheBaseAndTheOperatorOverlay() {
        Assumptions.assumeTrue(LocalProcess.onPath("kubectl"), "kubectl is not installed here");
        for (String root : List.of("k8s", "k8s/overlays/prometheus-operator")) {
            String output = LocalProcess.run(List.of("kubectl", "kustomize", root));
            assertThat(output).contains("kind: Deployment", "kind: NetworkPolicy", "kind: PodDisruptionBudget");
        }
    }

    /** The metric table operators read: docs/operations.md, section Metrics. */
    @Test
    void theOperationsGuidesMetricTableNamesExactlyTheSeriesTheServicePublishes() throws IOException {
        String guide = Files.readString(Path.of("docs", "operations.md"));
        int start = guide.indexOf("\n## Metrics\n");
        assertThat(start).as("a section '## Metrics' in docs/operations.md").isNotNegative();
        int end = guide.indexOf("\n## ", start + 1);
        Set<String> documented = new HashSet<>();
        for (String line : guide.substring(start, end < 0 ? guide.length() : end).split("\n")) {
            if (line.startsWith("| `lethe_")) {
                Matcher name = METRIC.matcher(line.substring(0, line.indexOf('|', 1)));
                while (name.find()) {
                    documented.add(name.group(1));
                }
            }
        }
        Set<String> published = new HashSet<>();
        for (String series : publishedSeries()) {
            if (series.startsWith("lethe_")) {
                // A histogram or timer is documented once, by its family name.
                String family = series.replaceAll("_(bucket|count|sum|max)$", "");
                published.add(documented.contains(series) ? series : family);
            }
        }
        assertThat(published).as("series the service publishes").isEqualTo(documented);
    }

    /** A port as application.properties sets it for production, or Quarkus' default. */
    private static int productionPort(String property, int quarkusDefault) {
        try {
            for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
                String trimmed = line.trim();
                if (trimmed.startsWith(property + "=") || trimmed.startsWith("%prod." + property + "=")) {
                    return Integer.parseInt(trimmed.substring(trimmed.indexOf('=') + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return quarkusDefault;
    }

    private static Set<String> publishedSeries() {
        Set<String> names = new HashSet<>(PROMETHEUS_OWN);
        for (String line : Management.given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                names.add(line.substring(0, end));
            }
        }
        return names;
    }

    private static Set<String> metrics(String expression) {
        Set<String> names = new HashSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        if (expression.contains("up{")) {
            names.add("up");
        }
        return names;
    }

    private static JsonNode deployment() {
        return only("Deployment");
    }

    private static JsonNode container() {
        return deployment().path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    private static JsonNode only(String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as("manifests of kind " + kind).hasSize(1);
        return found.get(0);
    }
}
