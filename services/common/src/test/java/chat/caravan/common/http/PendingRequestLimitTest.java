package chat.caravan.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import chat.caravan.common.health.Metrics;
import chat.caravan.common.testing.Await;
import chat.caravan.common.testing.CommonTestApplication;
import chat.caravan.common.testing.NatsServerProcess;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The bound on pending REST requests over the real server: past it a request is refused at once with 503 in
 * Rocket.Chat's shape, health still answers, and places come back when replies begin or clients go away.
 */
@SpringBootTest(classes = CommonTestApplication.class)
class PendingRequestLimitTest {

    static final int PORT = NatsServerProcess.freePort();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("caravan.http.port", () -> PORT);
        registry.add("caravan.data-dir", () -> dataDir.toString());
        registry.add("caravan.http.max-pending-requests", () -> 2);
    }

    @Autowired
    CamelContext camelContext;

    @Autowired
    Metrics metrics;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void pastTheBoundARequestIsRefusedAtOnceAndPlacesComeBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        camelContext.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/v1/test.hold").routeId("test-hold")
                        .process(exchange -> release.await(60, TimeUnit.SECONDS))
                        .setBody(constant("{\"success\":true}"));
                from("platform-http:/api/v1/test.quick").routeId("test-quick").setBody(constant("{\"success\":true}"));
            }
        });
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(http.sendAsync(get("/api/v1/test.hold"), HttpResponse.BodyHandlers.ofString()));
        }
        Await.until(() -> pending() == 2);

        HttpResponse<String> busy = http.send(get("/api/v1/test.quick"), HttpResponse.BodyHandlers.ofString());
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(busy.body());
        assertThat(error.path("success").asBoolean(true)).isFalse();
        assertThat(error.path("errorType").asText()).isEqualTo("error-server-busy");
        assertThat(error.path("error").asText()).isEqualTo("The server is busy, try again in a moment [error-server-busy]");
        assertThat(busy.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(http.send(get("/health/live"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("health is never refused").isEqualTo(200);
        assertThat(metrics.registry().get("caravan_http_refused_busy").counter().count()).isEqualTo(1);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> reply : held) {
            assertThat(reply.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        Await.until(() -> pending() == 0);
        assertThat(http.send(get("/api/v1/test.quick"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatGoesAwayGivesItsPlaceBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        camelContext.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/v1/test.stall").routeId("test-stall")
                        .process(exchange -> release.await(60, TimeUnit.SECONDS))
                        .setBody(constant("{\"success\":true}"));
            }
        });
        try {
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket socket = new Socket("127.0.0.1", PORT);
                OutputStream out = socket.getOutputStream();
                out.write("GET /api/v1/test.stall HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                clients.add(socket);
            }
            Await.until(() -> pending() == 2);
            for (Socket socket : clients) {
                socket.close();
            }
            Await.until(() -> pending() == 0);
        } finally {
            release.countDown();
        }

        // a client still sending its body holds no place
        try (Socket slow = new Socket("127.0.0.1", PORT); Socket slower = new Socket("127.0.0.1", PORT)) {
            for (Socket socket : List.of(slow, slower)) {
                socket.getOutputStream().write(("POST /api/v1/test.stall HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            HttpResponse<String> other = http.send(get("/api/v1/test.stall"), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(200);
        }
    }

    private int pending() {
        return (int) metrics.registry().get("caravan_http_pending_requests").gauge().value();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).timeout(java.time.Duration.ofSeconds(30)).build();
    }
}
