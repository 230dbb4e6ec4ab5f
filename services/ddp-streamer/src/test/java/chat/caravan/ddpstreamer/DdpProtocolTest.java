package chat.caravan.ddpstreamer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.login.PasswordHashing;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.testing.CaravanTestProperties;
import chat.caravan.common.testing.DdpTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** DDP over real WebSockets against ddp-streamer in the same JVM as accounts, authorization and presence. */
@SpringBootTest(classes = DdpProtocolTest.App.class)
class DdpProtocolTest {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.ddpstreamer", "chat.caravan.accounts",
            "chat.caravan.authorization", "chat.caravan.presence"})
    static class App {
    }

    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        port = CaravanTestProperties.register(registry);
        registry.add("caravan.ddp.ping-after", () -> "1s");
        registry.add("caravan.ddp.ping-timeout", () -> "1s");
        registry.add("caravan.ddp.heartbeat-check", () -> "200");
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    String username;
    String userId;

    @BeforeEach
    void user() {
        username = "ddp" + System.nanoTime();
        userId = bus.call("accounts.createUser", Map.of("username", username, "email", username + "@t.io", "password", "pw",
                "name", "D")).path("user").path("_id").asText();
    }

    String url() {
        return "ws://127.0.0.1:" + port + "/websocket";
    }

    @Test
    void handshakePingMethodsAndErrorsInMeteorsShape() {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            client.send(Map.of("msg", "ping", "id", "p1"));
            assertThat(client.await(m -> "pong".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("id").asText()).isEqualTo("p1");

            JsonNode login = client.call("login", Map.of("user", Map.of("username", username),
                    "password", Map.of("digest", PasswordHashing.sha256Hex("pw"), "algorithm", "sha-256")));
            assertThat(login.path("result").path("id").asText()).isEqualTo(userId);
            assertThat(login.path("result").path("tokenExpires").has("$date")).isTrue();
            client.await(m -> "updated".equals(m.path("msg").asText()), Duration.ofSeconds(5));

            JsonNode wrong = client.call("login", Map.of("user", Map.of("username", username), "password", "nope"));
            assertThat(wrong.path("error").path("error").asInt()).isEqualTo(403);
            assertThat(wrong.path("error").path("reason").asText()).isEqualTo("Incorrect password");
            assertThat(wrong.path("error").path("message").asText()).isEqualTo("Incorrect password [403]");
            assertThat(wrong.path("error").path("errorType").asText()).isEqualTo("Meteor.Error");

            client.send(Map.of("msg", "method", "id", 7));
            assertThat(client.await(m -> "error".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("reason").asText())
                    .isEqualTo("Malformed method invocation");
            client.send(Map.of("msg", "nonsense"));
            assertThat(client.await(m -> "error".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("reason").asText())
                    .isEqualTo("Bad request");
            client.send(Map.of("msg", "connect", "version", "1"));
            assertThat(client.await(m -> "error".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("reason").asText())
                    .isEqualTo("Already connected");

            JsonNode sub = client.subscribe("stream-nope", "x", Map.of());
            assertThat(sub.path("msg").asText()).isEqualTo("nosub");
            assertThat(sub.path("error").path("error").asInt()).isEqualTo(404);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void unparsableFramesAndTalkingBeforeConnectCloseTheSocket() {
        DdpTestClient garbage = DdpTestClient.connect(url());
        garbage.sendRaw("{not json");
        assertThat(garbage.awaitClose(Duration.ofSeconds(5))).isEqualTo(1007);

        DdpTestClient early = DdpTestClient.open(url());
        early.send(Map.of("msg", "method", "id", "1", "method", "login", "params", List.of()));
        assertThat(early.awaitClose(Duration.ofSeconds(5))).isEqualTo(1002);

        DdpTestClient badVersion = DdpTestClient.open(url());
        badVersion.send(Map.of("msg", "connect", "version", "42", "support", List.of("42")));
        assertThat(badVersion.await(m -> "failed".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("version").asText())
                .isEqualTo("1");
    }

    @Test
    void streamsNeedLoginAndOnlyTheUserReadsTheirOwnEvents() {
        try (DdpTestClient anonymous = DdpTestClient.connect(url()); DdpTestClient client = DdpTestClient.connect(url())) {
            JsonNode refused = anonymous.subscribe("stream-notify-logged", "user-status", Map.of("useCollection", false, "args", List.of()));
            assertThat(refused.path("error").path("error").asText()).isEqualTo("not-allowed");

            String token = bus.call("accounts.login", Map.of("username", username, "password", "pw")).path("token").asText();
            client.loginWithToken(token);
            client.await(m -> "added".equals(m.path("msg").asText()) && "users".equals(m.path("collection").asText()),
                    Duration.ofSeconds(5));
            assertThat(client.subscribe("stream-notify-user", "someone-else/message", Map.of()).path("msg").asText()).isEqualTo("nosub");
            assertThat(client.subscribe("stream-notify-user", userId + "/subscriptions-changed", Map.of()).path("msg").asText())
                    .isEqualTo("ready");
            assertThat(client.subscribe("stream-notify-all", "", Map.of()).path("error").path("error").asText())
                    .isEqualTo("invalid-event-name");

            bus.publish("watch.subscriptions", Map.of("eventId", "e1", "clientAction", "inserted", "id", "sub1",
                    "data", Map.of("_id", "sub1", "rid", "GENERAL", "u", Map.of("_id", userId))));
            JsonNode event = client.await(m -> "stream-notify-user".equals(m.path("collection").asText()), Duration.ofSeconds(5));
            assertThat(event.path("fields").path("eventName").asText()).isEqualTo(userId + "/subscriptions-changed");
            assertThat(event.path("fields").path("args").path(0).asText()).isEqualTo("inserted");
            bus.publish("watch.subscriptions", Map.of("eventId", "e1", "clientAction", "inserted", "id", "sub1",
                    "data", Map.of("_id", "sub1", "rid", "GENERAL", "u", Map.of("_id", userId))));
            assertThat(client.poll(m -> "stream-notify-user".equals(m.path("collection").asText()), Duration.ofMillis(500)))
                    .as("a repeated event id is delivered once").isNull();
        }
    }

    @Test
    void idleClientsArePingedAndSilentOnesDropped() {
        DdpTestClient client = DdpTestClient.connect(url());
        assertThat(client.await(m -> "ping".equals(m.path("msg").asText()), Duration.ofSeconds(5))).isNotNull();
        client.abort();
    }

    @Test
    void sockJsFramesWrapEveryMessage() {
        DdpTestClient client = DdpTestClient.open("ws://127.0.0.1:" + port + "/sockjs/123/abcdef/websocket");
        assertThat(client.await(m -> "o".equals(m.path("unparsable").asText()), Duration.ofSeconds(5))).isNotNull();
        client.sendRaw("[\"{\\\"msg\\\":\\\"connect\\\",\\\"version\\\":\\\"1\\\",\\\"support\\\":[\\\"1\\\"]}\"]");
        JsonNode framed = client.await(m -> m.path("unparsable").asText().startsWith("a["), Duration.ofSeconds(5));
        assertThat(framed.path("unparsable").asText()).contains("connected");
        client.sendRaw("[\"{\\\"msg\\\":\\\"ping\\\",\\\"id\\\":\\\"x\\\"}\"]");
        assertThat(client.await(m -> m.path("unparsable").asText().contains("pong"), Duration.ofSeconds(5))).isNotNull();
        client.abort();
    }

    @Test
    void sockJsInfoAnswersAsSockJs() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/sockjs/info?cb=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"websocket\":true").contains("\"cookie_needed\":false").contains("entropy");
    }
}
