package chat.caravan.helm;

import static chat.caravan.helm.ChartTest.container;
import static chat.caravan.helm.ChartTest.deployment;
import static chat.caravan.helm.ChartTest.env;
import static chat.caravan.helm.ChartTest.failure;
import static chat.caravan.helm.ChartTest.kinds;
import static chat.caravan.helm.ChartTest.render;
import static chat.caravan.helm.ChartTest.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ConfigMap (its JSON parses and queries only metrics Caravan serves: config/metrics.txt, which
 * the scrape test in integration-tests checks against a live /metrics), the metrics port and the log format.
 */
class ObservabilityChartTest {

    /** The metric families Caravan serves, as the scrape test asserts them. */
    static final Path METRIC_NAMES = Path.of("..", "config", "metrics.txt");
    private static final Pattern METRIC = Pattern.compile("\\b((?:caravan|camel|jvm|process)_[a-zA-Z0-9_]+)");
    private static final Pattern SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");

    @Test
    void theDashboardConfigMapIsOffByDefault() {
        assertThat(kinds(render("monolith.yaml"))).doesNotContain("ConfigMap");
    }

    @Test
    void theDashboardConfigMapCarriesTheSidecarLabelAndAParsableDashboard() throws IOException {
        Map<String, Object> configMap = dashboardConfigMap(render("microservices.yaml", "metrics.grafanaDashboard.enabled=true"));
        Map<?, ?> metadata = (Map<?, ?>) configMap.get("metadata");
        assertThat(((Map<?, ?>) metadata.get("labels")).get("grafana_dashboard")).isEqualTo("1");
        JsonNode dashboard = new ObjectMapper().readTree(String.valueOf(((Map<?, ?>) configMap.get("data")).get("caravan.json")));
        assertThat(dashboard.path("title").asText()).isEqualTo("Caravan");
        assertThat(dashboard.path("uid").asText()).isEqualTo("caravan-overview");
        List<String> expressions = expressions(dashboard);
        assertThat(expressions).hasSizeGreaterThan(20);

        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                queried.add(SUFFIX.matcher(matcher.group(1)).replaceAll(""));
            }
        }
        Set<String> served = servedFamilies();
        assertThat(served).as("every metric the dashboard queries is one Caravan serves (config/metrics.txt)")
                .containsAll(queried);
        assertThat(queried).as("the dashboard has a panel for each of Caravan's metrics")
                .containsAll(served.stream().filter(name -> name.startsWith("caravan_")).toList());
    }

    @Test
    void dashboardLabelsNamespaceAndAnnotationsAreTheOperators() {
        Map<String, Object> configMap = dashboardConfigMap(render("monolith.yaml", "metrics.grafanaDashboard.enabled=true",
                "metrics.grafanaDashboard.namespace=monitoring", "metrics.grafanaDashboard.annotations.grafana_folder=Chat",
                "metrics.grafanaDashboard.labels.team=chat"));
        Map<?, ?> metadata = (Map<?, ?>) configMap.get("metadata");
        assertThat(metadata.get("namespace")).isEqualTo("monitoring");
        assertThat(((Map<?, ?>) metadata.get("annotations")).get("grafana_folder")).isEqualTo("Chat");
        @SuppressWarnings("unchecked")
        Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
        assertThat(labels).containsEntry("team", "chat").containsEntry("grafana_dashboard", "1");
        assertThat(failure(null, "metrics.grafanaDashboard.enabeld=true")).contains("enabeld");
    }

    @Test
    void aMetricsPortMovesMetricsOffTheHttpPortEverywhere() {
        List<Map<String, Object>> manifests = render("microservices.yaml", "metrics.port=9458",
                "metrics.serviceMonitor.enabled=true", "podMonitor.enabled=true", "podMonitor.requireApi=false");
        for (Deployment deployment : typed(manifests, Deployment.class)) {
            Map<String, EnvVar> env = env(container(deployment));
            assertThat(env.get("CARAVAN_METRICS_PORT").getValue()).as(deployment.getMetadata().getName()).isEqualTo("9458");
            assertThat(container(deployment).getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .contains(org.assertj.core.groups.Tuple.tuple("metrics", 9458));
        }
        for (Service service : typed(manifests, Service.class)) {
            if (service.getMetadata().getName().contains("nats") || service.getMetadata().getName().contains("mongodb")) {
                continue;
            }
            assertThat(service.getSpec().getPorts()).as(service.getMetadata().getName())
                    .anySatisfy(port -> assertThat(port.getName()).isEqualTo("metrics"));
        }
        for (Map<String, Object> manifest : manifests) {
            if ("ServiceMonitor".equals(manifest.get("kind")) || "PodMonitor".equals(manifest.get("kind"))) {
                assertThat(Serialization.asJson(manifest)).as(String.valueOf(manifest.get("kind")))
                        .contains("\"port\":\"metrics\"").doesNotContain("\"port\":\"http\"");
            }
        }
        assertThat(failure(null, "metrics.port=-1")).contains("metrics.port");
    }

    @Test
    void byDefaultMetricsStayOnTheHttpPortAndLogsArePlain() {
        List<Map<String, Object>> manifests = render("microservices.yaml", "podMonitor.enabled=true", "podMonitor.requireApi=false");
        for (Deployment deployment : typed(manifests, Deployment.class)) {
            assertThat(env(container(deployment))).doesNotContainKeys("CARAVAN_METRICS_PORT", "LOG_FORMAT", "CARAVAN_METRICS_ENABLED");
        }
        Map<String, Object> podMonitor = manifests.stream().filter(m -> "PodMonitor".equals(m.get("kind"))).findFirst().orElseThrow();
        assertThat(Serialization.asJson(podMonitor)).contains("\"port\":\"http\"");
    }

    @Test
    void logFormatJsonAndMetricsOffReachEveryPod() {
        List<Map<String, Object>> manifests = render("microservices.yaml", "microservices.logFormat=json", "metrics.enabled=false");
        List<Deployment> deployments = typed(manifests, Deployment.class);
        assertThat(deployments).hasSize(6);
        for (Deployment deployment : deployments) {
            Map<String, EnvVar> env = env(container(deployment));
            assertThat(env.get("LOG_FORMAT").getValue()).isEqualTo("json");
            assertThat(env.get("CARAVAN_METRICS_ENABLED").getValue()).isEqualTo("false");
        }
        assertThat(env(container(deployment(deployments, "core")))).containsKey("LOG_FORMAT");
        assertThat(failure(null, "microservices.logFormat=yaml")).contains("logFormat");
    }

    static Set<String> servedFamilies() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(METRIC_NAMES)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static Map<String, Object> dashboardConfigMap(List<Map<String, Object>> manifests) {
        return manifests.stream().filter(m -> "ConfigMap".equals(m.get("kind")))
                .filter(m -> String.valueOf(((Map<?, ?>) m.get("metadata")).get("name")).endsWith("-grafana-dashboard"))
                .findFirst().orElseThrow();
    }

    /** Every PromQL query of the dashboard: panel targets (rows included) and query variables. */
    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
            panel.path("panels").forEach(inner -> inner.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                expressions.add(variable.path("definition").asText());
            }
        }
        return expressions;
    }
}
