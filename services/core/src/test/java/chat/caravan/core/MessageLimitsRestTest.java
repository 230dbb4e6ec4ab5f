package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A client's malformed EJSON and oversized or wrongly typed attachments, on every way a message comes in: a 400 in
 * Rocket.Chat's shape, never a 500, and nothing stored.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MessageLimitsRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    /** {@code method.call/<method>} with a DDP method frame as its EJSON string. */
    static Reply methodCall(Client client, String method, Object... params) {
        try {
            String frame = JSON.writeValueAsString(Map.of("msg", "method", "id", "1", "method", method, "params", java.util.Arrays.asList(params)));
            return client.post("/api/v1/method.call/" + method.replace('/', ':'), Map.of("message", frame));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DDP result inside a method.call reply. */
    static JsonNode ddpResult(Reply reply) {
        try {
            return JSON.readTree(reply.json().path("message").asText());
        } catch (java.io.IOException e) {
            throw new AssertionError("no DDP message in " + reply);
        }
    }

    static void assertClientError(Reply reply, String errorType) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("success").asBoolean(true)).isFalse();
        assertThat(reply.json().path("errorType").asText()).as(reply.toString()).isEqualTo(errorType);
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Internal server error");
    }

    @Test
    void malformedEjsonInMethodCallIsA400() {
        Client alice = newUser("ejson");
        for (Object bad : List.of(Map.of("$date", "x"), Map.of("$date", List.of()), Map.of("$binary", "%%%"),
                Map.of("$InfNaN", "yes"), Map.of("$type", "Decimal", "$value", "1"))) {
            Reply reply = methodCall(alice, "loadHistory", "GENERAL", bad, 20, Map.of("$date", 0));
            assertClientError(reply, "invalid-params");
            assertThat(reply.json().path("error").asText()).as(bad.toString()).startsWith("Invalid EJSON");
        }
        assertClientError(methodCall(alice, "rooms/get", Map.of("$date", "not a date")), "invalid-params");
        assertClientError(methodCall(alice, "sendMessage", Map.of("rid", "GENERAL", "msg", "x",
                "attachments", List.of(Map.of("ts", Map.of("$date", "x"))))), "invalid-params");

        // well-formed dates still work, in milliseconds and as ISO strings
        Reply history = methodCall(alice, "loadHistory", "GENERAL", Map.of("$date", System.currentTimeMillis()), 5,
                Map.of("$date", "2024-01-01T00:00:00.000Z"));
        assertThat(history.status()).isEqualTo(200);
        assertThat(ddpResult(history).has("error")).as(history.toString()).isFalse();
    }

    @Test
    void attachmentsMustBeAnArrayOfObjectsOfRocketChatsTypes() {
        Client alice = newUser("att");
        long before = messages();
        assertClientError(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", "GENERAL", "msg", "x",
                "attachments", "nope"))), "invalid-params");
        assertClientError(alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "x",
                "attachments", "nope")), "invalid-params");
        assertClientError(alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "x",
                "attachments", List.of("nope"))), "invalid-params");
        assertClientError(alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "x",
                "attachments", List.of(Map.of("title", 42)))), "invalid-params");
        assertClientError(alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "x",
                "attachments", List.of(Map.of("fields", List.of(Map.of("title", "t", "value", "v", "short", "no")))))),
                "invalid-params");
        assertClientError(alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "x",
                "attachments", List.of(Map.of("$where", "1")))), "invalid-params");
        JsonNode viaMethod = ddpResultOrError(methodCall(alice, "sendMessage", Map.of("rid", "GENERAL", "msg", "x",
                "attachments", "nope")));
        assertThat(viaMethod.path("error").path("error").asText()).isEqualTo("invalid-params");
        assertThat(messages()).isEqualTo(before);

        Reply good = alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "see",
                "attachments", List.of(Map.of("title", "a link", "title_link", "https://example.com", "collapsed", false,
                        "fields", List.of(Map.of("title", "k", "value", "v", "short", true))))));
        assertThat(good.status()).as(good.toString()).isEqualTo(200);
        assertThat(good.json().path("message").path("attachments").path(0).path("title").asText()).isEqualTo("a link");
    }

    @Test
    void theWholeMessageIsBoundedOnEveryWayIn() {
        Client alice = newUser("big");
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            attachments.add(Map.of("title", "part " + i, "text", "x".repeat(4000)));
        }
        long before = messages();
        assertClientError(alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "x",
                "attachments", attachments)), "error-message-size-exceeded");
        assertClientError(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", "GENERAL", "msg", "x",
                "attachments", attachments))), "error-message-size-exceeded");
        JsonNode viaMethod = ddpResultOrError(methodCall(alice, "sendMessage", Map.of("rid", "GENERAL", "msg", "x",
                "attachments", attachments)));
        assertThat(viaMethod.path("error").path("error").asText()).isEqualTo("error-message-size-exceeded");
        assertThat(messages()).isEqualTo(before);

        String msgId = alice.post("/api/v1/chat.postMessage", Map.of("roomId", "GENERAL", "text", "small"))
                .json().path("message").path("_id").asText();
        JsonNode edit = ddpResultOrError(methodCall(alice, "updateMessage", Map.of("_id", msgId, "rid", "GENERAL",
                "msg", "edited", "attachments", attachments)));
        assertThat(edit.path("error").path("error").asText()).isEqualTo("error-message-size-exceeded");
        JsonNode typed = ddpResultOrError(methodCall(alice, "updateMessage", Map.of("_id", msgId, "rid", "GENERAL",
                "msg", "edited", "attachments", "nope")));
        assertThat(typed.path("error").path("error").asText()).isEqualTo("invalid-params");
        assertThat(alice.post("/api/v1/chat.update", Map.of("roomId", "GENERAL", "msgId", msgId, "text", "x".repeat(5001)))
                .status()).isEqualTo(400);
        assertThat(alice.get("/api/v1/chat.getMessage?msgId=" + msgId).json().path("message").path("msg").asText())
                .isEqualTo("small");
    }

    /** method.call answers 200 with the method's error inside, or 400 when the frame itself is refused. */
    private static JsonNode ddpResultOrError(Reply reply) {
        if (reply.status() == 200) {
            return ddpResult(reply);
        }
        return JSON.createObjectNode().set("error", JSON.createObjectNode().put("error", reply.json().path("errorType").asText()));
    }

    private long messages() {
        return database.getCollection("rocketchat_message").countDocuments();
    }
}
