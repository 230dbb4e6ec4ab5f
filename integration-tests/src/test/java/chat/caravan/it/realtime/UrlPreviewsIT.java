package chat.caravan.it.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Link previews reach a realtime client: a posted link is described after the post (route message-url-preview), and
 * the message's change, urls[0].meta filled in, arrives on stream-room-messages like any other change of a message.
 */
class UrlPreviewsIT {

    private static Topology topology;
    private static HttpServer pages;

    @BeforeAll
    static void start() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] article = """
                <html><head><title>Dunes</title><meta property="og:title" content="Crossing the dunes">
                <meta property="og:description" content="A caravan's week"></head></html>
                """.getBytes(StandardCharsets.UTF_8);
        pages.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, article.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(article);
            }
        });
        pages.start();
        topology = Topology.allInOne("url-previews").start();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    @Test
    void aPreviewArrivesOnTheRoomsMessageStream() {
        String base = topology.baseUrl();
        RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        // the administrator lets the server fetch from loopback on the page server's port, as Rocket.Chat's tests do
        assertThat(admin.post("/api/v1/settings/API_EmbedIgnoredHosts", Map.of("value", "")).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/settings/API_EmbedSafePorts", Map.of("value", "80, 443, " + pages.getAddress().getPort()))
                .status()).isEqualTo(200);
        String rid = admin.post("/api/v1/channels.create", Map.of("name", "previews-" + System.nanoTime())).json()
                .path("channel").path("_id").asText();
        String url = "http://127.0.0.1:" + pages.getAddress().getPort() + "/dunes";

        try (DdpTestClient ddp = DdpTestClient.connect(topology.instance("all-in-one", 0).websocketUrl())) {
            ddp.loginWithToken(admin.authToken());
            assertThat(ddp.subscribe("stream-room-messages", rid, Map.of("useCollection", false, "args", List.of()))
                    .path("msg").asText()).isEqualTo("ready");
            String id = admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "see " + url)).json()
                    .path("message").path("_id").asText();

            JsonNode event = ddp.await(m -> "stream-room-messages".equals(m.path("collection").asText())
                    && id.equals(m.path("fields").path("args").path(0).path("_id").asText())
                    && m.path("fields").path("args").path(0).path("urls").path(0).path("meta").has("ogTitle"), Duration.ofSeconds(20));
            JsonNode message = event.path("fields").path("args").path(0);
            assertThat(message.path("urls").path(0).path("meta").path("ogTitle").asText()).isEqualTo("Crossing the dunes");
            assertThat(message.path("urls").path(0).path("headers").path("contentType").asText()).startsWith("text/html");
            assertThat(message.has("editedAt")).as("a preview is not an edit").isFalse();
        }
    }
}
