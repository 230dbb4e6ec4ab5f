package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The chat.* endpoints' refusals in Rocket.Chat's words, and the rules behind ignoreUser and delete asUser. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class ChatParamErrorsRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    private static void assertCoded(Reply reply, String errorType) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("errorType").asText()).as(reply.toString()).isEqualTo(errorType);
    }

    @Test
    void messageIdAndEmojiParametersAreNamedInTheError() {
        Client alice = newUser("pe");
        for (String endpoint : List.of("chat.pinMessage", "chat.unPinMessage", "chat.starMessage", "chat.unStarMessage", "chat.react")) {
            assertCoded(alice.post("/api/v1/" + endpoint, Map.of()), "error-messageid-param-not-provided");
            assertCoded(alice.post("/api/v1/" + endpoint, Map.of("messageId", "nope", "emoji", "smile")), "error-message-not-found");
        }
        assertCoded(alice.post("/api/v1/chat.postMessage", Map.of("text", "x")), "invalid-channel");
        String message = ThreadsRestTest.send(alice, "GENERAL", "hi", null);
        assertCoded(alice.post("/api/v1/chat.react", Map.of("messageId", message)), "error-emoji-param-not-provided");
        assertCoded(alice.get("/api/v1/chat.syncMessages"), "error-roomId-param-not-provided");
        assertCoded(alice.get("/api/v1/chat.syncMessages?roomId=GENERAL"), "error-lastUpdate-param-not-provided");
        assertCoded(alice.get("/api/v1/chat.syncMessages?roomId=GENERAL&lastUpdate=never"), "error-roomId-param-invalid");
        assertCoded(alice.get("/api/v1/chat.ignoreUser?userId=x"), "error-room-id-param-not-provided");
        assertCoded(alice.get("/api/v1/chat.ignoreUser?rid=GENERAL"), "error-user-id-param-not-provided");
        Reply receipts = alice.get("/api/v1/chat.getMessageReadReceipts?messageId=" + message);
        assertThat(receipts.json().path("error").asText()).isEqualTo("This is an enterprise feature [error-action-not-allowed]");
    }

    @Test
    void onlyMembersOfTheRoomCanBeIgnored() {
        Client alice = newUser("ia");
        Client bob = newUser("ib");
        Client stranger = newUser("is");
        String rid = alice.post("/api/v1/channels.create", Map.of("name", unique("ignore"), "members", List.of(bob.username())))
                .json().path("channel").path("_id").asText();
        assertCoded(alice.get("/api/v1/chat.ignoreUser?rid=" + rid + "&userId=" + stranger.userId()), "error-invalid-subscription");
        assertThat(alice.get("/api/v1/chat.ignoreUser?rid=" + rid + "&userId=" + bob.userId()).status()).isEqualTo(200);
        assertThat(ignored(rid, alice)).containsExactly(bob.userId());
        // only "true" or "1" ignore; anything else un-ignores
        assertThat(alice.get("/api/v1/chat.ignoreUser?rid=" + rid + "&userId=" + bob.userId() + "&ignore=no").status()).isEqualTo(200);
        assertThat(ignored(rid, alice)).isEmpty();
    }

    @Test
    void deletingAsTheAuthorNeedsForceDeleteMessage() {
        Client alice = newUser("da");
        Client bob = newUser("db");
        String rid = alice.post("/api/v1/channels.create", Map.of("name", unique("del"), "members", List.of(bob.username())))
                .json().path("channel").path("_id").asText();
        String alicesMessage = ThreadsRestTest.send(alice, rid, "mine", null);
        String bobsMessage = ThreadsRestTest.send(bob, rid, "his", null);
        // a plain member may not delete another's message as its author
        Reply refused = bob.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", alicesMessage, "asUser", true));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).contains("force-delete-message");
        assertThat(database.getCollection("rocketchat_message").countDocuments(Filters.eq("_id", alicesMessage))).isEqualTo(1);
        // the room's owner holds force-delete-message
        Reply deleted = alice.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", bobsMessage, "asUser", true));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(database.getCollection("rocketchat_message").countDocuments(Filters.eq("_id", bobsMessage))).isZero();
    }

    private List<String> ignored(String rid, Client client) {
        Document subscription = database.getCollection("rocketchat_subscription")
                .find(Filters.and(Filters.eq("rid", rid), Filters.eq("u._id", client.userId()))).first();
        return subscription.getList("ignored", String.class, List.of());
    }
}
