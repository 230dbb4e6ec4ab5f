package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Threads over REST: replies counted on the parent, the thread lists and their sync, following, Threads_enabled. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class ThreadsRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    @AfterEach
    void threadsBackOn() {
        setting("Threads_enabled", true);
    }

    static String send(Client client, String rid, String text, String tmid) {
        Map<String, Object> message = new java.util.HashMap<>(Map.of("rid", rid, "msg", text));
        if (tmid != null) {
            message.put("tmid", tmid);
        }
        Reply reply = client.post("/api/v1/chat.sendMessage", Map.of("message", message));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("message").path("_id").asText();
    }

    static void assertError(Reply reply, String error, String errorType) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).as(reply.toString()).isEqualTo(error);
        assertThat(reply.json().path("errorType").asText()).as(reply.toString()).isEqualTo(errorType);
    }

    private String channel(Client owner, Client... members) {
        List<String> usernames = new ArrayList<>();
        for (Client member : members) {
            usernames.add(member.username());
        }
        return owner.post("/api/v1/channels.create", Map.of("name", unique("threads"), "members", usernames))
                .json().path("channel").path("_id").asText();
    }

    @Test
    void aReplyCountsOnItsParentAndItsAuthorsFollow() {
        Client alice = newUser("tp");
        Client bob = newUser("tr");
        String rid = channel(alice, bob);
        String parent = send(alice, rid, "Message to create thread", null);
        String reply = send(bob, rid, "a reply", parent);
        // a thread reply alerts the thread's followers without counting as unread in the room
        Document alicesSubscription = subscription(rid, alice);
        assertThat(alicesSubscription.getInteger("unread", 0)).isZero();
        assertThat(alicesSubscription.getBoolean("alert")).isTrue();
        assertThat(alicesSubscription.getDate("lr")).isNotNull();
        // a reply to a reply joins the first thread
        send(alice, rid, "nested", reply);

        JsonNode parentMessage = alice.get("/api/v1/chat.getMessage?msgId=" + parent).json().path("message");
        assertThat(parentMessage.path("tcount").asInt()).isEqualTo(2);
        assertThat(parentMessage.has("tlm")).isTrue();
        assertThat(parentMessage.path("replies").toString()).contains(alice.userId(), bob.userId());
        Document bobsSubscription = subscription(rid, bob);
        assertThat(bobsSubscription.getList("tunread", String.class)).containsExactly(parent);

        JsonNode list = alice.get("/api/v1/chat.getThreadsList?rid=" + rid + "&text=CREATE").json();
        assertThat(list.path("threads").size()).as(list.toString()).isEqualTo(1);
        assertThat(list.path("threads").get(0).path("_id").asText()).isEqualTo(parent);
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(alice.get("/api/v1/chat.getThreadsList?rid=" + rid + "&text=missing").json().path("threads").size()).isZero();
        JsonNode unread = bob.get("/api/v1/chat.getThreadsList?rid=" + rid + "&type=unread").json();
        assertThat(unread.path("threads").size()).as(unread.toString()).isEqualTo(1);

        JsonNode replies = alice.get("/api/v1/chat.getThreadMessages?tmid=" + parent).json();
        assertThat(replies.path("total").asInt()).isEqualTo(2);
        assertThat(replies.path("messages").get(0).path("msg").asText()).isEqualTo("a reply");

        String since = Instant.now().minusSeconds(3600).toString();
        JsonNode sync = alice.get("/api/v1/chat.syncThreadsList?rid=" + rid + "&updatedSince=" + since).json();
        assertThat(sync.path("threads").path("update").size()).as(sync.toString()).isEqualTo(1);
        assertThat(sync.path("threads").path("remove").size()).isZero();

        assertThat(alice.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", reply)).status()).isEqualTo(200);
        JsonNode syncReplies = alice.get("/api/v1/chat.syncThreadMessages?tmid=" + parent + "&updatedSince=" + since).json();
        assertThat(syncReplies.path("messages").path("update").size()).as(syncReplies.toString()).isEqualTo(1);
        assertThat(syncReplies.path("messages").path("remove").get(0).path("_id").asText()).isEqualTo(reply);
    }

    @Test
    void followingAndUnfollowingChangeTheParentsFollowers() {
        Client alice = newUser("fa");
        Client carol = newUser("fc");
        String rid = channel(alice, carol);
        String parent = send(alice, rid, "parent", null);
        String reply = send(alice, rid, "reply", parent);

        assertThat(carol.post("/api/v1/chat.followMessage", Map.of("mid", reply)).status()).isEqualTo(200);
        assertThat(followers(parent)).contains(carol.userId());
        assertThat(carol.get("/api/v1/chat.getThreadsList?rid=" + rid + "&type=following").json().path("threads").size()).isEqualTo(1);
        assertThat(carol.post("/api/v1/chat.unfollowMessage", Map.of("mid", parent)).status()).isEqualTo(200);
        assertThat(followers(parent)).doesNotContain(carol.userId());

        assertError(carol.post("/api/v1/chat.followMessage", Map.of("mid", "no-such-message")), "Invalid message [error-invalid-message]",
                "error-invalid-message");
        Client outsider = newUser("fo");
        String secret = outsider.post("/api/v1/groups.create", Map.of("name", unique("secret"))).json().path("group").path("_id").asText();
        String secretParent = send(outsider, secret, "private", null);
        assertError(carol.post("/api/v1/chat.followMessage", Map.of("mid", secretParent)), "not-allowed [error-not-allowed]", "error-not-allowed");
        assertError(carol.get("/api/v1/chat.getThreadMessages?tmid=" + secretParent), "Not Allowed [error-not-allowed]", "error-not-allowed");
        assertError(carol.get("/api/v1/chat.getThreadsList?rid=" + secret), "Not Allowed [error-not-allowed]", "error-not-allowed");
        assertThat(followers(secretParent)).doesNotContain(carol.userId());
    }

    @Test
    void threadsDisabledRefusesEveryThreadEndpointAndReplies() {
        Client alice = newUser("td");
        String rid = channel(alice);
        String parent = send(alice, rid, "parent", null);
        setting("Threads_enabled", false);

        assertError(alice.get("/api/v1/chat.getThreadsList?rid=" + rid), "Threads Disabled [error-not-allowed]", "error-not-allowed");
        assertError(alice.get("/api/v1/chat.getThreadMessages?tmid=" + parent), "Threads Disabled [error-not-allowed]", "error-not-allowed");
        assertError(alice.get("/api/v1/chat.syncThreadsList?rid=" + rid + "&updatedSince=x"), "Threads Disabled [error-not-allowed]",
                "error-not-allowed");
        assertError(alice.post("/api/v1/chat.followMessage", Map.of("mid", parent)), "not-allowed [error-not-allowed]", "error-not-allowed");
        Reply reply = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "r", "tmid", parent)));
        assertThat(reply.json().path("errorType").asText()).as(reply.toString()).isEqualTo("error-not-allowed");
        assertThat(database.getCollection("rocketchat_message").countDocuments(Filters.eq("tmid", parent))).isZero();
    }

    @Test
    void syncParametersAreCheckedWithRocketChatsErrors() {
        Client alice = newUser("ts");
        String rid = channel(alice);
        assertError(alice.get("/api/v1/chat.syncThreadsList"), "The required \"rid\" query param is missing. [error-room-id-param-not-provided]",
                "error-room-id-param-not-provided");
        assertError(alice.get("/api/v1/chat.syncThreadsList?rid=" + rid),
                "The required param \"updatedSince\" is missing. [error-updatedSince-param-invalid]", "error-updatedSince-param-invalid");
        assertError(alice.get("/api/v1/chat.syncThreadsList?rid=" + rid + "&updatedSince=invalid-date"),
                "The \"updatedSince\" query parameter must be a valid date. [error-updatedSince-param-invalid]", "error-updatedSince-param-invalid");
        assertError(alice.get("/api/v1/chat.syncThreadMessages"), "The required \"tmid\" query param is missing. [error-invalid-params]",
                "error-invalid-params");
    }

    private Document subscription(String rid, Client member) {
        return database.getCollection("rocketchat_subscription")
                .find(Filters.and(Filters.eq("rid", rid), Filters.eq("u._id", member.userId()))).first();
    }

    private List<String> followers(String messageId) {
        Document message = database.getCollection("rocketchat_message").find(Filters.eq("_id", messageId)).first();
        return message.getList("replies", String.class, List.of());
    }
}
