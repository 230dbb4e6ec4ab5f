package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.caravan.common.model.Collections;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.assertj.core.api.SoftAssertions;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A room id, room name or user id is not a key to what it names: every REST endpoint and DDP method that takes one
 * checks access before it answers or changes anything, and its refusal is a Rocket.Chat error that says nothing of the
 * room (its name, topic, members, messages). Each probe names the endpoint it audits.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class RoomAccessByIdTest extends CoreRestTestBase {

    static final String SECRET = "the merger closes on friday";
    static final String TOPIC = "covert-topic-nobody-else-knows";

    @Autowired
    MongoDatabase database;

    Client alice;
    Client bob;
    Client eve;
    String groupName;
    String groupId;
    String groupMessageId;
    String directId;
    String directMessageId;

    @BeforeEach
    void privateRooms() {
        alice = newUser("alice");
        bob = newUser("bob");
        eve = newUser("eve");
        groupName = unique("covert");
        groupId = alice.post("/api/v1/groups.create", Map.of("name", groupName, "members", List.of(bob.username())))
                .json().path("group").path("_id").asText();
        assertThat(alice.post("/api/v1/groups.setTopic", Map.of("roomId", groupId, "topic", TOPIC)).status()).isEqualTo(200);
        groupMessageId = posted(alice.post("/api/v1/chat.postMessage", Map.of("roomId", groupId, "text", SECRET)));
        posted(bob.post("/api/v1/chat.postMessage", Map.of("roomId", groupId, "text", SECRET + " (reply)", "tmid", groupMessageId)));
        directId = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        directMessageId = posted(alice.post("/api/v1/chat.postMessage", Map.of("roomId", directId, "text", SECRET)));
    }

    @Test
    void channelsAndGroupsReadsOfAPrivateGroupAnswerNothingOfIt() {
        SoftAssertions softly = new SoftAssertions();
        for (String kind : List.of("groups", "channels")) {
            for (String endpoint : List.of("info", "history", "messages", "members", "counters", "online", "roles")) {
                String path = "/api/v1/" + kind + "." + endpoint;
                refused(softly, path + " by id", eve.get(path + "?roomId=" + groupId));
                refused(softly, path + " by name", eve.get(path + "?roomName=" + groupName));
            }
        }
        // a DM named where a channel or group is expected
        for (String path : List.of("/api/v1/groups.info", "/api/v1/groups.members", "/api/v1/channels.info",
                "/api/v1/channels.members", "/api/v1/channels.history", "/api/v1/groups.history")) {
            refused(softly, path + " of a DM", eve.get(path + "?roomId=" + directId));
        }
        softly.assertAll();
    }

    @Test
    void channelsAndGroupsWritesToAPrivateGroupAreRefusedAndChangeNothing() {
        SoftAssertions softly = new SoftAssertions();
        Map<String, Map<String, Object>> writes = new java.util.LinkedHashMap<>();
        writes.put("join", Map.of());
        writes.put("leave", Map.of());
        writes.put("invite", Map.of("userId", eve.userId()));
        writes.put("kick", Map.of("userId", bob.userId()));
        writes.put("rename", Map.of("name", unique("renamed")));
        writes.put("setTopic", Map.of("topic", "eve was here"));
        writes.put("setDescription", Map.of("description", "eve was here"));
        writes.put("setAnnouncement", Map.of("announcement", "eve was here"));
        writes.put("setReadOnly", Map.of("readOnly", true));
        writes.put("setType", Map.of("type", "c"));
        writes.put("archive", Map.of());
        writes.put("unarchive", Map.of());
        writes.put("open", Map.of());
        writes.put("close", Map.of());
        writes.put("addOwner", Map.of("userId", eve.userId()));
        writes.put("removeOwner", Map.of("userId", alice.userId()));
        writes.put("addModerator", Map.of("userId", eve.userId()));
        writes.put("removeModerator", Map.of("userId", alice.userId()));
        writes.put("addLeader", Map.of("userId", eve.userId()));
        writes.put("removeLeader", Map.of("userId", alice.userId()));
        writes.put("delete", Map.of());
        for (String kind : List.of("groups", "channels")) {
            for (Map.Entry<String, Map<String, Object>> write : writes.entrySet()) {
                Map<String, Object> body = new java.util.HashMap<>(write.getValue());
                body.put("roomId", groupId);
                refused(softly, kind + "." + write.getKey(), eve.post("/api/v1/" + kind + "." + write.getKey(), body));
            }
        }
        softly.assertAll();
        JsonNode group = alice.get("/api/v1/groups.info?roomId=" + groupId).json().path("group");
        assertThat(group.path("name").asText()).isEqualTo(groupName);
        assertThat(group.path("topic").asText()).isEqualTo(TOPIC);
        assertThat(group.path("usersCount").asInt()).isEqualTo(2);
        assertThat(group.path("ro").asBoolean(false)).isFalse();
    }

    @Test
    void directMessageEndpointsRefuseAnOutsider() {
        SoftAssertions softly = new SoftAssertions();
        for (String kind : List.of("im", "dm")) {
            for (String endpoint : List.of("history", "messages", "members", "counters")) {
                refused(softly, kind + "." + endpoint, eve.get("/api/v1/" + kind + "." + endpoint + "?roomId=" + directId));
            }
            for (String endpoint : List.of("open", "close")) {
                refused(softly, kind + "." + endpoint, eve.post("/api/v1/" + kind + "." + endpoint, Map.of("roomId", directId)));
            }
            refused(softly, kind + ".history of a group", eve.get("/api/v1/" + kind + ".history?roomId=" + groupId));
        }
        softly.assertAll();
    }

    @Test
    void roomsAndSubscriptionsEndpointsRefuseAnOutsider() {
        SoftAssertions softly = new SoftAssertions();
        for (String rid : List.of(groupId, directId)) {
            refused(softly, "rooms.info " + rid, eve.get("/api/v1/rooms.info?roomId=" + rid));
            refused(softly, "rooms.leave " + rid, eve.post("/api/v1/rooms.leave", Map.of("roomId", rid)));
            refused(softly, "rooms.favorite " + rid, eve.post("/api/v1/rooms.favorite", Map.of("roomId", rid, "favorite", true)));
            refused(softly, "rooms.cleanHistory " + rid, eve.post("/api/v1/rooms.cleanHistory", Map.of("roomId", rid,
                    "latest", "2100-01-01T00:00:00.000Z", "oldest", "2000-01-01T00:00:00.000Z")));
            refused(softly, "subscriptions.read " + rid, eve.post("/api/v1/subscriptions.read", Map.of("rid", rid)));
            refused(softly, "subscriptions.unread " + rid, eve.post("/api/v1/subscriptions.unread", Map.of("roomId", rid)));
            refused(softly, "roles.getUsersInRole " + rid, eve.get("/api/v1/roles.getUsersInRole?role=owner&roomId=" + rid));
            // Rocket.Chat answers the caller's own (missing) subscription: null, and nothing of the room
            Reply one = eve.get("/api/v1/subscriptions.getOne?roomId=" + rid);
            softly.assertThat(one.json().path("subscription").isNull()).as("subscriptions.getOne " + one).isTrue();
            noLeak(softly, "subscriptions.getOne", one);
        }
        refused(softly, "rooms.info by name", eve.get("/api/v1/rooms.info?roomName=" + groupName));
        refused(softly, "subscriptions.unread by message", eve.post("/api/v1/subscriptions.unread",
                Map.of("firstUnreadMessage", Map.of("_id", groupMessageId))));
        softly.assertAll();
        assertThat(alice.get("/api/v1/groups.history?roomId=" + groupId).json().path("messages").size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void chatEndpointsNamingAPrivateRoomOrMessageRefuseAnOutsider() {
        SoftAssertions softly = new SoftAssertions();
        for (String rid : List.of(groupId, directId)) {
            refused(softly, "chat.search", eve.get("/api/v1/chat.search?roomId=" + rid + "&searchText=merger"));
            refused(softly, "chat.syncMessages", eve.get("/api/v1/chat.syncMessages?roomId=" + rid
                    + "&lastUpdate=2000-01-01T00:00:00.000Z"));
            refused(softly, "chat.ignoreUser", eve.get("/api/v1/chat.ignoreUser?rid=" + rid + "&userId=" + bob.userId()));
            refused(softly, "chat.postMessage", eve.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "hi")));
            refused(softly, "chat.sendMessage", eve.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "hi"))));
        }
        refused(softly, "chat.postMessage #name", eve.post("/api/v1/chat.postMessage", Map.of("channel", "#" + groupName, "text", "hi")));
        for (String id : List.of(groupMessageId, directMessageId)) {
            refused(softly, "chat.getMessage", eve.get("/api/v1/chat.getMessage?msgId=" + id));
            refused(softly, "chat.getThreadMessages", eve.get("/api/v1/chat.getThreadMessages?tmid=" + id));
            refused(softly, "chat.react", eve.post("/api/v1/chat.react", Map.of("messageId", id, "emoji", "smile")));
            refused(softly, "chat.pinMessage", eve.post("/api/v1/chat.pinMessage", Map.of("messageId", id)));
            refused(softly, "chat.unPinMessage", eve.post("/api/v1/chat.unPinMessage", Map.of("messageId", id)));
            refused(softly, "chat.starMessage", eve.post("/api/v1/chat.starMessage", Map.of("messageId", id)));
            refused(softly, "chat.unStarMessage", eve.post("/api/v1/chat.unStarMessage", Map.of("messageId", id)));
        }
        refused(softly, "chat.update", eve.post("/api/v1/chat.update", Map.of("roomId", groupId, "msgId", groupMessageId, "text", "x")));
        refused(softly, "chat.delete", eve.post("/api/v1/chat.delete", Map.of("roomId", groupId, "msgId", groupMessageId)));
        softly.assertAll();
    }

    @Test
    void ddpMethodsNamingAPrivateRoomOrMessageRefuseAnOutsider() {
        SoftAssertions softly = new SoftAssertions();
        for (String rid : List.of(groupId, directId)) {
            Reply history = method(eve, "loadHistory", List.of(rid, Map.of("$date", System.currentTimeMillis()), 20,
                    Map.of("$date", 0)));
            noLeak(softly, "loadHistory", history);
            softly.assertThat(history.json().path("message").asText()).as("loadHistory answers false").contains("\"result\":false");
            for (Reply reply : List.of(method(eve, "getRoomRoles", List.of(rid)), method(eve, "getUsersOfRoom", List.of(rid, true)),
                    method(eve, "readMessages", List.of(rid)), method(eve, "joinRoom", List.of(rid)),
                    method(eve, "leaveRoom", List.of(rid)),
                    method(eve, "sendMessage", List.of(Map.of("rid", rid, "msg", "hi"))))) {
                methodRefused(softly, reply);
            }
        }
        for (String id : List.of(groupMessageId, directMessageId)) {
            methodRefused(softly, method(eve, "setReaction", List.of(":smile:", id)));
            methodRefused(softly, method(eve, "updateMessage", List.of(Map.of("_id", id, "rid", groupId, "msg", "x"))));
            methodRefused(softly, method(eve, "deleteMessage", List.of(Map.of("_id", id))));
        }
        softly.assertAll();
    }

    @Test
    void anAdministratorOutsideAPrivateGroupCannotEditItsMessages() {
        Client admin = admin();
        Reply rest = admin.post("/api/v1/chat.update", Map.of("roomId", groupId, "msgId", groupMessageId, "text", "rewritten"));
        assertThat(rest.status()).as(rest.toString()).isEqualTo(400);
        assertThat(rest.body()).doesNotContain(SECRET).doesNotContain(alice.username());
        Reply ddp = method(admin, "updateMessage", List.of(Map.of("_id", groupMessageId, "rid", groupId, "msg", "rewritten")));
        assertThat(ddp.json().path("message").asText()).contains("\"error\"").doesNotContain(SECRET);
        assertThat(alice.get("/api/v1/chat.getMessage?msgId=" + groupMessageId).json().path("message").path("msg").asText())
                .isEqualTo(SECRET);
        // the author, and a moderator of the group, still edit
        assertThat(alice.post("/api/v1/chat.update", Map.of("roomId", groupId, "msgId", groupMessageId, "text", SECRET + "!"))
                .status()).isEqualTo(200);
    }

    @Test
    void usersInfoOfAnotherUserShowsOnlyPublicFields() {
        // a Rocket.Chat database keeps the ids of a user's rooms on the user (__rooms), and more that is nobody else's business
        database.getCollection(Collections.USERS).updateOne(Filters.eq("_id", alice.userId()), Updates.combine(
                Updates.set("__rooms", List.of(groupId, directId)), Updates.set("language", "de"),
                Updates.set("ldap", true), Updates.set("customFields", new Document("salary", "100k"))));
        SoftAssertions softly = new SoftAssertions();
        for (Reply reply : List.of(eve.get("/api/v1/users.info?userId=" + alice.userId()),
                eve.get("/api/v1/users.info?username=" + alice.username()))) {
            JsonNode user = reply.json().path("user");
            softly.assertThat(user.path("username").asText()).isEqualTo(alice.username());
            softly.assertThat(reply.body()).as("users.info").doesNotContain(groupId).doesNotContain(directId)
                    .doesNotContain("@core.test").doesNotContain("bcrypt").doesNotContain("100k");
            for (String field : List.of("emails", "services", "roles", "__rooms", "customFields", "settings", "lastLogin")) {
                softly.assertThat(user.has(field)).as("users.info shows " + field).isFalse();
            }
        }
        // the order of a page sorted by a hidden field would reveal it, a character at a time
        for (String field : List.of("emails.address", "services.password.bcrypt", "inviteToken")) {
            Reply ignored = eve.get("/api/v1/users.list?sort=" + java.net.URLEncoder.encode("{\"" + field + "\":-1}",
                    java.nio.charset.StandardCharsets.UTF_8));
            softly.assertThat(ignored.status()).as("users.list drops a sort on " + field + ": " + ignored).isEqualTo(200);
            softly.assertThat(ignored.json().path("users").findValuesAsText("username"))
                    .as("in the default order").isSorted();
        }
        for (String path : List.of("/api/v1/channels.members?roomId=GENERAL&sort=",
                "/api/v1/groups.members?roomId=" + groupId + "&sort=")) {
            Client caller = path.contains("groups") ? bob : eve;
            for (String field : List.of("emails.address", "services.password.bcrypt", "__rooms")) {
                Reply sorted = caller.get(path + java.net.URLEncoder.encode("{\"" + field + "\":1}", java.nio.charset.StandardCharsets.UTF_8));
                softly.assertThat(sorted.status()).as(path + field + ": " + sorted).isEqualTo(400);
                softly.assertThat(sorted.json().path("errorType").asText()).as(path + field).isEqualTo("error-invalid-sort");
            }
        }
        Reply list = eve.get("/api/v1/users.list?count=0");
        softly.assertThat(list.body()).as("users.list").doesNotContain(groupId).doesNotContain("@core.test")
                .doesNotContain("bcrypt").doesNotContain("100k");
        softly.assertAll();
        // the user, and an administrator, still see the private fields
        assertThat(alice.get("/api/v1/users.info?userId=" + alice.userId()).json().path("user").has("emails")).isTrue();
        assertThat(admin().get("/api/v1/users.info?userId=" + alice.userId()).json().path("user").has("emails")).isTrue();
        assertThat(admin().get("/api/v1/users.list?sort=%7B%22emails.address%22%3A1%7D").status()).isEqualTo(200);
        assertThat(eve.get("/api/v1/users.list?sort=%7B%22username%22%3A-1%7D").status()).isEqualTo(200);
        assertThat(bob.get("/api/v1/groups.members?roomId=" + groupId + "&sort=%7B%22username%22%3A-1%7D").json()
                .path("members").get(0).path("username").asText()).isEqualTo(bob.username());
    }

    @Test
    void channelEndpointsCheckAccessWhereRocketChatDoes() {
        // a guest has no view-c-room: a public channel it has not joined is not its to look into
        String guestName = unique("guest");
        assertThat(admin().post("/api/v1/users.create", Map.of("username", guestName, "email", guestName + "@core.test",
                "password", "pw-" + guestName, "name", guestName, "roles", List.of("guest"))).status()).isEqualTo(200);
        Client guest = login(guestName, "pw-" + guestName);
        String channel = alice.post("/api/v1/channels.create", Map.of("name", unique("open"), "members", List.of(bob.username())))
                .json().path("channel").path("_id").asText();
        SoftAssertions softly = new SoftAssertions();
        for (String endpoint : List.of("members", "online", "roles", "history", "messages")) {
            refused(softly, "guest channels." + endpoint, guest.get("/api/v1/channels." + endpoint + "?roomId=" + channel));
        }
        // a livechat room is reachable through channels.* only for those who may access it
        String livechat = unique("livechat");
        database.getCollection(Collections.ROOMS).insertOne(new Document("_id", livechat).append("t", "l")
                .append("fname", alice.username()).append("topic", TOPIC).append("msgs", 0).append("usersCount", 0));
        for (String endpoint : List.of("info", "members", "online", "roles", "counters", "history")) {
            refused(softly, "livechat channels." + endpoint, eve.get("/api/v1/channels." + endpoint + "?roomId=" + livechat));
        }
        softly.assertAll();
        // members, and users with view-c-room, still read the channel
        assertThat(bob.get("/api/v1/channels.online?roomId=" + channel).status()).isEqualTo(200);
        assertThat(eve.get("/api/v1/channels.roles?roomId=" + channel).json().path("roles").toString()).contains(alice.username());
        assertThat(bob.get("/api/v1/groups.roles?roomId=" + groupId).json().path("roles").toString()).contains(alice.username());
        assertThat(bob.get("/api/v1/groups.online?roomId=" + groupId).status()).isEqualTo(200);
    }

    private void refused(SoftAssertions softly, String label, Reply reply) {
        softly.assertThat(reply.status()).as(label + " status: " + reply).isBetween(400, 404);
        softly.assertThat(reply.json().path("success").asBoolean(true)).as(label + " success: " + reply).isFalse();
        noLeak(softly, label, reply);
    }

    private void methodRefused(SoftAssertions softly, Reply reply) {
        softly.assertThat(reply.status()).isEqualTo(200);
        JsonNode result = reply.json().path("message");
        softly.assertThat(result.asText()).as("DDP error: " + reply).contains("\"error\"");
        noLeak(softly, "method.call", reply);
    }

    private void noLeak(SoftAssertions softly, String label, Reply reply) {
        softly.assertThat(reply.body()).as(label + " leaks: " + reply).doesNotContain(SECRET).doesNotContain(TOPIC)
                .doesNotContain(groupName).doesNotContain(alice.username()).doesNotContain(bob.username());
    }

    private static Reply method(Client client, String name, List<Object> params) {
        try {
            Map<String, Object> frame = Map.of("msg", "method", "id", "1", "method", name, "params", new ArrayList<>(params));
            return client.post("/api/v1/method.call/" + name, Map.of("message", JSON.writeValueAsString(frame)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String posted(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("message").path("_id").asText();
    }
}
