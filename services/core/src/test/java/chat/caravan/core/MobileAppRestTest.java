package chat.caravan.core;

import static chat.caravan.core.MessageLimitsRestTest.ddpResult;
import static chat.caravan.core.MessageLimitsRestTest.methodCall;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * What the official mobile app calls beyond the everyday endpoints: push tokens, public roles, modules, muting, the
 * forced password change, the confirmation e-mail, thread and history paging by DDP method, and chat.syncMessages'
 * cursor form.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MobileAppRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    private static String channel(Client owner, Client... members) {
        List<String> usernames = new ArrayList<>();
        for (Client member : members) {
            usernames.add(member.username());
        }
        Reply created = owner.post("/api/v1/channels.create", Map.of("name", unique("mobile"), "members", usernames));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json().path("channel").path("_id").asText();
    }

    private static String send(Client client, String rid, String text) {
        return ThreadsRestTest.send(client, rid, text, null);
    }

    @Test
    void infoReportsTheCurrentReleaseLine() {
        assertThat(anonymous().get("/api/info").json().path("version").asText()).isEqualTo("8.9");
        assertThat(admin().get("/api/info").json().path("version").asText()).isEqualTo("8.9.0");
    }

    @Test
    void pushTokensAreKeptPerDeviceAndRemovedByValue() {
        Client alice = newUser("push");
        String device = unique("device");
        Reply withId = alice.post("/api/v1/push.token", Map.of("id", device, "type", "gcm", "value", "fcm-" + device,
                "appName", "chat.rocket.reactnative"));
        assertThat(withId.status()).as(withId.toString()).isEqualTo(200);
        assertThat(withId.json().path("result").path("_id").asText()).isEqualTo(device);
        assertThat(withId.json().path("result").path("token").path("gcm").asText()).isEqualTo("fcm-" + device);
        assertThat(withId.json().path("result").has("authToken")).isFalse();

        // 6.5's form has no id: the server names the device; the same token again lands on the same document
        Map<String, Object> older = Map.of("type", "apn", "value", "apn-" + device, "appName", "chat.rocket.ios");
        String named = alice.post("/api/v1/push.token", older).json().path("result").path("_id").asText();
        assertThat(named).isNotBlank();
        assertThat(alice.post("/api/v1/push.token", older).json().path("result").path("_id").asText()).isEqualTo(named);

        // 8.4's VoIP token rides along; a token already registered keeps its device's document, whatever id comes
        Reply voip = alice.post("/api/v1/push.token", Map.of("id", device + "-2", "type", "gcm", "value", "fcm-" + device,
                "appName", "chat.rocket.reactnative", "voipToken", "voip-" + device));
        assertThat(voip.json().path("result").path("voipToken").asText()).isEqualTo("voip-" + device);
        List<Document> stored = database.getCollection("_raix_push_app_tokens").find(Filters.eq("userId", alice.userId()))
                .into(new ArrayList<>());
        assertThat(stored).extracting(d -> d.getString("_id")).containsExactlyInAnyOrder(named, device);
        assertThat(stored).allSatisfy(d -> assertThat(d.getString("authToken")).isNotEqualTo(alice.token()));

        Reply badType = alice.post("/api/v1/push.token", Map.of("type", "web", "value", "x", "appName", "a"));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().path("errorType").asText()).isEqualTo("error-type-param-not-valid");
        assertThat(newUser("other").delete("/api/v1/push.token", Map.of("token", "fcm-" + device)).status()).isEqualTo(404);
        assertThat(alice.delete("/api/v1/push.token", Map.of("token", "fcm-" + device)).status()).isEqualTo(200);
        assertThat(alice.delete("/api/v1/push.token", Map.of("token", "fcm-" + device)).status()).isEqualTo(404);
        assertThat(anonymous().post("/api/v1/push.token", older).status()).isEqualTo(401);

        // push.test: Rocket.Chat's checks, then the reason nothing is sent
        assertThat(newUser("notokens").post("/api/v1/push.test", Map.of()).json().path("errorType").asText())
                .isEqualTo("error-no-tokens-for-this-user");
        assertThat(alice.post("/api/v1/push.test", Map.of()).json().path("errorType").asText()).isEqualTo("error-push-gateway-not-configured");
        setting("Push_enable", false);
        try {
            assertThat(alice.post("/api/v1/push.test", Map.of()).json().path("errorType").asText()).isEqualTo("error-push-disabled");
        } finally {
            setting("Push_enable", true);
        }

        JsonNode info = alice.get("/api/v1/push.info").json();
        assertThat(info.path("pushGatewayEnabled").isBoolean()).isTrue();
        assertThat(info.path("pushGatewayEnabled").asBoolean()).as("no push gateway is wired").isFalse();
        assertThat(info.path("defaultPushGateway").asBoolean()).isTrue();
    }

    @Test
    void publicRolesAndModules() {
        Client plain = newUser("roles");
        JsonNode users = plain.get("/api/v1/roles.getUsersInPublicRoles").json().path("users");
        assertThat(users.toString()).contains("\"username\":\"admin\"").doesNotContain(plain.username());
        for (JsonNode user : users) {
            assertThat(user.path("roles").toString()).doesNotContain("\"user\"");
        }
        JsonNode ddp = ddpResult(methodCall(plain, "getUserRoles")).path("result");
        assertThat(ddp).isEqualTo(users);
        assertThat(ddpResult(methodCall(plain, "license:getModules")).path("result").isArray()).isTrue();
        assertThat(ddpResult(methodCall(plain, "license:getModules")).path("result")).isEmpty();
        Reply anon = anonymous().post("/api/v1/method.callAnon/license:getModules",
                Map.of("message", "{\"msg\":\"method\",\"id\":\"1\",\"method\":\"license:getModules\",\"params\":[]}"));
        assertThat(ddpResult(anon).path("result")).isEmpty();
    }

    @Test
    void aMutedMemberCannotPostUntilUnmuted() {
        Client owner = newUser("mute");
        Client member = newUser("muted");
        String rid = channel(owner, member);
        JsonNode muted = ddpResult(methodCall(owner, "muteUserInRoom", Map.of("rid", rid, "username", member.username())));
        assertThat(muted.path("result").asBoolean()).as(muted.toString()).isTrue();
        Reply refused = member.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "hi")));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(ddpResult(methodCall(member, "muteUserInRoom", Map.of("rid", rid, "username", owner.username())))
                .path("error").path("error").asText()).isEqualTo("error-not-allowed");
        ddpResult(methodCall(owner, "unmuteUserInRoom", Map.of("rid", rid, "username", member.username())));
        send(member, rid, "back");
        // 6.8's REST form does the same
        assertThat(owner.post("/api/v1/rooms.muteUser", Map.of("roomId", rid, "userId", member.userId())).status()).isEqualTo(200);
        assertThat(member.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x"))).status()).isEqualTo(400);
        assertThat(owner.post("/api/v1/rooms.unmuteUser", Map.of("roomId", rid, "userId", member.userId())).status()).isEqualTo(200);
        send(member, rid, "back again");
    }

    @Test
    void aForcedPasswordChangeKeepsTheSessionAndLiftsTheRequirement() {
        Client user = newUser("pw");
        assertThat(ddpResult(methodCall(user, "setUserPassword", "Another-pass-1")).path("error").path("error").asText())
                .isEqualTo("error-not-allowed");
        database.getCollection("users").updateOne(Filters.eq("_id", user.userId()), Updates.set("requirePasswordChange", true));
        assertThat(ddpResult(methodCall(user, "setUserPassword", "pw-" + user.username())).path("error").path("error").asText())
                .isEqualTo("error-password-same-as-current");
        JsonNode changed = ddpResult(methodCall(user, "setUserPassword", "Another-pass-1"));
        assertThat(changed.has("error")).as(changed.toString()).isFalse();
        assertThat(user.get("/api/v1/me").status()).as("the session stays").isEqualTo(200);
        assertThat(database.getCollection("users").find(Filters.eq("_id", user.userId())).first().get("requirePasswordChange"))
                .isNotEqualTo(true);
        login(user.username(), "Another-pass-1");
    }

    @Test
    void theConfirmationEmailSaysNoMailServerIsConfigured() {
        Client user = newUser("mail");
        Reply rest = anonymous().post("/api/v1/users.sendConfirmationEmail", Map.of("email", user.username() + "@core.test"));
        assertThat(rest.status()).isEqualTo(400);
        assertThat(rest.json().path("errorType").asText()).isEqualTo("error-email-send-failed");
        assertThat(rest.json().path("error").asText()).contains("no mail server is configured");
        assertThat(anonymous().post("/api/v1/users.sendConfirmationEmail", Map.of()).status()).isEqualTo(400);
        assertThat(anonymous().post("/api/v1/users.sendConfirmationEmail", Map.of("email", "nobody@nowhere.test")).json()
                .path("success").asBoolean(true)).isFalse();
        JsonNode ddp = ddpResult(anonymous().post("/api/v1/method.callAnon/sendConfirmationEmail", Map.of("message",
                "{\"msg\":\"method\",\"id\":\"1\",\"method\":\"sendConfirmationEmail\",\"params\":[\"" + user.username() + "@core.test\"]}")));
        assertThat(ddp.path("error").path("error").asText()).isEqualTo("error-email-send-failed");
    }

    @Test
    void methodCallReachesSpotlight() {
        Client user = newUser("spot");
        JsonNode result = ddpResult(methodCall(user, "spotlight", "adm", List.of(), Map.of("users", true, "rooms", true)))
                .path("result");
        assertThat(result.path("users").toString()).contains("\"username\":\"admin\"");
    }

    @Test
    void threadAndHistoryPagingByMethod() {
        Client alice = newUser("hist");
        Client bob = newUser("histb");
        String rid = channel(alice, bob);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(send(alice, rid, "m" + i));
        }
        String parent = ids.get(0);
        // bob follows the thread by replying; alice's reply then leaves it unread for him
        ThreadsRestTest.send(bob, rid, "reply 1", parent);
        ThreadsRestTest.send(alice, rid, "reply 2", parent);
        assertThat(database.getCollection("rocketchat_subscription").find(Filters.and(Filters.eq("rid", rid),
                Filters.eq("u._id", bob.userId()))).first().getList("tunread", String.class)).containsExactly(parent);

        JsonNode thread = ddpResult(methodCall(bob, "getThreadMessages", Map.of("tmid", parent))).path("result");
        assertThat(thread).extracting(m -> m.path("msg").asText()).containsExactly("m0", "reply 2", "reply 1");
        assertThat(database.getCollection("rocketchat_subscription").find(Filters.and(Filters.eq("rid", rid),
                Filters.eq("u._id", bob.userId()))).first().getList("tunread", String.class)).isEmpty();
        assertThat(ddpResult(methodCall(bob, "getThreadMessages", Map.of("tmid", parent, "limit", 1))).path("result")).hasSize(2);
        assertThat(ddpResult(methodCall(bob, "readThreads", parent)).has("error")).isFalse();

        JsonNode around = ddpResult(methodCall(bob, "loadSurroundingMessages", Map.of("_id", ids.get(3), "rid", rid), 5)).path("result");
        assertThat(around.path("messages")).extracting(m -> m.path("_id").asText())
                .containsExactly(ids.get(1), ids.get(2), ids.get(3), ids.get(4), ids.get(5));
        assertThat(around.path("moreBefore").asBoolean()).isTrue();
        assertThat(around.path("moreAfter").asBoolean()).isTrue();

        long at = database.getCollection("rocketchat_message").find(Filters.eq("_id", ids.get(4))).first().getDate("ts").getTime();
        JsonNode next = ddpResult(methodCall(bob, "loadNextMessages", rid, Map.of("$date", at), 2)).path("result").path("messages");
        assertThat(next).extracting(m -> m.path("_id").asText()).containsExactly(ids.get(5), ids.get(6));

        Client outsider = newUser("out");
        String privateRoom = outsider.post("/api/v1/groups.create", Map.of("name", unique("secret"))).json().path("group").path("_id").asText();
        String secret = send(outsider, privateRoom, "secret");
        assertThat(ddpResult(methodCall(bob, "loadSurroundingMessages", Map.of("_id", secret, "rid", privateRoom), 5))
                .path("result").asBoolean(true)).isFalse();
        assertThat(ddpResult(methodCall(bob, "loadNextMessages", privateRoom, null, 5)).path("error").path("error").asText())
                .isEqualTo("error-not-allowed");
        assertThat(ddpResult(methodCall(bob, "getThreadMessages", Map.of("tmid", secret))).path("error").path("error").asText())
                .isEqualTo("error-not-allowed");
    }

    @Test
    void syncMessagesPagesChangesByCursor() throws InterruptedException {
        Client alice = newUser("sync");
        String rid = channel(alice);
        long since = System.currentTimeMillis() - 1;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send(alice, rid, "s" + i));
            Thread.sleep(5);
        }
        JsonNode first = alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=" + since + "&count=2&type=UPDATED").json();
        assertThat(first.path("result").path("updated")).as(first.toString()).extracting(m -> m.path("_id").asText())
                .containsExactly(ids.get(0), ids.get(1));
        String cursor = first.path("result").path("cursor").path("next").asText();
        assertThat(cursor).matches("\\d+");
        JsonNode second = alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=" + cursor + "&count=2&type=UPDATED").json();
        assertThat(second.path("result").path("updated")).extracting(m -> m.path("_id").asText()).containsExactly(ids.get(2));
        assertThat(second.path("result").path("cursor").path("next").isNull()).isTrue();

        assertThat(alice.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", ids.get(1))).status()).isEqualTo(200);
        JsonNode deleted = alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=" + since + "&count=50&type=DELETED").json();
        assertThat(deleted.path("result").path("deleted")).extracting(m -> m.path("_id").asText()).containsExactly(ids.get(1));
        assertThat(deleted.path("result").path("updated")).isEmpty();

        // 6.5's form still answers
        JsonNode older = alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&lastUpdate=2000-01-01T00:00:00.000Z").json();
        assertThat(older.path("result").path("updated").size()).isGreaterThanOrEqualTo(2);
        assertThat(alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=1&type=SOME").json().path("errorType").asText())
                .isEqualTo("error-type-param-not-supported");
        assertThat(alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=1").json().path("errorType").asText())
                .isEqualTo("error-type-param-required");
        assertThat(alice.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=1&previous=2&type=UPDATED").json()
                .path("errorType").asText()).isEqualTo("error-cursor-conflict");
        String group = alice.post("/api/v1/groups.create", Map.of("name", unique("sync"))).json().path("group").path("_id").asText();
        Reply nosy = newUser("nosy").get("/api/v1/chat.syncMessages?roomId=" + group + "&next=1&type=UPDATED");
        assertThat(nosy.status()).as(nosy.toString()).isEqualTo(400);
        assertThat(nosy.json().path("errorType").asText()).isEqualTo("error-not-allowed");
    }

    @Test
    void addUsersToRoomAndNoVideoProvider() {
        Client owner = newUser("add");
        Client joiner = newUser("joiner");
        String rid = channel(owner);
        JsonNode added = ddpResult(methodCall(owner, "addUsersToRoom", Map.of("rid", rid, "users", List.of(joiner.username()))));
        assertThat(added.path("result").asBoolean()).as(added.toString()).isTrue();
        assertThat(joiner.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("rid").asText()).isEqualTo(rid);
        // adding someone already in is no error; an unknown name is
        assertThat(ddpResult(methodCall(owner, "addUsersToRoom", Map.of("rid", rid, "users", List.of(joiner.username())))).has("error")).isFalse();
        assertThat(ddpResult(methodCall(owner, "addUsersToRoom", Map.of("rid", rid, "users", List.of("no-such-user-x"))))
                .path("error").path("error").asText()).isEqualTo("error-invalid-username");
        Client stranger = newUser("stranger");
        String group = owner.post("/api/v1/groups.create", Map.of("name", unique("closed"))).json().path("group").path("_id").asText();
        assertThat(ddpResult(methodCall(stranger, "addUsersToRoom", Map.of("rid", group, "users", List.of(stranger.username()))))
                .path("error").path("error").asText()).isEqualTo("error-not-allowed");

        Reply capabilities = owner.get("/api/v1/video-conference.capabilities");
        assertThat(capabilities.status()).isEqualTo(400);
        assertThat(capabilities.json().path("error").asText()).isEqualTo("no-videoconf-provider-app");
    }

    @Test
    void roomsByTypeAndNameAvatarSuggestionsAndTheForgottenPassword() {
        Client alice = newUser("named");
        Client bob = newUser("namedb");
        String name = unique("named");
        String rid = alice.post("/api/v1/channels.create", Map.of("name", name)).json().path("channel").path("_id").asText();
        JsonNode byName = ddpResult(methodCall(bob, "getRoomByTypeAndName", "c", name)).path("result");
        assertThat(byName.path("_id").asText()).as(byName.toString()).isEqualTo(rid);
        assertThat(ddpResult(methodCall(bob, "getRoomByTypeAndName", "c", rid)).path("result").path("name").asText()).isEqualTo(name);
        String dm = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        assertThat(ddpResult(methodCall(alice, "getRoomByTypeAndName", "d", bob.username())).path("result").path("_id").asText())
                .isEqualTo(dm);
        String secret = unique("secret");
        alice.post("/api/v1/groups.create", Map.of("name", secret));
        assertThat(ddpResult(methodCall(bob, "getRoomByTypeAndName", "p", secret)).path("error").path("error").asText())
                .isEqualTo("error-no-permission");
        assertThat(ddpResult(methodCall(bob, "getRoomByTypeAndName", "c", "no-such-room")).path("error").path("error").asText())
                .isEqualTo("error-invalid-room");

        assertThat(ddpResult(methodCall(bob, "getAvatarSuggestion")).path("result").isObject()).isTrue();

        Reply forgotten = anonymous().post("/api/v1/users.forgotPassword", Map.of("email", bob.username() + "@core.test"));
        assertThat(forgotten.status()).isEqualTo(400);
        assertThat(forgotten.json().path("errorType").asText()).isEqualTo("error-email-send-failed");
        assertThat(anonymous().post("/api/v1/users.forgotPassword", Map.of("email", "nobody@nowhere.test")).status()).isEqualTo(200);
        assertThat(anonymous().post("/api/v1/users.forgotPassword", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void blockingADirectConversationStopsBothSidesUntilUnblocked() {
        Client alice = newUser("blocker");
        Client bob = newUser("blocked");
        String dm = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        send(bob, dm, "hi");
        JsonNode blocked = ddpResult(methodCall(alice, "blockUser", Map.of("rid", dm, "blocked", bob.userId())));
        assertThat(blocked.path("result").asBoolean()).as(blocked.toString()).isTrue();
        assertThat(alice.get("/api/v1/subscriptions.getOne?roomId=" + dm).json().path("subscription").path("blocker").asBoolean()).isTrue();
        assertThat(bob.get("/api/v1/subscriptions.getOne?roomId=" + dm).json().path("subscription").path("blocked").asBoolean()).isTrue();
        Reply refused = bob.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", dm, "msg", "still there?")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("room_is_blocked");
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", dm, "msg", "x"))).status()).isEqualTo(400);
        // only a direct conversation, and only by one of its two members
        String rid = channel(alice, bob);
        assertThat(ddpResult(methodCall(alice, "blockUser", Map.of("rid", rid, "blocked", bob.userId()))).path("error").path("error").asText())
                .isEqualTo("error-invalid-room");
        assertThat(ddpResult(methodCall(newUser("third"), "blockUser", Map.of("rid", dm, "blocked", bob.userId()))).path("error")
                .path("error").asText()).isEqualTo("error-invalid-room");
        ddpResult(methodCall(alice, "unblockUser", Map.of("rid", dm, "blocked", bob.userId())));
        send(bob, dm, "back");
        send(alice, dm, "welcome back");
    }
}
