package chat.caravan.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

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

/** REST and WebSocket on one port, as the all-in-one serves them; unknown API paths get a JSON 404. */
@SpringBootTest(classes = CommonTestApplication.class)
class OnePortTest {

    static final int PORT = NatsServerProcess.freePort();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("caravan.http.port", () -> PORT);
        registry.add("caravan.data-dir", () -> dataDir.toString());
    }

    @Autowired
    CamelContext camelContext;

    @Test
    void restAndWebSocketShareTheHttpPort() throws Exception {
        camelContext.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("vertx-websocket:/echo").routeId("test-echo")
                        .setBody(simple("echo: ${body}"))
                        .to("vertx-websocket:/echo");
            }
        });
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/health/live"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        // java.net.http asks for an h2c upgrade; the answer stays HTTP/1.1 (Vert.x's upgraded replies garble large bodies)
        assertThat(live.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + PORT + "/echo"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        socket.sendText("hello", true);
        assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hello");
        socket.abort();

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + PORT + "/api/v1/nothing.here")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"success\":false,\"error\":\"Resource not found\"}");
    }
}
