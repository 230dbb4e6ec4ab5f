package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The Rocket.Chat REST API of core, with the consistency clients rely on. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class CoreRestTest extends CoreRestTestBase {

    @Test
    void infoAndAuthentication() {
        assertThat(anonymous().get("/api/info").json().path("version").asText()).matches("\\d+\\.\\d+");
        Reply unauthenticated = anonymous().get("/api/v1/channels.list");
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.json().path("message").asText()).isEqualTo("You must be logged in to do this.");
        assertThat(anonymous().get("/api/v1/no.such.thing").status()).isEqualTo(404);
        assertThat(admin().get("/api/v1/channels.info?roomName=general").json().path("channel").path("_id").asText())
                .isEqualTo("GENERAL");
    }

    @Test
    void aChannelsLifeKeepsRoomSubscriptionsAndMessagesConsistent() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String name = unique("team");
        JsonNode channel = alice.post("/api/v1/channels.create", Map.of("name", name, "members", List.of(bob.username())))
                .json().path("channel");
        String rid = channel.path("_id").asText();
        assertThat(channel.path("usersCount").asInt()).isEqualTo(2);
        assertThat(channel.path("msgs").asInt()).isZero();
        assertThat(alice.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("roles").toString())
                .contains("owner");

        Client carol = newUser("carol");
        assertThat(carol.post("/api/v1/channels.join", Map.of("roomId", rid)).status()).isEqualTo(200);
        JsonNode afterJoin = alice.get("/api/v1/channels.info?roomId=" + rid).json().path("channel");
        assertThat(afterJoin.path("usersCount").asInt()).isEqualTo(3);
        assertThat(afterJoin.path("msgs").asInt()).isEqualTo(1);
        // a system message counts, but is never the room's last message (Rocket.Chat's saveSystemMessage)
        assertThat(afterJoin.has("lastMessage")).isFalse();

        Reply posted = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "hi @" + bob.username() + " and @all"));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        JsonNode bobSub = bob.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        assertThat(bobSub.path("unread").asInt()).isEqualTo(1);
        assertThat(bobSub.path("alert").asBoolean()).isTrue();
        assertThat(bobSub.path("userMentions").asInt()).isEqualTo(1);
        // named, bob counts the message as a user mention only; @all is a group mention for the others
        assertThat(bobSub.path("groupMentions").asInt()).isZero();
        JsonNode carolSub = carol.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        // joining leaves a fresh membership unread (unread 1, userMentions 1) as Rocket.Chat does; @all adds a group mention
        assertThat(carolSub.path("unread").asInt()).isEqualTo(2);
        assertThat(carolSub.path("userMentions").asInt()).isEqualTo(1);
        assertThat(carolSub.path("groupMentions").asInt()).isEqualTo(1);

        assertThat(bob.post("/api/v1/subscriptions.read", Map.of("rid", rid)).status()).isEqualTo(200);
        bobSub = bob.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        assertThat(bobSub.path("unread").asInt()).isZero();
        assertThat(bobSub.path("alert").asBoolean()).isFalse();
        assertThat(bobSub.has("ls")).isTrue();

        JsonNode counters = bob.get("/api/v1/channels.counters?roomId=" + rid).json();
        assertThat(counters.path("joined").asBoolean()).isTrue();
        assertThat(counters.path("msgs").asInt()).isEqualTo(2);
        assertThat(counters.path("members").asInt()).isEqualTo(3);

        assertThat(alice.post("/api/v1/channels.setTopic", Map.of("roomId", rid, "topic", "plans")).json().path("topic").asText())
                .isEqualTo("plans");
        assertThat(bob.post("/api/v1/channels.setTopic", Map.of("roomId", rid, "topic", "mine")).json().path("errorType").asText())
                .isEqualTo("error-action-not-allowed");
        String renamed = unique("renamed");
        assertThat(alice.post("/api/v1/channels.rename", Map.of("roomId", rid, "name", renamed)).json().path("channel")
                .path("name").asText()).isEqualTo(renamed);
        assertThat(bob.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("name").asText())
                .isEqualTo(renamed);

        JsonNode history = bob.get("/api/v1/channels.history?roomId=" + rid + "&count=10").json().path("messages");
        assertThat(history).extracting(m -> m.path("t").asText("message"))
                .containsExactly("r", "room_changed_topic", "message", "uj");
        assertThat(history.get(2).path("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        Reply page = bob.get("/api/v1/channels.messages?roomId=" + rid + "&count=2&offset=1");
        assertThat(page.json().path("count").asInt()).isEqualTo(2);
        assertThat(page.json().path("offset").asInt()).isEqualTo(1);
        assertThat(page.json().path("total").asInt()).isEqualTo(4);
        assertThat(bob.get("/api/v1/channels.members?roomId=" + rid).json().path("total").asInt()).isEqualTo(3);

        assertThat(bob.post("/api/v1/channels.leave", Map.of("roomId", rid)).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/channels.info?roomId=" + rid).json().path("channel").path("usersCount").asInt()).isEqualTo(2);
        Reply archive = alice.post("/api/v1/channels.archive", Map.of("roomId", rid));
        assertThat(archive.status()).as(archive.body()).isEqualTo(200);
        Reply archived = carol.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "too late"));
        assertThat(archived.json().path("errorType").asText()).isEqualTo("error-room-archived");
        // unarchive-room belongs to admins only
        assertThat(alice.post("/api/v1/channels.unarchive", Map.of("roomId", rid)).json().path("errorType").asText())
                .isEqualTo("error-action-not-allowed");
        assertThat(admin().post("/api/v1/channels.unarchive", Map.of("roomId", rid)).status()).isEqualTo(200);
        assertThat(alice.post("/api/v1/channels.delete", Map.of("roomId", rid)).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/channels.info?roomId=" + rid).json().path("errorType").asText()).isEqualTo("error-room-not-found");
    }

    @Test
    void messagesReactPinStarEditDeleteAndThread() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String rid = alice.post("/api/v1/channels.create", Map.of("name", unique("msgs"), "members", List.of(bob.username())))
                .json().path("channel").path("_id").asText();
        JsonNode message = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", "clientId" + System.nanoTime() % 100000,
                "rid", rid, "msg", "original"))).json().path("message");
        String id = message.path("_id").asText();
        assertThat(id).startsWith("clientId");

        assertThat(bob.post("/api/v1/chat.react", Map.of("messageId", id, "emoji", "smile")).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/chat.getMessage?msgId=" + id).json().path("message").path("reactions")
                .path(":smile:").path("usernames").toString()).contains(bob.username());
        bob.post("/api/v1/chat.react", Map.of("messageId", id, "emoji", ":smile:"));
        assertThat(alice.get("/api/v1/chat.getMessage?msgId=" + id).json().path("message").has("reactions")).isFalse();

        assertThat(bob.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "hijacked")).json().path("errorType")
                .asText()).isEqualTo("error-action-not-allowed");
        JsonNode edited = alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "edited")).json().path("message");
        assertThat(edited.path("msg").asText()).isEqualTo("edited");
        assertThat(edited.path("editedBy").path("username").asText()).isEqualTo(alice.username());

        assertThat(alice.post("/api/v1/chat.pinMessage", Map.of("messageId", id)).json().path("message").path("t").asText())
                .isEqualTo("message_pinned");
        assertThat(bob.post("/api/v1/chat.starMessage", Map.of("messageId", id)).status()).isEqualTo(200);
        JsonNode annotated = bob.get("/api/v1/chat.getMessage?msgId=" + id).json().path("message");
        assertThat(annotated.path("pinned").asBoolean()).isTrue();
        assertThat(annotated.path("starred").toString()).contains(bob.userId());

        JsonNode reply = bob.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "in thread", "tmid", id)).json().path("message");
        assertThat(reply.path("tmid").asText()).isEqualTo(id);
        JsonNode parent = alice.get("/api/v1/chat.getMessage?msgId=" + id).json().path("message");
        assertThat(parent.path("tcount").asInt()).isEqualTo(1);
        assertThat(parent.path("replies").toString()).contains(bob.userId());
        assertThat(alice.get("/api/v1/chat.getThreadMessages?tmid=" + id).json().path("total").asInt()).isEqualTo(1);
        assertThat(alice.get("/api/v1/chat.search?roomId=" + rid + "&searchText=thread").json().path("messages").size()).isEqualTo(1);

        JsonNode solo = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "delete me")).json().path("message");
        int msgsBefore = alice.get("/api/v1/channels.info?roomId=" + rid).json().path("channel").path("msgs").asInt();
        assertThat(bob.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", solo.path("_id").asText())).json()
                .path("errorType").asText()).isEqualTo("error-action-not-allowed");
        Reply deleted = alice.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", solo.path("_id").asText()));
        assertThat(deleted.json().path("_id").asText()).isEqualTo(solo.path("_id").asText());
        assertThat(alice.get("/api/v1/channels.info?roomId=" + rid).json().path("channel").path("msgs").asInt()).isEqualTo(msgsBefore - 1);
        JsonNode sync = alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&lastUpdate=2000-01-01T00:00:00.000Z").json().path("result");
        assertThat(sync.path("deleted").toString()).contains(solo.path("_id").asText());
    }

    @Test
    void privateGroupsAndDirectMessages() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        Client eve = newUser("eve");
        String rid = alice.post("/api/v1/groups.create", Map.of("name", unique("secret"), "members", List.of(bob.username())))
                .json().path("group").path("_id").asText();
        alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "private words"));
        assertThat(bob.get("/api/v1/groups.history?roomId=" + rid).body()).contains("private words");
        assertThat(eve.get("/api/v1/groups.info?roomId=" + rid).json().path("errorType").asText()).isEqualTo("error-room-not-found");
        assertThat(eve.get("/api/v1/groups.list").json().path("groups").toString()).doesNotContain(rid);
        assertThat(eve.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "let me in")).json().path("error").asText())
                .isEqualTo("error-not-allowed");

        JsonNode dm = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room");
        String expected = alice.userId().compareTo(bob.userId()) < 0 ? alice.userId() + bob.userId() : bob.userId() + alice.userId();
        assertThat(dm.path("_id").asText()).isEqualTo(expected);
        assertThat(bob.post("/api/v1/im.create", Map.of("username", alice.username())).json().path("room").path("_id").asText())
                .isEqualTo(expected);
        alice.post("/api/v1/chat.postMessage", Map.of("channel", "@" + bob.username(), "text", "direct"));
        assertThat(bob.get("/api/v1/im.history?roomId=" + expected).body()).contains("direct");
        assertThat(bob.get("/api/v1/dm.counters?roomId=" + expected).json().path("unreads").asInt()).isEqualTo(1);
        assertThat(eve.get("/api/v1/im.history?roomId=" + expected).status()).isEqualTo(403);
    }

    @Test
    void clientMistakesGetRocketChatErrorsAndChangeNothing() {
        Client alice = newUser("alice");
        String name = unique("dup");
        alice.post("/api/v1/channels.create", Map.of("name", name));
        assertThat(alice.post("/api/v1/channels.create", Map.of("name", name)).json().path("errorType").asText())
                .isEqualTo("error-duplicate-channel-name");
        assertThat(alice.post("/api/v1/channels.create", Map.of("name", "not valid!")).json().path("errorType").asText())
                .isEqualTo("error-invalid-room-name");
        assertThat(alice.get("/api/v1/channels.info?roomName=missing-room").json().path("error").asText())
                .isEqualTo("The required \"roomId\" or \"roomName\" param provided does not match any channel [error-room-not-found]");
        assertThat(alice.post("/api/v1/chat.postMessage", Map.of("channel", "#nowhere", "text", "x")).json().path("error").asText())
                .isEqualTo("[invalid-channel]");
        assertThat(alice.post("/api/v1/chat.postMessage", Map.of("channel", "#general", "text", "x".repeat(5001))).json().path("error")
                .asText()).isEqualTo("error-message-size-exceeded");
        assertThat(alice.get("/api/v1/channels.list?sort=notjson").json().path("errorType").asText()).isEqualTo("error-invalid-sort");
        assertThat(alice.get("/api/v1/channels.list?count=-3").status()).isEqualTo(400);
        Reply badJson = alice.postRaw("/api/v1/channels.create", "{\"name\": ");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().path("errorType").asText()).isEqualTo("invalid-params");
        assertThat(alice.get("/api/v1/channels.list?count=1000").json().path("count").asInt()).isLessThanOrEqualTo(100);
    }

    @Test
    void restLoginOverTheLimitAnswers429WithRateLimitHeaders() {
        Map<String, String> credentials = Map.of("user", "admin", "password", "admin-pass");
        setting("API_Enable_Rate_Limiter_Limit_Calls_Default", 3);
        try {
            for (int i = 1; i <= 3; i++) {
                Reply reply = anonymous().post("/api/v1/login", credentials);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                assertThat(reply.header("X-RateLimit-Limit")).isEqualTo("3");
                assertThat(reply.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(3 - i));
                assertThat(Long.parseLong(reply.header("X-RateLimit-Reset"))).isGreaterThan(System.currentTimeMillis());
            }
            Reply over = anonymous().post("/api/v1/login", credentials);
            assertThat(over.status()).isEqualTo(429);
            assertThat(over.body()).matches("\\{\"success\":false,\"error\":\"Error, too many requests\\. Please slow down\\. "
                    + "You must wait ([1-9]|[1-5][0-9]|60) seconds before trying this endpoint again\\. \\[error-too-many-requests\\]\"}");
            assertThat(over.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(over.header("X-RateLimit-Remaining")).isEqualTo("0");
            // a forwarded address the client wrote itself buys no fresh allowance
            assertThat(anonymous().post("/api/v1/login", credentials, "X-Forwarded-For", "203.0.113.7").status()).isEqualTo(429);
        } finally {
            setting("API_Enable_Rate_Limiter_Limit_Calls_Default", 100_000);
        }
    }

    @Test
    void emailFormGuessesLockTheAccountAndUnknownUsersGetTheSameAnswers() {
        Client bob = newUser("bob");
        String email = bob.username() + "@core.test";
        String ghost = unique("ghost") + "@core.test";
        setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 3);
        try {
            for (int i = 0; i < 3; i++) {
                Reply wrongPassword = anonymous().post("/api/v1/login", Map.of("user", email, "password", "guess" + i));
                Reply unknownUser = anonymous().post("/api/v1/login", Map.of("user", ghost, "password", "guess" + i));
                assertThat(wrongPassword.status()).isEqualTo(401);
                assertThat(wrongPassword.body()).isEqualTo("{\"success\":false,\"status\":\"error\",\"error\":\"Unauthorized\","
                        + "\"message\":\"Unauthorized\"}");
                assertThat(unknownUser.status()).isEqualTo(401);
                assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
            }
            Reply byEmail = anonymous().post("/api/v1/login", Map.of("user", email, "password", "pw-" + bob.username()));
            Reply byUsername = anonymous().post("/api/v1/login", Map.of("user", bob.username(), "password", "pw-" + bob.username()));
            Reply ghostAgain = anonymous().post("/api/v1/login", Map.of("user", ghost, "password", "pw-" + bob.username()));
            assertThat(byEmail.status()).as(byEmail.toString()).isEqualTo(401);
            assertThat(byEmail.json().path("error").asText()).isEqualTo("error-login-blocked-for-user");
            assertThat(byUsername.body()).isEqualTo(byEmail.body());
            assertThat(ghostAgain.status()).isEqualTo(byEmail.status());
            assertThat(ghostAgain.body()).as("a blocked unknown user looks like a blocked real one").isEqualTo(byEmail.body());
        } finally {
            setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 10);
        }
    }

    @Test
    void aForwardedForTheClientWroteDoesNotEvadeTheIpBlock() {
        Client admin = admin();
        setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", 3);
        String prefix = unique("probe");
        try {
            for (int i = 0; i < 3; i++) {
                Reply failed = anonymous().post("/api/v1/login", Map.of("user", prefix + i, "password", "x"),
                        "X-Forwarded-For", "198.51.100." + i);
                assertThat(failed.status()).isEqualTo(401);
            }
            assertThat(settingsDatabase.getCollection("rocketchat_server_events")
                    .find(Filters.regex("u.username", "^" + prefix)).map(e -> e.getString("ip")))
                    .as("no trusted proxy: the socket's address is recorded, not the header").containsOnly("127.0.0.1");
            Reply blocked = anonymous().post("/api/v1/login", Map.of("user", "admin", "password", "admin-pass"),
                    "X-Forwarded-For", "198.51.100.99");
            assertThat(blocked.status()).isEqualTo(401);
            assertThat(blocked.json().path("error").asText()).isEqualTo("error-login-blocked-for-ip");
            Reply resume = anonymous().post("/api/v1/login", Map.of("resume", admin.token(), "ip", "198.51.100.98"));
            assertThat(resume.json().path("error").asText()).as(resume.toString()).isEqualTo("error-login-blocked-for-ip");
        } finally {
            settingsDatabase.getCollection("rocketchat_server_events").deleteMany(Filters.and(Filters.eq("t", "failed-login"),
                    Filters.eq("ip", "127.0.0.1")));
            setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", 50);
        }
    }
}
