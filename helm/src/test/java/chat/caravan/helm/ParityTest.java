package chat.caravan.helm;

import static chat.caravan.helm.ChartTest.container;
import static chat.caravan.helm.ChartTest.deployment;
import static chat.caravan.helm.ChartTest.env;
import static chat.caravan.helm.ChartTest.failure;
import static chat.caravan.helm.ChartTest.kinds;
import static chat.caravan.helm.ChartTest.names;
import static chat.caravan.helm.ChartTest.parse;
import static chat.caravan.helm.ChartTest.render;
import static chat.caravan.helm.ChartTest.replicas;
import static chat.caravan.helm.ChartTest.template;
import static chat.caravan.helm.ChartTest.typed;
import static chat.caravan.helm.ChartTest.unknownFields;
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

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The official Rocket.Chat chart's value paths, the values schema, and the operator features (probes, budgets,
 * persistence, MongoDB authentication) as they show in the rendered objects.
 */
class ParityTest {

    private static final String[] COMPONENTS = {"core", "accounts", "authorization", "presence", "ddp-streamer", "stream-hub"};

    @Test
    void theOfficialChartsMicroservicesValuesRenderAWorkingCaravan() throws IOException {
        List<Map<String, Object>> manifests = render("official-microservices.yaml");
        assertWired(renderWithHooks("official-microservices.yaml"), Set.of());
        List<Deployment> deployments = typed(manifests, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName().replace("caravan-caravan-", ""))
                .containsExactlyInAnyOrder(COMPONENTS);
        assertThat(replicas(deployments, "core")).as("replicaCount").isEqualTo(3);
        assertThat(replicas(deployments, "ddp-streamer")).isEqualTo(4);
        assertThat(replicas(deployments, "accounts")).isEqualTo(2);
        assertThat(replicas(deployments, "authorization")).isEqualTo(2);
        assertThat(replicas(deployments, "presence")).isEqualTo(2);
        assertThat(replicas(deployments, "stream-hub")).as("streamHub.enabled=false keeps Caravan's one publisher").isEqualTo(1);

        for (String component : COMPONENTS) {
            Deployment deployment = deployment(deployments, component);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = container(deployment);
            Map<String, EnvVar> env = env(container);
            String image = component.equals("core") ? "caravan/core" : "caravan/" + component;
            assertThat(container.getImage()).isEqualTo("registry.example.org/" + image + ":0.1.0");
            assertThat(env.get("MONGO_URL").getValue()).as(component)
                    .startsWith("mongodb://$(CARAVAN_MONGODB_USERNAME):$(CARAVAN_MONGODB_PASSWORD)@caravan-caravan-mongodb-0.")
                    .endsWith("/rocketchat?replicaSet=rs0");
            assertThat(envNames(env)).as("the credentials come before the URL that refers to them")
                    .containsSubsequence("CARAVAN_MONGODB_USERNAME", "CARAVAN_MONGODB_PASSWORD", "MONGO_URL");
            assertThat(env.get("CARAVAN_MONGODB_USERNAME").getValue()).isEqualTo("rocketchat");
            assertThat(env.get("CARAVAN_MONGODB_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("mongodb-passwords");
            assertThat(env.get("TRANSPORTER").getValue()).isEqualTo("nats://caravan-caravan-nats:4222");
            assertThat(env.get("OVERWRITE_SETTING_Accounts_RegistrationForm").getValue()).as("extraEnv on " + component).isEqualTo("Disabled");
            assertThat(env.get("RELEASE_NAME").getValue()).as("extraEnv goes through tpl").isEqualTo("caravan");
            assertThat(env.get("LOGGING_LEVEL_ROOT").getValue()).as("microservices.logLevel").isEqualTo("WARN");
            assertThat(env.get("MAIL_URL").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("mail-url");
            assertThat(env.get("ROOT_URL").getValue()).isEqualTo("https://chat.example.org");
            assertThat(env.get("PORT").getValue()).as("service.port 80 is the Service's; the process listens on 3000").isEqualTo("3000");
            assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(3000);

            assertThat(container.getLivenessProbe().getHttpGet().getPath()).as("Rocket.Chat's /health").isEqualTo("/health/live");
            assertThat(container.getLivenessProbe().getInitialDelaySeconds()).isEqualTo(60);
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
            assertThat(container.getReadinessProbe().getPeriodSeconds()).isEqualTo(15);
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");

            assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/etc/ssl/certs", "/opt/caravan/data");
            assertThat(pod.getVolumes()).extracting(Volume::getName).contains("etc-certs");
            assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("dedicated");
            assertThat(pod.getNodeSelector()).containsEntry("dedicated", "chat");
            assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-credentials");
            assertThat(pod.getServiceAccountName()).isEqualTo("caravan-caravan");
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65533L);
            assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65533L);
            var antiAffinity = pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0);
            assertThat(antiAffinity.getPodAffinityTerm().getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(antiAffinity.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", component);
            assertThat(deployment.getMetadata().getLabels()).containsEntry("cost-center", "chat");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "chat");
            assertThat(pod.getInitContainers()).as("extraInitContainers: core only, as the official chart's main deployment")
                    .hasSize(component.equals("core") ? 1 : 0);
        }
        Deployment core = deployment(deployments, "core");
        assertThat(container(core).getResources().getRequests().get("memory").toString()).isEqualTo("512Mi");
        assertThat(container(core).getSecurityContext().getRunAsUser()).isEqualTo(65533L);
        assertThat(core.getSpec().getTemplate().getSpec().getInitContainers().get(0).getCommand().get(2))
                .isEqualTo("until nslookup caravan-caravan-nats; do sleep 2; done");
        assertThat(core.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
        assertThat(container(deployment(deployments, "ddp-streamer")).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");

        Service main = typed(manifests, Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("caravan-caravan-core")).findFirst().orElseThrow();
        assertThat(main.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
        assertThat(main.getMetadata().getAnnotations()).containsEntry("service.beta.kubernetes.io/aws-load-balancer-internal", "true");
        assertThat(main.getMetadata().getLabels()).containsEntry("team", "chat");

        Ingress ingress = typed(manifests, Ingress.class).get(0);
        assertThat(ChartTest.backends(ingress)).containsEntry("/websocket", "caravan-caravan-ddp-streamer")
                .containsEntry("/sockjs", "caravan-caravan-ddp-streamer").containsEntry("/", "caravan-caravan-core");
        assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths()).allSatisfy(p ->
                assertThat(p.getBackend().getService().getPort().getNumber()).isEqualTo(80));
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "101m");

        PodDisruptionBudget coreBudget = budget(manifests, "core");
        assertThat(coreBudget.getSpec().getMinAvailable().getIntVal()).as("the official top-level minAvailable").isEqualTo(2);
        assertThat(coreBudget.getSpec().getMaxUnavailable()).isNull();
        assertThat(budget(manifests, "accounts").getSpec().getMaxUnavailable().getIntVal())
                .as("two replicas with minAvailable 2 could never be drained").isEqualTo(1);
        assertThat(names(manifests, "PodDisruptionBudget")).doesNotContain("caravan-caravan-stream-hub");

        StatefulSet mongo = statefulSet(manifests, "caravan-caravan-mongodb");
        assertThat(mongo.getSpec().getReplicas()).as("mongodb.replicaCount").isEqualTo(3);
        Container mongod = mongo.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(mongod.getImage()).as("the bitnami image object is not Caravan's").isEqualTo("registry.example.org/mongo:7.0");
        assertThat(mongod.getArgs()).containsSubsequence("--keyFile", "/key/key");
        var claim = mongo.getSpec().getVolumeClaimTemplates().get(0).getSpec();
        assertThat(claim.getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
        assertThat(claim.getStorageClassName()).isEqualTo("fast-ssd");
        Map<String, String> mongoSecret = secret(renderWithHooks("official-microservices.yaml"), "caravan-caravan-mongodb");
        assertThat(mongoSecret).containsEntry("mongodb-root-password", "root-password")
                .containsEntry("mongodb-passwords", "rocketchat-password");
        assertThat(mongoSecret.get("mongodb-replica-set-key")).hasSize(64);
        assertThat(secret(manifests, "caravan-caravan")).containsEntry("mail-url", "smtp://mailer:s3cret%2Fpass@smtp.example.org:587");

        StatefulSet nats = statefulSet(manifests, "caravan-caravan-nats");
        assertThat(nats.getSpec().getReplicas()).as("nats.cluster.replicas").isEqualTo(2);
        assertThat(nats.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example.org/nats:2.12-alpine");

        assertThat(typed(manifests, ServiceAccount.class).get(0).getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/chat");
        assertThat(kinds(manifests)).as("the official chart renders its PodMonitor only where the API exists").doesNotContain("PodMonitor");
        Map<String, Object> podMonitor = render("official-microservices.yaml", "podMonitor.requireApi=false").stream()
                .filter(m -> "PodMonitor".equals(m.get("kind"))).findFirst().orElseThrow();
        assertThat(Serialization.asJson(podMonitor)).contains("\"port\":\"http\"", "\"path\":\"/metrics\"", "\"interval\":\"15s\"");
    }

    @Test
    void theIssuesCommandLineScalesDdpStreamerAndSetsTheVariable() {
        List<Map<String, Object>> manifests = render(null, "microservices.enabled=true", "microservices.ddpStreamer.replicas=4",
                "extraEnv[0].name=X", "extraEnv[0].value=1");
        List<Deployment> deployments = typed(manifests, Deployment.class);
        assertThat(replicas(deployments, "ddp-streamer")).isEqualTo(4);
        for (Deployment deployment : deployments) {
            assertThat(env(container(deployment))).as(deployment.getMetadata().getName()).containsKey("X");
        }
        assertThat(names(manifests, "PodDisruptionBudget")).contains("caravan-caravan-ddp-streamer")
                .as("one replica: a budget would block node drains").doesNotContain("caravan-caravan-presence");
    }

    @Test
    void theMainServiceTakesTheServiceTypeAndEveryPodTheExtraSecret() {
        List<Map<String, Object>> manifests = render(null, "microservices.enabled=true", "service.type=LoadBalancer",
                "service.loadBalancerIP=10.0.0.5", "service.loadBalancerClass=lb.example.org/internal", "extraSecret=chat-extra");
        Map<String, Service> services = new java.util.HashMap<>();
        typed(manifests, Service.class).forEach(s -> services.put(s.getMetadata().getName(), s));
        assertThat(services.get("caravan-caravan-core").getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(services.get("caravan-caravan-core").getSpec().getLoadBalancerIP()).isEqualTo("10.0.0.5");
        assertThat(services.get("caravan-caravan-core").getSpec().getLoadBalancerClass()).isEqualTo("lb.example.org/internal");
        assertThat(services.get("caravan-caravan-ddp-streamer").getSpec().getType()).as("one load balancer, not six").isEqualTo("ClusterIP");
        for (Deployment deployment : typed(manifests, Deployment.class)) {
            assertThat(container(deployment).getEnvFrom()).extracting(e -> e.getSecretRef().getName()).containsExactly("chat-extra");
        }
    }

    @Test
    void extraEnvMayBeATemplatedStringAsTheOfficialReadmeHasIt() throws IOException {
        Path values = Files.createTempFile("caravan-extra-env-", ".yaml");
        Files.writeString(values, """
                extraEnv: |
                  - name: INSTANCE_NAME
                    value: "{{ .Release.Name }}-chat"
                extraVolumes: |
                  - name: certs
                    secret:
                      secretName: {{ .Release.Name }}-certs
                extraVolumeMounts: |
                  - name: certs
                    mountPath: /etc/certs
                """);
        Deployment allInOne = typed(parse(template(values)), Deployment.class).get(0);
        Files.delete(values);
        assertThat(env(container(allInOne)).get("INSTANCE_NAME").getValue()).isEqualTo("caravan-chat");
        assertThat(allInOne.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getName()).isEqualTo("certs"));
        assertThat(allInOne.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("certs"))
                .findFirst().orElseThrow().getSecret().getSecretName()).isEqualTo("caravan-certs");
        assertThat(container(allInOne).getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/etc/certs");
    }

    @Test
    void caravansOlderNamesStillWorkAndWinOverTheOfficialOnes() {
        List<Deployment> deployments = typed(render(null, "microservices.enabled=true", "microservices.ddpStreamer.replicas=4",
                "ddpStreamer.replicas=6", "account.replicas=3", "env[0].name=CORE_ONLY", "env[0].value=1",
                "externalMongodb.url=mongodb://db:27017/chat?replicaSet=rs0", "nats.replicas=5",
                "image.registry=old.example.org"), Deployment.class);
        assertThat(replicas(deployments, "ddp-streamer")).isEqualTo(6);
        assertThat(replicas(deployments, "accounts")).isEqualTo(3);
        assertThat(env(container(deployment(deployments, "core")))).containsKey("CORE_ONLY");
        assertThat(env(container(deployment(deployments, "accounts")))).doesNotContainKey("CORE_ONLY");
        assertThat(ChartTest.image(deployment(deployments, "presence"))).isEqualTo("old.example.org/caravan/presence:0.1.0");
        List<Map<String, Object>> manifests = render(null, "externalMongodb.url=mongodb://db:27017/chat?replicaSet=rs0", "nats.replicas=5");
        assertThat(secret(manifests, "caravan-caravan")).containsEntry("mongo-uri", "mongodb://db:27017/chat?replicaSet=rs0");
        assertThat(statefulSet(manifests, "caravan-caravan-nats").getSpec().getReplicas()).isEqualTo(5);
        assertThat(names(manifests, "StatefulSet")).as("an external MongoDB replaces the bundled one").doesNotContain("caravan-caravan-mongodb");

        Map<String, Object> serviceMonitor = render(null, "serviceMonitor.enabled=true", "serviceMonitor.intervals[0]=45s").stream()
                .filter(m -> "ServiceMonitor".equals(m.get("kind"))).findFirst().orElseThrow();
        assertThat(Serialization.asJson(serviceMonitor)).as("the official serviceMonitor values").contains("\"interval\":\"45s\"");
    }

    @Test
    void aMisspeltOrUnknownKeyFailsWithAMessage() {
        assertThat(failure(null, "microservices.ddpStreamer.replicaz=4"))
                .contains("microservices.ddpStreamer", "Additional property replicaz is not allowed");
        assertThat(failure(null, "extraEnvs[0].name=X")).contains("Additional property extraEnvs is not allowed");
        assertThat(failure(null, "ingress.pathtype=Prefix")).contains("ingress", "Additional property pathtype is not allowed");
        assertThat(failure(null, "podAntiAffinity=sometimes")).contains("podAntiAffinity");
        assertThat(failure(null, "replicaCount=many")).contains("replicaCount");
        assertThat(failure(null, "service.type=Loadbalancer")).contains("service.type");
        // the official chart's keys Caravan ignores are accepted
        assertThat(parse(template(null, "prometheusScraping.enabled=true", "federation.enabled=false",
                "microservices.heartbeatInterval=10", "nats.exporter.enabled=true", "mongodb.architecture=replicaset",
                "registrationToken=abc"))).isNotEmpty();
    }

    @Test
    void combinationsThatCannotWorkFailWithAMessage() {
        assertThat(failure(null, "mongodb.enabled=false", "persistence.enabled=true", "microservices.enabled=true"))
                .contains("microservices.enabled needs a MongoDB replica set");
        assertThat(failure(null, "mongodb.enabled=false", "persistence.enabled=true", "replicaCount=2"))
                .contains("set replicaCount to 1");
        assertThat(failure(null, "mongodb.enabled=false")).contains("set persistence.enabled=true");
        assertThat(failure(null, "nats.existingSecret.name=nats")).contains("set nats.enabled to false");
        assertThat(failure(null, "nats.enabled=false", "microservices.enabled=true")).contains("microservices.enabled needs NATS");
    }

    @Test
    void probesAreConfigurableAndStartupProbesHoldTheOthersBack() {
        Container defaults = container(typed(render(null), Deployment.class).get(0));
        assertThat(defaults.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(defaults.getStartupProbe().getPeriodSeconds() * defaults.getStartupProbe().getFailureThreshold())
                .as("seconds a slow start may take").isGreaterThanOrEqualTo(90);
        assertThat(defaults.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");

        Container tuned = container(typed(render(null, "startupProbe.failureThreshold=18", "startupProbe.periodSeconds=10",
                "livenessProbe.enabled=false", "readinessProbe.timeoutSeconds=2", "readinessProbe.failureThreshold=6"),
                Deployment.class).get(0));
        Probe startup = tuned.getStartupProbe();
        assertThat(startup.getFailureThreshold()).isEqualTo(18);
        assertThat(startup.getPeriodSeconds()).isEqualTo(10);
        assertThat(tuned.getLivenessProbe()).isNull();
        assertThat(tuned.getReadinessProbe().getTimeoutSeconds()).isEqualTo(2);
        assertThat(tuned.getReadinessProbe().getFailureThreshold()).isEqualTo(6);
        assertThat(container(typed(render(null, "startupProbe.enabled=false"), Deployment.class).get(0)).getStartupProbe()).isNull();
    }

    @Test
    void podDisruptionBudgetsFollowMinAvailableOrMaxUnavailable() {
        List<Map<String, Object>> manifests = render(null, "replicaCount=3", "podDisruptionBudget.minAvailable=2", "minAvailable=1");
        assertThat(budget(manifests, "all-in-one").getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        manifests = render(null, "replicaCount=3", "podDisruptionBudget.maxUnavailable=2");
        assertThat(budget(manifests, "all-in-one").getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);
        assertThat(budget(manifests, "all-in-one").getSpec().getMinAvailable()).isNull();
        assertThat(names(render(null, "replicaCount=3", "podDisruptionBudget.enabled=false"), "PodDisruptionBudget")).isEmpty();
        assertThat(names(render(null), "PodDisruptionBudget")).as("one replica").isEmpty();
    }

    @Test
    void theAllInOneKeepsItsEmbeddedStoreOnAPersistentVolumeClaim() {
        List<Map<String, Object>> manifests = render("embedded.yaml");
        assertWired(manifests, Set.of());
        assertThat(kinds(manifests)).doesNotContain("StatefulSet", "Job");
        Deployment allInOne = typed(manifests, Deployment.class).get(0);
        assertThat(allInOne.getSpec().getStrategy().getType()).as("two processes never open the store").isEqualTo("Recreate");
        Map<String, EnvVar> env = env(container(allInOne));
        assertThat(env).doesNotContainKeys("MONGO_URL", "TRANSPORTER");
        assertThat(env.get("CARAVAN_DATA_DIR").getValue()).isEqualTo("/opt/caravan/data");
        assertThat(container(allInOne).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("data");
            assertThat(m.getMountPath()).isEqualTo("/opt/caravan/data");
        });
        Volume data = allInOne.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("data")).findFirst().orElseThrow();
        assertThat(data.getPersistentVolumeClaim().getClaimName()).isEqualTo("caravan-caravan-data");
        PersistentVolumeClaim claim = typed(manifests, PersistentVolumeClaim.class).get(0);
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
        assertThat(claim.getSpec().getStorageClassName()).as("\"-\": no storage class").isEmpty();
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");

        Deployment existing = typed(render("embedded.yaml", "persistence.existingClaim=chat-data"), Deployment.class).get(0);
        assertThat(existing.getSpec().getTemplate().getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("chat-data");
        assertThat(kinds(render("embedded.yaml", "persistence.existingClaim=chat-data"))).doesNotContain("PersistentVolumeClaim");
    }

    @Test
    void theBundledMongodbRequiresAuthentication() throws IOException {
        List<Map<String, Object>> manifests = render(null);
        assertThat(names(manifests, "Secret")).as("a pre-install hook: made once, so an upgrade never changes the"
                + " passwords MongoDB holds (helm-java's template leaves hooks out)").doesNotContain("caravan-caravan-mongodb");
        assertThat(Files.readString(ChartTest.CHART.resolve("templates/mongodb-secret.yaml"))).contains("helm.sh/hook: pre-install");
        List<Map<String, Object>> withHooks = renderWithHooks(null);
        assertWired(withHooks, Set.of());
        Map<String, String> generated = secret(withHooks, "caravan-caravan-mongodb");
        assertThat(generated.get("mongodb-root-password")).hasSize(32).matches("[A-Za-z0-9]+");
        assertThat(generated.get("mongodb-passwords")).hasSize(32).matches("[A-Za-z0-9]+").isNotEqualTo(generated.get("mongodb-root-password"));
        assertThat(generated.get("mongodb-replica-set-key")).hasSize(64);

        StatefulSet mongo = statefulSet(manifests, "caravan-caravan-mongodb");
        Container mongod = mongo.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(mongod.getArgs()).containsSubsequence("--keyFile", "/key/key");
        assertThat(env(mongod).get("MONGO_INITDB_ROOT_USERNAME").getValue()).isEqualTo("root");
        assertThat(env(mongod).get("MONGO_INITDB_ROOT_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("mongodb-root-password");
        Container keyFile = mongo.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        assertThat(String.join(" ", keyFile.getCommand())).contains("chmod 0400", "chown 999:999");

        Container init = typed(manifests, Job.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = String.join(" ", init.getCommand());
        assertThat(script).contains("-u \"$ROOT_USER\" -p \"$ROOT_PASSWORD\" --authenticationDatabase admin", "rs.initiate",
                "createUser", "updateUser", "readWrite");
        assertThat(env(init).get("APP_USER").getValue()).isEqualTo("rocketchat");
        assertThat(env(init).get("APP_DATABASE").getValue()).isEqualTo("rocketchat");
        assertThat(env(container(typed(manifests, Deployment.class).get(0))).get("MONGO_URL").getValue())
                .startsWith("mongodb://$(CARAVAN_MONGODB_USERNAME):$(CARAVAN_MONGODB_PASSWORD)@");

        assertThat(names(render(null, "mongodb.replicas=5"), "Job")).as("a changed Job is a new Job, never an immutable patch")
                .doesNotContainAnyElementsOf(names(manifests, "Job")).singleElement().asString().startsWith("caravan-caravan-mongodb-init-");

        List<Map<String, Object>> existing = render(null, "mongodb.auth.existingSecret=mongo-credentials", "mongodb.database=chat");
        assertWired(existing, Set.of("mongo-credentials"));
        assertThat(names(existing, "Secret")).doesNotContain("caravan-caravan-mongodb");
        Map<String, EnvVar> env = env(container(typed(existing, Deployment.class).get(0)));
        assertThat(env.get("CARAVAN_MONGODB_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("mongo-credentials");
        assertThat(env.get("MONGO_URL").getValue()).contains("/chat?replicaSet=rs0");

        List<Map<String, Object>> open = render(null, "mongodb.auth.enabled=false");
        assertThat(env(container(typed(open, Deployment.class).get(0))).get("MONGO_URL").getValue())
                .startsWith("mongodb://caravan-caravan-mongodb-0.");
        assertThat(statefulSet(open, "caravan-caravan-mongodb").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .doesNotContain("--keyFile");
        assertThat(names(open, "Secret")).doesNotContain("caravan-caravan-mongodb");
    }

    /** Every ```yaml block of the chart's README is a values file: it renders, and its objects are valid and wired. */
    @Test
    void everyDocumentedExampleRenders() throws IOException {
        String readme = Files.readString(ChartTest.CHART.resolve("README.md"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int examples = 0;
        while (block.find()) {
            examples++;
            Path values = Files.createTempFile("caravan-readme-example-", ".yaml");
            Files.writeString(values, block.group(1));
            String title = "README example " + examples + ":\n" + block.group(1);
            List<Map<String, Object>> manifests = parse(template(values, "podMonitor.requireApi=false"));
            assertThat(typed(manifests, Deployment.class)).as(title).isNotEmpty();
            for (Map<String, Object> manifest : manifests) {
                if (String.valueOf(manifest.get("apiVersion")).startsWith("monitoring.coreos.com/")) {
                    continue;
                }
                HasMetadata object = Serialization.unmarshal(Serialization.asJson(manifest));
                assertThat(unknownFields(object)).as(title).isEmpty();
            }
            assertWired(manifests, Set.of("caravan-admin", "mongo-credentials", "chat-rocketchat", "chat-data", "chat-smtp", "chat-tls"));
            Files.delete(values);
        }
        assertThat(examples).as("examples in the README").isGreaterThanOrEqualTo(4);
    }

    /**
     * What makes the objects a working install: every Service selects pods a Deployment makes, every Secret, ConfigMap
     * and claim a pod names is rendered too (or is an existing one the values name), and every Caravan pod has its
     * database and port.
     */
    static void assertWired(List<Map<String, Object>> manifests, Set<String> existingObjects) {
        Set<String> rendered = new HashSet<>(existingObjects);
        manifests.forEach(m -> rendered.add(String.valueOf(((Map<?, ?>) m.get("metadata")).get("name"))));
        List<Deployment> deployments = typed(manifests, Deployment.class);
        for (Service service : typed(manifests, Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            boolean selected = deployments.stream().anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                    .containsAll(selector.entrySet()))
                    || typed(manifests, StatefulSet.class).stream().anyMatch(s -> s.getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(selector.entrySet()));
            assertThat(selected).as("Service " + service.getMetadata().getName() + " selects pods").isTrue();
        }
        List<PodSpec> pods = new ArrayList<>();
        deployments.forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        typed(manifests, StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        typed(manifests, Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        for (PodSpec pod : pods) {
            List<Container> containers = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                containers.addAll(pod.getInitContainers());
            }
            for (Container container : containers) {
                for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        assertThat(rendered).as(container.getName() + " " + env.getName()).contains(env.getValueFrom().getSecretKeyRef().getName());
                    }
                }
            }
            for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
                if (volume.getSecret() != null) {
                    assertThat(rendered).contains(volume.getSecret().getSecretName());
                }
                if (volume.getConfigMap() != null) {
                    assertThat(rendered).contains(volume.getConfigMap().getName());
                }
                if (volume.getPersistentVolumeClaim() != null) {
                    assertThat(rendered).contains(volume.getPersistentVolumeClaim().getClaimName());
                }
            }
        }
        for (Deployment deployment : deployments) {
            Container container = container(deployment);
            assertThat(container.getPorts()).extracting(p -> p.getName()).contains("http");
            Map<String, EnvVar> env = env(container);
            assertThat(env).containsKeys("PORT", "INSTANCE_IP", "CARAVAN_DATA_DIR");
            if (env.containsKey("MONGO_URL") && env.get("MONGO_URL").getValue() != null) {
                assertThat(env.get("MONGO_URL").getValue()).contains("replicaSet=");
            }
        }
    }

    /**
     * The chart with its hooks (the MongoDB credentials Secret, made at install) rendered as the install applies them:
     * helm-java's template returns the release's manifest without its hooks, so the hook annotations are taken out.
     */
    static List<Map<String, Object>> renderWithHooks(String valuesFile, String... sets) throws IOException {
        Path copy = Files.createTempDirectory("caravan-chart-");
        try (var files = Files.walk(ChartTest.CHART)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(ChartTest.CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, Files.readString(file).replaceAll("(?m)^\\s*helm\\.sh/hook.*\n", ""));
                }
            }
        }
        TemplateCommand command = new Helm(copy).template().withName("caravan");
        if (valuesFile != null) {
            command = command.withValuesFile(Path.of("src/test/resources/values", valuesFile).toAbsolutePath());
        }
        for (String set : sets) {
            command = command.set(set.substring(0, set.indexOf('=')), set.substring(set.indexOf('=') + 1));
        }
        return parse(command.call());
    }

    private static List<String> envNames(Map<String, EnvVar> env) {
        return new ArrayList<>(env.keySet());
    }

    private static PodDisruptionBudget budget(List<Map<String, Object>> manifests, String component) {
        return typed(manifests, PodDisruptionBudget.class).stream()
                .filter(b -> b.getMetadata().getName().equals("caravan-caravan-" + component)).findFirst().orElseThrow();
    }

    private static StatefulSet statefulSet(List<Map<String, Object>> manifests, String name) {
        return typed(manifests, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, String> secret(List<Map<String, Object>> manifests, String name) {
        Secret secret = typed(manifests, Secret.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        return secret.getStringData();
    }
}
