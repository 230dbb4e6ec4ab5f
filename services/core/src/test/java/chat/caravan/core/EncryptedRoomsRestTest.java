package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * End-to-end encrypted rooms, as far as the server has a part in them: encrypted messages ({@code t: "e2e"}) are
 * stored as the clients send them, and with {@code E2E_Enable} on and {@code E2E_Allow_Unencrypted_Messages} off,
 * Rocket.Chat's sendMessage (REST chat.sendMessage, DDP sendMessage) refuses a plain message in an encrypted room.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class EncryptedRoomsRestTest extends CoreRestTestBase {

    private static final String REFUSED = "Not allowed to send un-encrypted messages in an encrypted room";

    @AfterEach
    void defaults() {
        setting("E2E_Enable", false);
        setting("E2E_Allow_Unencrypted_Messages", true);
    }

    @Test
    void anEncryptedGroupTakesOnlyEncryptedMessagesUnlessPlainOnesAreAllowed() {
        Client alice = newUser("e2e");
        JsonNode group = alice.post("/api/v1/groups.create", Map.of("name", unique("secret"), "extraData",
                Map.of("encrypted", true))).json().path("group");
        assertThat(group.path("encrypted").asBoolean()).as(group.toString()).isTrue();
        String rid = group.path("_id").asText();
        String plainGroup = alice.post("/api/v1/groups.create", Map.of("name", unique("plain"))).json().path("group")
                .path("_id").asText();
        setting("E2E_Enable", true);
        setting("E2E_Allow_Unencrypted_Messages", false);

        Reply encrypted = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "3f9a0c",
                "t", "e2e", "e2e", "pending", "content", Map.of("algorithm", "rc.v1.aes-sha2", "ciphertext", "3f9a0c"))));
        assertThat(encrypted.status()).as(encrypted.toString()).isEqualTo(200);
        JsonNode stored = alice.get("/api/v1/chat.getMessage?msgId=" + encrypted.json().path("message").path("_id").asText())
                .json().path("message");
        assertThat(stored.path("t").asText()).isEqualTo("e2e");
        assertThat(stored.path("e2e").asText()).isEqualTo("pending");
        assertThat(stored.path("content").path("ciphertext").asText()).isEqualTo("3f9a0c");
        assertThat(stored.has("md")).as("ciphertext is not parsed as markdown").isFalse();

        Reply plain = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "in clear")));
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.json().path("errorType").asText()).isEqualTo("error-not-allowed");
        assertThat(plain.json().path("error").asText()).isEqualTo(REFUSED + " [error-not-allowed]");
        String frame = "{\"msg\":\"method\",\"id\":\"1\",\"method\":\"sendMessage\",\"params\":[{\"rid\":\"" + rid
                + "\",\"msg\":\"in clear over DDP\"}]}";
        JsonNode ddp = alice.post("/api/v1/method.call/sendMessage", Map.of("message", frame)).json();
        assertThat(ddp.path("message").asText()).contains("error-not-allowed").contains(REFUSED);
        assertThat(alice.get("/api/v1/groups.history?roomId=" + rid).json().path("messages").toString())
                .as("nothing plain was stored").doesNotContain("in clear");
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", plainGroup, "msg", "in clear")))
                .status()).as("a room that is not encrypted").isEqualTo(200);
        assertThat(alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "a bot's post")).status())
                .as("chat.postMessage is not Rocket.Chat's sendMessage method").isEqualTo(200);
        Reply badState = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x",
                "t", "e2e", "e2e", "maybe")));
        assertThat(badState.status()).isEqualTo(400);
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x", "t", "uj")))
                .json().path("errorType").asText()).as("other message types stay refused").isEqualTo("error-invalid-message");

        setting("E2E_Allow_Unencrypted_Messages", true);
        Reply allowed = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "text", "plain again")));
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        assertThat(allowed.json().path("message").path("text").asText()).as("the client's text is kept").isEqualTo("plain again");
        setting("E2E_Allow_Unencrypted_Messages", false);
        setting("E2E_Enable", false);
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "e2e is off")))
                .status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/groups.history?roomId=" + rid).json().path("messages").findValuesAsText("msg"))
                .contains("3f9a0c", "a bot's post", "e2e is off").doesNotContain("in clear", "in clear over DDP");
    }
}
