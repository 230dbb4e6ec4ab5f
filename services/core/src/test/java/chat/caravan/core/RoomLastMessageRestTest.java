package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** A room's lastMessage: the last user message, kept current as it is reacted to, starred, pinned and deleted. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class RoomLastMessageRestTest extends CoreRestTestBase {

    @Test
    void theLastMessageCopyFollowsReactionsStarsAndPinsAndSystemMessagesDoNotReplaceIt() {
        Client admin = admin();
        String rid = admin.post("/api/v1/groups.create", Map.of("name", unique("last-message"))).json().path("group").path("_id").asText();
        String first = admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "first")).json().path("message")
                .path("_id").asText();
        String msgId = admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "second")).json().path("message")
                .path("_id").asText();
        assertThat(admin.post("/api/v1/chat.react", Map.of("messageId", msgId, "emoji", ":squid:")).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/chat.starMessage", Map.of("messageId", msgId)).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/chat.pinMessage", Map.of("messageId", msgId)).status()).isEqualTo(200);

        JsonNode group = admin.get("/api/v1/groups.info?roomId=" + rid).json().path("group");
        JsonNode last = group.path("lastMessage");
        assertThat(last.path("_id").asText()).as("the pin notice is a system message").isEqualTo(msgId);
        assertThat(last.path("reactions").path(":squid:").path("usernames").get(0).asText()).isEqualTo("admin");
        assertThat(last.path("pinned").asBoolean()).isTrue();
        assertThat(last.path("pinnedAt").isTextual()).isTrue();
        assertThat(last.path("pinnedBy").path("username").asText()).isEqualTo("admin");
        assertThat(last.path("starred").get(0).path("_id").asText()).isEqualTo(admin.userId());
        assertThat(group.path("msgs").asInt()).isEqualTo(3);

        admin.post("/api/v1/chat.react", Map.of("messageId", msgId, "emoji", ":squid:"));
        admin.post("/api/v1/chat.unStarMessage", Map.of("messageId", msgId));
        last = admin.get("/api/v1/groups.info?roomId=" + rid).json().path("group").path("lastMessage");
        assertThat(last.has("reactions")).isFalse();
        assertThat(last.path("starred").size()).isZero();

        // deleting the last message brings back the previous user message, not the pin notice
        assertThat(admin.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", msgId)).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/groups.info?roomId=" + rid).json().path("group").path("lastMessage").path("_id").asText())
                .isEqualTo(first);
    }
}
