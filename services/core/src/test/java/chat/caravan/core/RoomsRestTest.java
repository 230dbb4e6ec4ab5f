package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** rooms.* on one room of any type, its settings, and discussions, as a Rocket.Chat client sees them. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class RoomsRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    @Test
    void roomsInfoAnswersTheRoomOnlyToWhoMayAccessIt() {
        Client alice = newUser("alice");
        Client eve = newUser("eve");
        String channelId = createChannel(alice, unique("info"));
        JsonNode room = alice.get("/api/v1/rooms.info?roomId=" + channelId).json().path("room");
        assertThat(room.path("customFields").isObject()).isTrue();
        assertThat(room.has("sysMes")).isTrue();
        JsonNode limited = alice.get("/api/v1/rooms.info?roomId=" + channelId + "&fields=%7B%22name%22%3A1%7D").json().path("room");
        assertThat(limited.size()).isEqualTo(2);
        assertThat(limited.has("name")).isTrue();

        String groupId = alice.post("/api/v1/groups.create", Map.of("name", unique("secret"))).json().path("group").path("_id").asText();
        Reply refused = eve.get("/api/v1/rooms.info?roomId=" + groupId);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("secret");
        assertThat(alice.get("/api/v1/rooms.info?roomId=nope").json().path("errorType").asText()).isEqualTo("error-room-not-found");
    }

    @Test
    void isMemberAnswersCallersWhoMayAccessTheRoom() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        Client eve = newUser("eve");
        String groupId = alice.post("/api/v1/groups.create", Map.of("name", unique("members"), "members", List.of(bob.username())))
                .json().path("group").path("_id").asText();
        assertThat(alice.get("/api/v1/rooms.isMember?roomId=" + groupId + "&username=" + bob.username()).json()
                .path("isMember").asBoolean()).isTrue();
        assertThat(alice.get("/api/v1/rooms.isMember?roomId=" + groupId + "&userId=" + eve.userId()).json()
                .path("isMember").asBoolean()).isFalse();
        Reply outsider = eve.get("/api/v1/rooms.isMember?roomId=" + groupId + "&userId=" + alice.userId());
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(alice.get("/api/v1/rooms.isMember?roomId=" + groupId + "&userId=nobody").json().path("error").asText())
                .isEqualTo("error-user-not-found");
    }

    @Test
    void savedRoomSettingsShowInTheRoomWithTheirSystemMessages() {
        Client alice = newUser("alice");
        String rid = createChannel(alice, unique("settings"));
        String newName = unique("renamed");
        Reply saved = admin().post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "roomName", newName, "roomTopic", "a topic",
                "readOnly", true, "reactWhenReadOnly", true, "default", true, "featured", true,
                "favorite", Map.of("favorite", true, "defaultValue", true)));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().path("rid").asText()).isEqualTo(rid);
        JsonNode room = alice.get("/api/v1/rooms.info?roomId=" + rid).json().path("room");
        assertThat(room.path("name").asText()).isEqualTo(newName);
        assertThat(room.path("topic").asText()).isEqualTo("a topic");
        assertThat(room.path("ro").asBoolean()).isTrue();
        assertThat(room.path("reactWhenReadOnly").asBoolean()).isTrue();
        assertThat(room.path("default").asBoolean()).isTrue();
        assertThat(room.path("favorite").asBoolean()).isTrue();
        assertThat(alice.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("name").asText())
                .isEqualTo(newName);
        List<String> types = database.getCollection("rocketchat_message").find(Filters.eq("rid", rid))
                .map(m -> m.getString("t")).into(new java.util.ArrayList<>());
        assertThat(types).contains("r", "room_changed_topic", "room-set-read-only", "room-allowed-reacting");

        admin().post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "favorite", Map.of("favorite", true, "defaultValue", false)));
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + rid).json().path("room").has("favorite")).isFalse();

        // default and featured are for room administrators; unknown settings are refused
        Reply notAdmin = alice.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "default", false));
        assertThat(notAdmin.json().path("errorType").asText()).isEqualTo("error-action-not-allowed");
        assertThat(alice.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "owner", "eve")).json().path("errorType").asText())
                .isEqualTo("error-invalid-settings");
        Client eve = newUser("eve");
        assertThat(eve.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "roomTopic", "mine")).json().path("errorType")
                .asText()).isEqualTo("error-action-not-allowed");
    }

    @Test
    void specialCharacterNamesKeepTheDisplayNameAndGetATransliteratedName() {
        setting("UI_Allow_room_names_with_special_chars", true);
        try {
            Client alice = newUser("alice");
            String suffix = unique("x");
            JsonNode group = alice.post("/api/v1/groups.create", Map.of("name", "Ελληνικά-" + suffix)).json().path("group");
            assertThat(group.path("fname").asText()).isEqualTo("Ελληνικά-" + suffix);
            assertThat(group.path("name").asText()).isEqualTo("Ellinika-" + suffix);
            JsonNode found = admin().get("/api/v1/rooms.adminRooms?filter=Ellinika-" + suffix).json();
            assertThat(found.path("rooms").size()).isEqualTo(1);
        } finally {
            setting("UI_Allow_room_names_with_special_chars", false);
        }
    }

    @Test
    void mutingUsesTheMutedListOrInAReadOnlyRoomTheUnmutedList() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String rid = alice.post("/api/v1/channels.create", Map.of("name", unique("mute"), "members", List.of(bob.username())))
                .json().path("channel").path("_id").asText();
        assertThat(alice.post("/api/v1/rooms.muteUser", Map.of("roomId", rid, "username", bob.username())).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + rid).json().path("room").path("muted").toString()).contains(bob.username());
        Reply muted = bob.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "hello"));
        assertThat(muted.status()).isEqualTo(400);

        alice.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "readOnly", true));
        assertThat(alice.post("/api/v1/rooms.unmuteUser", Map.of("roomId", rid, "userId", bob.userId())).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + rid).json().path("room").path("unmuted").toString())
                .contains(bob.username());
        Client eve = newUser("eve");
        assertThat(eve.post("/api/v1/rooms.muteUser", Map.of("roomId", rid, "username", bob.username())).json().path("errorType")
                .asText()).isEqualTo("error-not-allowed");
    }

    @Test
    void leavingFavoritingAndDeletingFollowTheRoomsRules() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String dm = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        assertThat(alice.post("/api/v1/rooms.leave", Map.of("roomId", dm)).json().path("errorType").asText()).isEqualTo("error-not-allowed");
        String rid = createChannel(alice, unique("leave"));
        assertThat(alice.post("/api/v1/rooms.leave", Map.of("roomId", rid)).json().path("errorType").asText())
                .isEqualTo("error-you-are-last-owner");
        assertThat(alice.post("/api/v1/rooms.favorite", Map.of("roomId", rid, "favorite", true)).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("f").asBoolean()).isTrue();
        assertThat(bob.post("/api/v1/rooms.favorite", Map.of("roomId", rid, "favorite", true)).json().path("errorType").asText())
                .isEqualTo("error-invalid-subscription");
        assertThat(alice.get("/api/v1/rooms.nameExists?roomName=" + alice.get("/api/v1/rooms.info?roomId=" + rid).json()
                .path("room").path("name").asText()).json().path("exists").asBoolean()).isTrue();

        assertThat(bob.post("/api/v1/rooms.delete", Map.of("roomId", rid)).json().path("errorType").asText()).isEqualTo("error-not-allowed");
        assertThat(alice.post("/api/v1/rooms.delete", Map.of()).json().path("error").asText()).isEqualTo("The 'roomId' param is required");
        assertThat(alice.post("/api/v1/rooms.delete", Map.of("roomId", rid)).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + rid).json().path("errorType").asText()).isEqualTo("error-room-not-found");
    }

    @Test
    void cleanHistoryRemovesMessagesInTheRangeAndRefusesOutsiders() {
        Client alice = newUser("alice");
        String rid = createChannel(alice, unique("clean"));
        for (int i = 0; i < 3; i++) {
            alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "m" + i));
        }
        Reply cleaned = admin().post("/api/v1/rooms.cleanHistory", Map.of("roomId", rid, "latest", "9999-12-31T23:59:59.000Z",
                "oldest", "0001-01-01T00:00:00.000Z"));
        assertThat(cleaned.json().path("count").asInt()).as(cleaned.body()).isEqualTo(3);
        assertThat(database.getCollection("rocketchat_message").countDocuments(Filters.eq("rid", rid))).isZero();
        Client eve = newUser("eve");
        assertThat(eve.post("/api/v1/rooms.cleanHistory", Map.of("roomId", rid, "latest", "9999-12-31T23:59:59.000Z",
                "oldest", "0001-01-01T00:00:00.000Z")).json().path("errorType").asText()).isEqualTo("error-not-allowed");
    }

    @Test
    void exportKeepsTheRoomsMessagesAsAFileForTheUser() {
        Client alice = newUser("alice");
        String rid = createChannel(alice, unique("export"));
        alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "<b>exported</b>"));
        Reply bad = admin().post("/api/v1/rooms.export", Map.of("rid", rid, "type", "file", "dateFrom", "2024-03-22",
                "dateTo", "2024-03-15", "format", "html"));
        assertThat(bad.json().path("errorType").asText()).isEqualTo("error-invalid-dates");
        assertThat(admin().post("/api/v1/rooms.export", Map.of("rid", rid, "type", "file", "format", "pdf")).json()
                .path("errorType").asText()).isEqualTo("invalid-params");
        assertThat(admin().post("/api/v1/rooms.export", Map.of("rid", rid, "type", "file", "format", "html")).status()).isEqualTo(200);
        Document file = database.getCollection("rocketchat_user_data_files").find(Filters.eq("rid", rid)).first();
        assertThat(file).isNotNull();
        String html = new String(file.get("content", org.bson.types.Binary.class).getData(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(html).contains("&lt;b&gt;exported&lt;/b&gt;");
    }

    @Test
    void aDiscussionIsARoomWithAParentAndAMessageThere() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String parent = createChannel(alice, unique("parent"));
        Reply created = alice.post("/api/v1/rooms.createDiscussion", Map.of("prid", parent, "t_name", "Lunch plans",
                "users", List.of(bob.username()), "reply", "pizza?"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode discussion = created.json().path("discussion");
        String drid = discussion.path("_id").asText();
        assertThat(discussion.path("rid").asText()).isEqualTo(drid);
        assertThat(discussion.path("prid").asText()).isEqualTo(parent);
        assertThat(discussion.path("fname").asText()).isEqualTo("Lunch plans");
        assertThat(discussion.path("t").asText()).isEqualTo("c");
        assertThat(bob.get("/api/v1/subscriptions.getOne?roomId=" + drid).json().path("subscription").path("prid").asText())
                .isEqualTo(parent);

        JsonNode listed = alice.get("/api/v1/rooms.getDiscussions?roomId=" + parent).json();
        assertThat(listed.path("discussions").size()).isEqualTo(1);
        JsonNode messages = alice.get("/api/v1/chat.getDiscussions?roomId=" + parent + "&text=lunch").json().path("messages");
        assertThat(messages.size()).isEqualTo(1);
        assertThat(messages.get(0).path("drid").asText()).isEqualTo(drid);
        assertThat(messages.get(0).path("t").asText()).isEqualTo("discussion-created");
        assertThat(messages.get(0).path("dcount").asInt()).as("the first reply is counted in the parent").isEqualTo(1);
        JsonNode info = alice.get("/api/v1/rooms.info?roomId=" + drid).json();
        assertThat(info.path("parent").path("_id").asText()).isEqualTo(parent);

        assertThat(alice.post("/api/v1/rooms.createDiscussion", Map.of("prid", drid, "t_name", "nested")).json().path("errorType")
                .asText()).isEqualTo("error-nested-discussion");
        assertThat(alice.post("/api/v1/rooms.createDiscussion", Map.of("prid", "nope", "t_name", "x")).json().path("errorType")
                .asText()).isEqualTo("error-invalid-room");
        setting("Discussion_enabled", false);
        try {
            assertThat(alice.post("/api/v1/rooms.createDiscussion", Map.of("prid", parent, "t_name", "x")).json().path("errorType")
                    .asText()).isEqualTo("error-action-not-allowed");
        } finally {
            setting("Discussion_enabled", true);
        }

        // a discussion of a private group is private, and an outsider can see neither
        String group = alice.post("/api/v1/groups.create", Map.of("name", unique("closed"))).json().path("group").path("_id").asText();
        JsonNode privateDiscussion = alice.post("/api/v1/rooms.createDiscussion", Map.of("prid", group, "t_name", "hidden"))
                .json().path("discussion");
        assertThat(privateDiscussion.path("t").asText()).isEqualTo("p");
        Client eve = newUser("eve");
        assertThat(eve.get("/api/v1/rooms.info?roomId=" + privateDiscussion.path("_id").asText()).status()).isEqualTo(400);
        assertThat(eve.get("/api/v1/chat.getDiscussions?roomId=" + group).json().path("error").asText()).isEqualTo("error-not-allowed");

        // deleting the parent deletes its discussions
        alice.post("/api/v1/rooms.delete", Map.of("roomId", parent));
        assertThat(database.getCollection("rocketchat_room").countDocuments(Filters.eq("_id", drid))).isZero();
    }

    @Test
    void theWebClientsRoomMethodsRunTheSameRules() throws Exception {
        Client alice = newUser("alice");
        Client eve = newUser("eve");
        String rid = createChannel(alice, unique("methods"));
        JsonNode saved = method(alice, "saveRoomSettings", List.of(rid, "roomTopic", "via ddp"));
        assertThat(saved.path("result").path("rid").asText()).as(saved.toString()).isEqualTo(rid);
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + rid).json().path("room").path("topic").asText()).isEqualTo("via ddp");
        assertThat(method(eve, "saveRoomSettings", List.of(rid, Map.of("roomTopic", "eve's"))).path("error").path("error").asText())
                .isEqualTo("error-action-not-allowed");
        JsonNode discussion = method(alice, "createDiscussion", List.of(Map.of("prid", rid, "t_name", "ddp talk"))).path("result");
        assertThat(discussion.path("prid").asText()).isEqualTo(rid);
        JsonNode browsed = method(eve, "browseChannels", List.of(Map.of("text", "methods", "type", "channels"))).path("result");
        assertThat(browsed.path("total").asInt()).isPositive();
        assertThat(method(eve, "eraseRoom", List.of(rid)).path("error").path("error").asText()).isEqualTo("error-not-allowed");
        assertThat(method(alice, "eraseRoom", List.of(rid)).path("result").asBoolean()).isTrue();
    }

    /** A DDP method through the method.call tunnel: the DDP result frame. */
    private static JsonNode method(Client client, String name, List<Object> params) throws Exception {
        Map<String, Object> frame = Map.of("msg", "method", "id", "1", "method", name, "params", new java.util.ArrayList<>(params));
        Reply reply = client.post("/api/v1/method.call/" + name, Map.of("message", JSON.writeValueAsString(frame)));
        return JSON.readTree(reply.json().path("message").asText());
    }

    private static String createChannel(Client client, String name) {
        Reply reply = client.post("/api/v1/channels.create", Map.of("name", name));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("channel").path("_id").asText();
    }
}
