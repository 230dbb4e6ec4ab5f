package chat.caravan.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The chart rendered offline with several values files: lint, valid Kubernetes objects, and what they say. */
class ChartTest {

    static final Path CHART = Path.of("caravan").toAbsolutePath();

    @Test
    void lintPasses() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void theMonolithSendsEverythingToTheAllInOne() {
        List<Map<String, Object>> manifests = render("monolith.yaml");
        List<Deployment> deployments = typed(manifests, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactly("caravan-caravan-all-in-one");
        assertThat(deployments.get(0).getSpec().getReplicas()).isEqualTo(2);
        assertThat(image(deployments.get(0))).isEqualTo("caravan/all-in-one:0.1.0");
        assertThat(env(container(deployments.get(0))).get("HTTP_FORWARDED_COUNT").getValue())
                .as("behind the ingress controller, its X-Forwarded-For entry is the client").isEqualTo("1");
        Ingress ingress = typed(manifests, Ingress.class).get(0);
        assertThat(backends(ingress)).containsEntry("/websocket", "caravan-caravan-all-in-one")
                .containsEntry("/sockjs", "caravan-caravan-all-in-one").containsEntry("/", "caravan-caravan-all-in-one");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("chat-tls");
        assertThat(kinds(manifests)).contains("StatefulSet", "Job", "Secret", "PodDisruptionBudget");
    }

    @Test
    void microservicesSendRealtimeToDdpStreamerAndTheRestToCore() {
        List<Map<String, Object>> manifests = render("microservices.yaml");
        List<Deployment> deployments = typed(manifests, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder(
                "caravan-caravan-core", "caravan-caravan-accounts", "caravan-caravan-authorization",
                "caravan-caravan-presence", "caravan-caravan-ddp-streamer", "caravan-caravan-stream-hub");
        assertThat(replicas(deployments, "core")).isEqualTo(3);
        assertThat(replicas(deployments, "ddp-streamer")).isEqualTo(4);
        assertThat(replicas(deployments, "accounts")).isEqualTo(2);
        assertThat(replicas(deployments, "stream-hub")).isEqualTo(2);
        assertThat(deployment(deployments, "ddp-streamer").getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry("pool", "realtime");

        Ingress ingress = typed(manifests, Ingress.class).get(0);
        assertThat(backends(ingress)).containsEntry("/websocket", "caravan-caravan-ddp-streamer")
                .containsEntry("/sockjs", "caravan-caravan-ddp-streamer").containsEntry("/", "caravan-caravan-core");
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("chat.example.org");

        for (Deployment deployment : deployments) {
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, EnvVar> env = env(container);
            assertThat(env).as(deployment.getMetadata().getName()).containsKeys("MONGO_URL", "TRANSPORTER", "INSTANCE_IP", "PORT");
            assertThat(env.get("MONGO_URL").getValue()).contains("replicaSet=rs0");
            assertThat(env.get("TRANSPORTER").getValue()).startsWith("nats://");
            assertThat(env.get("INSTANCE_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        }
        assertThat(env(container(deployment(deployments, "presence")))).containsKey("CARAVAN_PRESENCE_INSTANCE_TIMEOUT");

        List<String> budgets = names(manifests, "PodDisruptionBudget");
        assertThat(budgets).contains("caravan-caravan-core", "caravan-caravan-ddp-streamer", "caravan-caravan-accounts")
                .doesNotContain("caravan-caravan-stream-hub");
        assertThat(names(manifests, "HorizontalPodAutoscaler")).containsExactly("caravan-caravan-ddp-streamer");
        assertThat(kinds(manifests)).contains("ServiceMonitor");

        Deployment core = deployment(deployments, "core");
        assertThat(env(container(core)).get("CARAVAN_ROUTES_DIR").getValue()).isEqualTo("/opt/caravan/routes");
        assertThat(container(core).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("routes");
            assertThat(m.getMountPath()).isEqualTo("/opt/caravan/routes");
        });
        assertThat(core.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("routes"))
                .findFirst().orElseThrow().getConfigMap().getName()).isEqualTo("caravan-caravan-core-routes");
        Map<String, Object> configMap = manifests.stream().filter(m -> "ConfigMap".equals(m.get("kind"))).findFirst().orElseThrow();
        assertThat(((Map<?, ?>) configMap.get("data")).keySet().stream().map(String::valueOf).toList()).containsExactly("core__custom.yaml");
        assertThat(env(container(deployment(deployments, "accounts")))).doesNotContainKey("CARAVAN_ROUTES_DIR");
    }

    @Test
    void externalMongodbAndNatsReplaceTheBundledOnes() {
        List<Map<String, Object>> manifests = render("external.yaml");
        assertThat(kinds(manifests)).doesNotContain("StatefulSet", "Job");
        for (Deployment deployment : typed(manifests, Deployment.class)) {
            Map<String, EnvVar> env = env(container(deployment));
            assertThat(env.get("MONGO_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("caravan-db");
            assertThat(env.get("TRANSPORTER").getValue()).isEqualTo("nats://nats.infra:4222");
            assertThat(env.get("ADMIN_PASS").getValueFrom().getSecretKeyRef().getName()).isEqualTo("caravan-admin");
        }
    }

    @Test
    void everyRenderedObjectIsAValidKubernetesObject() {
        for (String values : List.of("monolith.yaml", "microservices.yaml", "external.yaml", "official-microservices.yaml",
                "embedded.yaml")) {
            for (Map<String, Object> manifest : render(values, "podMonitor.requireApi=false")) {
                if ("ServiceMonitor".equals(manifest.get("kind")) || "PodMonitor".equals(manifest.get("kind"))) {
                    assertThat(manifest.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
                    continue;
                }
                HasMetadata object = Serialization.unmarshal(Serialization.asJson(manifest));
                assertThat(object.getClass().getPackageName()).as(manifest.get("kind") + " is a known API type")
                        .startsWith("io.fabric8.kubernetes.api.model");
                assertThat(unknownFields(object)).as(values + ": fields the " + manifest.get("kind") + " API does not have")
                        .isEmpty();
            }
        }
    }

    @Test
    void theValidationNoticesFieldsKubernetesDoesNotHave() {
        Map<String, Object> bogus = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "x"), "spec", Map.of("replicas", 1, "replicaz", 2));
        HasMetadata object = Serialization.unmarshal(Serialization.asJson(bogus));
        assertThat(unknownFields(object)).singleElement().asString().contains("replicaz");
    }

    static List<Map<String, Object>> render(String valuesFile, String... sets) {
        return parse(template(valuesFile == null ? null : Path.of("src/test/resources/values", valuesFile), sets));
    }

    /** helm template with a values file (or none) and --set key=value pairs. */
    static String template(Path valuesFile, String... sets) {
        TemplateCommand command = new Helm(CHART).template().withName("caravan");
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile.toAbsolutePath());
        }
        for (String set : sets) {
            int equals = set.indexOf('=');
            command = command.set(set.substring(0, equals), set.substring(equals + 1));
        }
        return command.call();
    }

    /** The message helm fails with, or a test failure when it renders. */
    static String failure(Path valuesFile, String... sets) {
        try {
            template(valuesFile, sets);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("rendered without an error: " + List.of(sets));
    }

    static List<Map<String, Object>> parse(String rendered) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document instanceof Map<?, ?> map && !map.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> manifest = (Map<String, Object>) map;
                manifests.add(manifest);
            }
        }
        return manifests;
    }

    static <T extends HasMetadata> List<T> typed(List<Map<String, Object>> manifests, Class<T> type) {
        String kind = type.getSimpleName();
        return manifests.stream().filter(m -> kind.equals(m.get("kind")))
                .map(m -> Serialization.unmarshal(Serialization.asJson(m), type)).toList();
    }

    static List<String> kinds(List<Map<String, Object>> manifests) {
        return manifests.stream().map(m -> String.valueOf(m.get("kind"))).toList();
    }

    static List<String> names(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind")))
                .map(m -> String.valueOf(((Map<?, ?>) m.get("metadata")).get("name"))).toList();
    }

    static Map<String, String> backends(Ingress ingress) {
        Map<String, String> backends = new java.util.LinkedHashMap<>();
        for (HTTPIngressPath path : ingress.getSpec().getRules().get(0).getHttp().getPaths()) {
            backends.put(path.getPath(), path.getBackend().getService().getName());
        }
        return backends;
    }

    static Deployment deployment(List<Deployment> deployments, String component) {
        return deployments.stream().filter(d -> d.getMetadata().getName().endsWith("-" + component)).findFirst().orElseThrow();
    }

    static int replicas(List<Deployment> deployments, String component) {
        return deployment(deployments, component).getSpec().getReplicas();
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static String image(Deployment deployment) {
        return container(deployment).getImage();
    }

    static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new java.util.LinkedHashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e));
        return env;
    }

    /** Fields the typed model did not recognise (fabric8 keeps them aside as "additional properties"). */
    static List<String> unknownFields(Object root) {
        List<String> unknown = new ArrayList<>();
        walk(root, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return unknown;
    }

    private static void walk(Object node, String path, List<String> unknown, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> walk(item, path + "[]", unknown, seen));
            return;
        }
        if (node instanceof Map<?, ?> || !node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = method.invoke(node);
                if (method.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + " " + extra.keySet());
                    }
                } else {
                    walk(value, path + "." + method.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                // not a property
            }
        }
    }
}
