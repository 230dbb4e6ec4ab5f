package chat.caravan.it.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.Eventually;
import chat.caravan.it.harness.PrometheusScrape;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.ServiceInstance;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The six services as their own processes, with LOG_FORMAT=json: each serves the metrics it owns on its /metrics,
 * and a REST call's request id reaches the logs of the service that answered it over the bus.
 */
class MicroservicesObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a metric or a log line may take to appear: a bound for a busy machine, never a wait of its own. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Topology topology;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("observability-ms")
                .env("LOG_FORMAT", "json")
                .env("presence", "CARAVAN_PRESENCE_METRICS_REFRESH", "500ms")
                .start();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void eachServiceServesTheMetricsItOwns() throws Exception {
        String base = topology.baseUrl();
        RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        RestClient bob = Users.create(admin, base, "bob");
        assertThat(admin.post("/api/v1/chat.postMessage", Map.of("channel", "#general", "text", "hello")).status()).isEqualTo(200);
        assertThat(new RestClient(base).post("/api/v1/login", Map.of("user", bob.username(), "password", "wrong")).status())
                .isEqualTo(401);

        try (DdpTestClient ddp = DdpTestClient.connect(topology.instance("ddp-streamer", 0).websocketUrl())) {
            ddp.loginWithToken(bob.authToken());
            assertThat(ddp.call("subscriptions/get").has("error")).isFalse();
            assertThat(ddp.subscribe("stream-notify-user", bob.userId() + "/notification", false).path("msg").asText())
                    .isEqualTo("ready");

            PrometheusScrape ddpStreamer = scrape("ddp-streamer");
            assertThat(ddpStreamer.sum("caravan_ddp_sessions")).isGreaterThanOrEqualTo(1);
            assertThat(ddpStreamer.sum("caravan_ddp_subscriptions")).isGreaterThanOrEqualTo(1);
            assertThat(ddpStreamer.sum("caravan_ddp_method_seconds_count", "method", "subscriptions/get")).isEqualTo(1);
            assertThat(ddpStreamer.sum("caravan_bus_request_seconds_count", "subject", "core.method")).isGreaterThanOrEqualTo(1);
            assertThat(ddpStreamer.has("caravan_rest_request_seconds")).isTrue();

            PrometheusScrape presence = awaitScrape("presence", s -> s.sum("caravan_users_online", "status", "online") >= 1);
            assertThat(presence.has("caravan_messages_stored_total")).as("presence stores no messages").isFalse();
        }

        PrometheusScrape core = scrape("core");
        assertThat(core.sum("caravan_rest_request_seconds_count", "path", "/api/v1/chat.postMessage", "status", "200")).isEqualTo(1);
        assertThat(core.sum("caravan_messages_stored_total", "room_type", "c", "event", "send")).isEqualTo(1);
        assertThat(core.sum("caravan_bus_request_seconds_count", "subject", "accounts.login")).isGreaterThanOrEqualTo(2);
        assertThat(core.sum("camel_exchanges_total", "routeId", "message-after-save")).isGreaterThanOrEqualTo(1);
        assertThat(core.has("caravan_store_size_bytes")).as("the store is MONGO_URL's, not embedded").isFalse();
        assertThat(core.has("caravan_ddp_sessions")).isFalse();

        PrometheusScrape accounts = scrape("accounts");
        assertThat(accounts.sum("caravan_login_failures_total", "reason", "wrong-password")).isEqualTo(1);
        assertThat(accounts.has("caravan_login_lockouts_total")).isTrue();

        PrometheusScrape streamHub = awaitScrape("stream-hub",
                s -> s.sum("caravan_change_stream_lag_seconds_count", "collection", "rocketchat_message") >= 1);
        assertThat(streamHub.samples("caravan_change_stream_resume_position_age_seconds")).isNotEmpty();

        for (String service : Topology.SERVICES) {
            assertThat(scrape(service).has("camel_exchanges_total")).as(service).isTrue();
        }
    }

    @Test
    void jsonLogLinesCarryTheRequestIdOfARestCallAcrossTheBus() throws Exception {
        String withHeader = "it-json-" + System.nanoTime();
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(topology.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json").header("X-Request-Id", withHeader)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"user\":\"nobody-" + withHeader + "\",\"password\":\"x\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("X-Request-Id")).contains(withHeader);

        // core took the REST call and asked accounts over NATS: accounts' log line names the same request
        JsonNode line = awaitLogLine(topology.instance("accounts", 0), withHeader);
        assertThat(line.path("requestId").asText()).isEqualTo(withHeader);
        assertThat(line.path("message").asText()).contains("Login failed for unknown user");
        assertThat(line.path("log").path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("service").path("name").asText()).isEqualTo("caravan-accounts");

        // a DDP method is a request too: ddp-streamer gives it an id, and accounts logs it
        String ghost = "ghost-ddp-" + System.nanoTime();
        try (DdpTestClient ddp = DdpTestClient.connect(topology.instance("ddp-streamer", 0).websocketUrl())) {
            JsonNode refused = ddp.call("login", Map.of("user", Map.of("username", ghost),
                    "password", Map.of("digest", "0".repeat(64), "algorithm", "sha-256")));
            assertThat(refused.has("error")).as(refused.toString()).isTrue();
        }
        JsonNode ddpLine = awaitLogLine(topology.instance("accounts", 0), ghost);
        assertThat(ddpLine.path("requestId").asText()).matches("[0-9a-f-]{36}");

        for (String service : Topology.SERVICES) {
            List<String> lines = logLines(topology.instance(service, 0));
            assertThat(lines).as(service + " logged").isNotEmpty();
            for (String text : lines) {
                JsonNode parsed = JSON.readTree(text);
                assertThat(parsed.has("@timestamp") && parsed.has("message")).as(service + ": " + text).isTrue();
            }
        }
    }

    private static PrometheusScrape scrape(String service) {
        return PrometheusScrape.of(topology.instance(service, 0).url() + "/metrics");
    }

    private static PrometheusScrape awaitScrape(String service, java.util.function.Predicate<PrometheusScrape> ready) {
        try {
            return Eventually.value(service + "'s /metrics", WAIT, () -> {
                PrometheusScrape scrape = scrape(service);
                return ready.test(scrape) ? scrape : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ":\n" + scrape(service).text(), e);
        }
    }

    private static JsonNode awaitLogLine(ServiceInstance instance, String text) {
        try {
            return Eventually.value(instance.service() + " logging a line naming " + text, WAIT, () -> {
                try {
                    for (String line : logLines(instance)) {
                        if (line.contains(text)) {
                            return JSON.readTree(line);
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ":\n" + instance.process().logTail(), e);
        }
    }

    /** The lines the service's logging wrote (the JVM's own start-up notices excepted). */
    private static List<String> logLines(ServiceInstance instance) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(instance.process().logFile())) {
            if (!line.isBlank() && !line.startsWith("Picked up ") && !line.startsWith("OpenJDK") && !line.startsWith("WARNING:")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
