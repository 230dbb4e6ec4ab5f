package chat.caravan.it.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.PrometheusScrape;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The all-in-one's /metrics after a scripted chat session (logins, messages in a channel and a direct message, a failed
 * login, DDP methods and a subscription): every family of config/metrics.txt is served, with the values the session
 * implies. /metrics is moved to its own port and protected by a token, as an operator would run it.
 */
class ObservabilityIT {

    private static final String TOKEN = "scrape-secret-1";
    private static Topology topology;
    private static int metricsPort;

    @BeforeAll
    static void start() {
        metricsPort = Ports.free();
        topology = Topology.allInOne("observability")
                .env("CARAVAN_METRICS_PORT", String.valueOf(metricsPort))
                .env("CARAVAN_METRICS_TOKEN", TOKEN)
                .start();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aChatSessionShowsInEveryMetric() {
        String base = topology.baseUrl();
        RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        RestClient bob = Users.create(admin, base, "bob");
        assertThat(admin.post("/api/v1/chat.postMessage", Map.of("channel", "#general", "text", "hello all")).status())
                .isEqualTo(200);
        JsonNode dm = admin.post("/api/v1/im.create", Map.of("username", bob.username())).json();
        String dmId = dm.path("room").path("_id").asText();
        assertThat(dmId).isNotEmpty();
        assertThat(bob.post("/api/v1/chat.postMessage", Map.of("roomId", dmId, "text", "hi admin")).status()).isEqualTo(200);
        assertThat(new RestClient(base).post("/api/v1/login", Map.of("user", bob.username(), "password", "wrong")).status())
                .isEqualTo(401);

        PrometheusScrape scrape;
        try (DdpTestClient ddp = DdpTestClient.connect(topology.instance("all-in-one", 0).websocketUrl())) {
            ddp.loginWithToken(bob.authToken());
            JsonNode subscriptions = ddp.call("subscriptions/get");
            assertThat(subscriptions.has("error")).as(subscriptions.toString()).isFalse();
            assertThat(ddp.subscribe("stream-room-messages", dmId, Map.of("useCollection", false, "args", List.of()))
                    .path("msg").asText()).isEqualTo("ready");
            scrape = PrometheusScrape.of("http://127.0.0.1:" + metricsPort + "/metrics", "Authorization", "Bearer " + TOKEN);
        }

        writeForReading(scrape);
        Set<String> documented = PrometheusScrape.documentedFamilies();
        assertThat(documented).hasSizeGreaterThan(20);
        for (String family : documented) {
            assertThat(scrape.has(family)).as("/metrics serves " + family).isTrue();
        }

        // REST: per Rocket.Chat route path and status, never an id
        assertThat(scrape.sum("caravan_rest_request_seconds_count", "path", "/api/v1/chat.postMessage", "status", "200"))
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("caravan_rest_request_seconds_count", "path", "/api/v1/login", "status", "401")).isEqualTo(1);
        assertThat(scrape.sum("caravan_rest_request_seconds_bucket", "path", "/api/v1/chat.postMessage", "status", "200",
                "le", "+Inf")).isEqualTo(scrape.sum("caravan_rest_request_seconds_count", "path", "/api/v1/chat.postMessage",
                "status", "200"));
        assertThat(scrape.sum("caravan_rest_request_seconds_sum", "path", "/api/v1/chat.postMessage")).isPositive();
        assertThat(scrape.samples("caravan_rest_request_seconds_count")).allSatisfy(sample -> assertThat(
                sample.labels().get("path")).doesNotContain(dmId).doesNotContain(bob.userId()).startsWith("/"));

        // chat: one message in a channel, one in a direct room (plus the system messages of the session)
        assertThat(scrape.sum("caravan_messages_stored_total", "room_type", "c", "event", "send")).isEqualTo(1);
        assertThat(scrape.sum("caravan_messages_stored_total", "room_type", "d", "event", "send")).isEqualTo(1);
        assertThat(scrape.sum("caravan_login_failures_total", "reason", "wrong-password")).isEqualTo(1);
        assertThat(scrape.sum("caravan_login_lockouts_total")).isZero();

        // realtime: this connection, its subscription and its methods; bob is online
        assertThat(scrape.sum("caravan_ddp_sessions")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("caravan_ddp_sessions_authenticated")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("caravan_ddp_subscriptions")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("caravan_ddp_method_seconds_count", "method", "login", "outcome", "ok")).isEqualTo(1);
        assertThat(scrape.sum("caravan_ddp_method_seconds_count", "method", "subscriptions/get", "outcome", "ok")).isEqualTo(1);
        assertThat(scrape.sum("caravan_users_online", "status", "online")).isGreaterThanOrEqualTo(1);

        // the bus, change streams and the embedded store did work
        assertThat(scrape.sum("caravan_bus_request_seconds_count", "subject", "accounts.login")).isGreaterThanOrEqualTo(3);
        assertThat(scrape.sum("caravan_bus_request_timeouts_total")).isZero();
        assertThat(scrape.sum("caravan_change_stream_lag_seconds_count", "collection", "rocketchat_message"))
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.samples("caravan_change_stream_resume_position_age_seconds")).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.value()).isBetween(0.0, 60.0));
        assertThat(scrape.sum("caravan_store_size_bytes")).isPositive();
        assertThat(scrape.sum("caravan_store_commit_seconds_count")).isPositive();
        assertThat(scrape.sum("caravan_store_writes_total")).isGreaterThanOrEqualTo(scrape.sum("caravan_store_syncs_total"));

        // Camel's own route metrics
        assertThat(scrape.sum("camel_exchanges_total", "routeId", "message-after-save")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("camel_route_policy_seconds_count", "routeId", "message-after-save")).isGreaterThanOrEqualTo(2);
    }

    /** target/observability-scrape.txt: what the session left on /metrics, for a reader of the build. */
    private static void writeForReading(PrometheusScrape scrape) {
        try {
            java.nio.file.Files.writeString(Topology.repoDir().resolve("integration-tests/target/observability-scrape.txt"),
                    scrape.text());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void metricsLeaveThePublicPortAndAskForTheToken() {
        assertThat(PrometheusScrape.get(topology.baseUrl() + "/metrics").statusCode()).isEqualTo(404);
        assertThat(PrometheusScrape.get("http://127.0.0.1:" + metricsPort + "/metrics").statusCode()).isEqualTo(401);
        assertThat(PrometheusScrape.get("http://127.0.0.1:" + metricsPort + "/metrics", "Authorization", "Bearer nope")
                .statusCode()).isEqualTo(401);
        HttpResponse<String> scraped = PrometheusScrape.get("http://127.0.0.1:" + metricsPort + "/metrics",
                "Authorization", "Bearer " + TOKEN);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void restRepliesNameTheirRequestId() {
        HttpResponse<String> given = PrometheusScrape.get(topology.baseUrl() + "/api/info", "X-Request-Id", "it-req-42");
        assertThat(given.headers().firstValue("X-Request-Id")).contains("it-req-42");
        HttpResponse<String> made = PrometheusScrape.get(topology.baseUrl() + "/api/info");
        assertThat(made.headers().firstValue("X-Request-Id").orElse("")).matches("[0-9a-f-]{36}");
        HttpResponse<String> junk = PrometheusScrape.get(topology.baseUrl() + "/api/info", "X-Request-Id", "bad id <script>");
        assertThat(junk.headers().firstValue("X-Request-Id").orElse("")).matches("[0-9a-f-]{36}");
    }
}
