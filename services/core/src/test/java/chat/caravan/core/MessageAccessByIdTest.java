package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A message id is not a key to the message: sending with the {@code _id} of a message the caller cannot see, through
 * every send path, is refused without a word of that message; only the author's own retry in the same room answers
 * the stored message. Reading paths that take a message id check room access before answering anything of it.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MessageAccessByIdTest extends CoreRestTestBase {

    static final String SECRET = "the launch code is 0000";

    Client alice;
    Client eve;
    String groupId;
    String directId;
    String groupMessageId;
    String directMessageId;
    String eveRoom;

    @BeforeEach
    void privateConversations() {
        alice = newUser("alice");
        Client bob = newUser("bob");
        eve = newUser("eve");
        groupId = alice.post("/api/v1/groups.create", Map.of("name", unique("secret"), "members", List.of(bob.username())))
                .json().path("group").path("_id").asText();
        groupMessageId = unique("grp");
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", groupMessageId, "rid", groupId,
                "msg", SECRET))).status()).isEqualTo(200);
        directId = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        directMessageId = unique("dm");
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", directMessageId, "rid", directId,
                "msg", SECRET))).status()).isEqualTo(200);
        eveRoom = eve.post("/api/v1/channels.create", Map.of("name", unique("eves"))).json().path("channel").path("_id").asText();
    }

    @Test
    void chatSendMessageWithAnExistingIdIsRefused() {
        for (String id : List.of(groupMessageId, directMessageId)) {
            for (String rid : List.of(eveRoom, groupId, directId)) {
                Reply reply = eve.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", id, "rid", rid, "msg", "hi")));
                assertRefusedWithoutLeak(reply);
            }
        }
    }

    @Test
    void chatPostMessageWithAnExistingIdIsRefused() {
        for (String id : List.of(groupMessageId, directMessageId)) {
            assertRefusedWithoutLeak(eve.post("/api/v1/chat.postMessage", Map.of("roomId", eveRoom, "_id", id, "text", "hi")));
            assertRefusedWithoutLeak(eve.post("/api/v1/chat.postMessage", Map.of("roomId", groupId, "_id", id, "text", "hi")));
        }
    }

    @Test
    void ddpSendMessageThroughMethodCallWithAnExistingIdIsRefused() {
        for (String id : List.of(groupMessageId, directMessageId)) {
            String frame = "{\"msg\":\"method\",\"id\":\"1\",\"method\":\"sendMessage\",\"params\":[{\"_id\":\"" + id
                    + "\",\"rid\":\"" + eveRoom + "\",\"msg\":\"hi\"}]}";
            Reply reply = eve.post("/api/v1/method.call/sendMessage", Map.of("message", frame));
            assertThat(reply.body()).doesNotContain(SECRET).doesNotContain(alice.username()).doesNotContain(groupId);
            assertThat(reply.json().path("message").asText()).contains("error-message-already-exists");
        }
    }

    @Test
    void theAuthorsOwnRetryInTheSameRoomAnswersTheStoredMessageOnce() {
        Reply again = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", groupMessageId, "rid", groupId,
                "msg", SECRET)));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("message").path("_id").asText()).isEqualTo(groupMessageId);
        assertThat(alice.get("/api/v1/groups.history?roomId=" + groupId).json().path("messages").toString()
                .split(groupMessageId, -1)).as("stored once").hasSize(2);
        // the author's id reused in another room is still refused: it would move nothing and answer a foreign room
        Reply elsewhere = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", groupMessageId, "rid", directId,
                "msg", "other")));
        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(elsewhere.json().path("errorType").asText()).isEqualTo("error-message-already-exists");
    }

    @Test
    void readingPathsByMessageIdAnswerNothingOfAnUnseenMessage() {
        for (String id : List.of(groupMessageId, directMessageId)) {
            for (Reply reply : List.of(eve.get("/api/v1/chat.getMessage?msgId=" + id),
                    eve.get("/api/v1/chat.getThreadMessages?tmid=" + id),
                    eve.post("/api/v1/chat.react", Map.of("messageId", id, "emoji", "smile")),
                    eve.post("/api/v1/chat.pinMessage", Map.of("messageId", id)),
                    eve.post("/api/v1/chat.starMessage", Map.of("messageId", id)),
                    eve.post("/api/v1/chat.update", Map.of("roomId", groupId, "msgId", id, "text", "x")),
                    eve.post("/api/v1/chat.delete", Map.of("roomId", directId, "msgId", id)),
                    eve.post("/api/v1/chat.postMessage", Map.of("roomId", eveRoom, "tmid", id, "text", "x")))) {
                assertThat(reply.status()).as(reply.toString()).isBetween(400, 403);
                assertThat(reply.body()).doesNotContain(SECRET);
            }
        }
        JsonNode untouched = alice.get("/api/v1/chat.getMessage?msgId=" + groupMessageId).json().path("message");
        assertThat(untouched.path("msg").asText()).isEqualTo(SECRET);
        assertThat(untouched.has("reactions")).isFalse();
        assertThat(untouched.path("pinned").asBoolean(false)).isFalse();
    }

    private void assertRefusedWithoutLeak(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.body()).doesNotContain(SECRET).doesNotContain(alice.username());
        JsonNode error = reply.json();
        assertThat(error.path("success").asBoolean(true)).isFalse();
        assertThat(error.has("message") && error.get("message").isObject()).as("no message object").isFalse();
    }
}
