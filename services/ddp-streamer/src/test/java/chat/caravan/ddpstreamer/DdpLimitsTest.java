package chat.caravan.ddpstreamer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.model.Collections;
import chat.caravan.common.testing.CaravanTestProperties;
import chat.caravan.common.testing.DdpTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What one client may ask of a ddp-streamer: the size of a message, the number of subscriptions, malformed EJSON,
 * and how long a silent socket stays counted as online. Over real WebSockets, with presence in the same JVM.
 */
@SpringBootTest(classes = DdpLimitsTest.App.class)
class DdpLimitsTest {

    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    static final int MAX_SUBSCRIPTIONS = 20;
    static final int MAX_WATCHED_USERS = 50;
    static final ObjectMapper JSON = new ObjectMapper();

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.ddpstreamer", "chat.caravan.accounts",
            "chat.caravan.authorization", "chat.caravan.presence"})
    static class App {
    }

    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        port = CaravanTestProperties.register(registry);
        registry.add("caravan.http.max-websocket-message-bytes", () -> MAX_MESSAGE_BYTES);
        registry.add("caravan.ddp.max-subscriptions", () -> MAX_SUBSCRIPTIONS);
        registry.add("caravan.ddp.max-watched-users", () -> MAX_WATCHED_USERS);
        registry.add("caravan.ddp.ping-after", () -> "500ms");
        registry.add("caravan.ddp.ping-timeout", () -> "500ms");
        registry.add("caravan.ddp.heartbeat-check", () -> "100");
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    String username;
    String userId;

    @BeforeEach
    void user() {
        username = "lim" + System.nanoTime();
        userId = bus.call("accounts.createUser", Map.of("username", username, "email", username + "@t.io", "password", "pw",
                "name", "L")).path("user").path("_id").asText();
    }

    String url() {
        return "ws://127.0.0.1:" + port + "/websocket";
    }

    String sockJsUrl() {
        return "ws://127.0.0.1:" + port + "/sockjs/123/limits" + System.nanoTime() + "/websocket";
    }

    /** A ping frame padded to {@code bytes} with an ignored field. */
    static String paddedPing(String id, int bytes) throws Exception {
        String frame = JSON.writeValueAsString(Map.of("msg", "ping", "id", id, "pad", ""));
        return frame.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(Math.max(0, bytes - frame.length())) + "\"");
    }

    @Test
    void aMessageUnderTheLimitButOverVertxDefaultsIsAnswered() throws Exception {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            // over Vert.x's default 64 KiB frame size, under the configured limit: answered, in one frame
            client.sendRaw(paddedPing("big", 100 * 1024));
            assertThat(client.await(m -> "pong".equals(m.path("msg").asText()), Duration.ofSeconds(10)).path("id").asText())
                    .isEqualTo("big");
            // and in several frames
            String message = paddedPing("fragmented", 100 * 1024);
            client.sendFragments(message.substring(0, 40_000), message.substring(40_000, 80_000), message.substring(80_000));
            assertThat(client.await(m -> "pong".equals(m.path("msg").asText()), Duration.ofSeconds(10)).path("id").asText())
                    .isEqualTo("fragmented");
        }
    }

    @Test
    void anOversizeFrameClosesTheSocketWith1009() throws Exception {
        DdpTestClient client = DdpTestClient.connect(url());
        client.sendRaw(paddedPing("huge", MAX_MESSAGE_BYTES + 1024));
        assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
    }

    @Test
    void anOversizeMessageInManyFramesClosesTheSocketWith1009() throws Exception {
        DdpTestClient client = DdpTestClient.connect(url());
        String message = paddedPing("huge", MAX_MESSAGE_BYTES * 2);
        int part = message.length() / 8;
        String[] parts = new String[8];
        for (int i = 0; i < 8; i++) {
            parts[i] = message.substring(i * part, i == 7 ? message.length() : (i + 1) * part);
        }
        try {
            client.sendFragments(parts);
        } catch (RuntimeException e) {
            // the server may close while the last frames are still being written
        }
        assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
    }

    @Test
    void anOversizeSockJsFrameClosesTheSocketWith1009() throws Exception {
        DdpTestClient client = DdpTestClient.open(sockJsUrl());
        client.await(m -> "o".equals(m.path("unparsable").asText()), Duration.ofSeconds(5));
        client.sendRaw(JSON.writeValueAsString(List.of(paddedPing("huge", MAX_MESSAGE_BYTES + 1024))));
        assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
    }

    @Test
    void subscriptionsPerConnectionAreCapped() {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
                assertThat(client.subscribe("stream-notify-all", "public-settings-changed", Map.of()).path("msg").asText())
                        .isEqualTo("ready");
            }
            JsonNode refused = client.subscribe("stream-notify-all", "public-settings-changed", Map.of());
            assertThat(refused.path("msg").asText()).isEqualTo("nosub");
            assertThat(refused.path("error").path("error").asText()).isEqualTo("too-many-subscriptions");
            assertThat(refused.path("error").path("errorType").asText()).isEqualTo("Meteor.Error");
            assertThat(refused.path("error").path("details").path("limit").asInt()).isEqualTo(MAX_SUBSCRIPTIONS);

            // an unsubscription makes room again
            client.send(Map.of("msg", "unsub", "id", "s1"));
            client.await(m -> "nosub".equals(m.path("msg").asText()) && "s1".equals(m.path("id").asText()), Duration.ofSeconds(5));
            assertThat(client.subscribe("stream-notify-all", "public-settings-changed", Map.of()).path("msg").asText())
                    .isEqualTo("ready");
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void thePresenceWatchListIsCapped() {
        String token = bus.call("accounts.login", Map.of("username", username, "password", "pw")).path("token").asText();
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            client.loginWithToken(token);
            List<String> some = new java.util.ArrayList<>();
            for (int i = 0; i < MAX_WATCHED_USERS; i++) {
                some.add("u" + i);
            }
            assertThat(client.subscribe("stream-user-presence", "", Map.of("added", some)).path("msg").asText()).isEqualTo("ready");
            JsonNode refused = client.subscribe("stream-user-presence", "", Map.of("added", List.of("one-more")));
            assertThat(refused.path("msg").asText()).isEqualTo("nosub");
            assertThat(refused.path("error").path("error").asText()).isEqualTo("too-many-subscriptions");
            // removing makes room again
            assertThat(client.subscribe("stream-user-presence", "", Map.of("removed", List.of("u0"), "added", List.of("one-more")))
                    .path("error").isMissingNode()).isTrue();
        }
    }

    @Test
    void malformedEjsonInMethodsAndSubscriptionsIsA400() {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            for (Object bad : List.of(Map.of("$date", "x"), Map.of("$date", true), Map.of("$binary", "not base64!"),
                    Map.of("$InfNaN", 7), Map.of("$type", "nope", "$value", 1), Map.of("$escape", 3))) {
                JsonNode reply = client.call("loadHistory", "GENERAL", bad, 20, Map.of("$date", 0));
                assertThat(reply.path("error").path("error").asText()).as(bad.toString()).isEqualTo("invalid-params");
                assertThat(reply.path("error").path("reason").asText()).as(bad.toString()).startsWith("Invalid EJSON");
                assertThat(reply.path("error").path("errorType").asText()).isEqualTo("Meteor.Error");
                assertThat(reply.toString()).doesNotContain("Exception").doesNotContain("Internal server error");
            }
            JsonNode nested = client.call("sendMessage", Map.of("rid", "GENERAL", "msg", "x",
                    "attachments", List.of(Map.of("ts", Map.of("$date", "yesterday")))));
            assertThat(nested.path("error").path("error").asText()).isEqualTo("invalid-params");

            JsonNode sub = client.subscribe("stream-notify-all", "public-settings-changed", Map.of("$date", "x"));
            assertThat(sub.path("msg").asText()).isEqualTo("nosub");
            assertThat(sub.path("error").path("error").asText()).isEqualTo("invalid-params");
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void aSocketThatStopsAnsweringPingsIsClosedAndPresenceToldAtOnce() {
        String token = bus.call("accounts.login", Map.of("username", username, "password", "pw")).path("token").asText();
        DdpTestClient client = DdpTestClient.connect(url());
        client.loginWithToken(token);
        awaitStatus("online");
        assertThat(connections()).hasSize(1);

        client.answerPings(false);
        // ping after 500 ms of silence, closed 500 ms later: well within the 10 s allowed here
        assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo(4000);
        awaitStatus("offline");
        assertThat(connections()).isEmpty();
    }

    private List<Document> connections() {
        Document sessions = database.getCollection(Collections.USERS_SESSIONS).find(Filters.eq("_id", userId)).first();
        return sessions == null ? List.of() : sessions.getList("connections", Document.class, List.of());
    }

    private void awaitStatus(String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            Document user = database.getCollection(Collections.USERS).find(Filters.eq("_id", userId)).first();
            seen = user == null ? null : user.getString("status");
            if (status.equals(seen)) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new AssertionError("status " + seen + " instead of " + status + " after 10 s");
    }
}
