package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Room settings and the room, DM and subscription endpoints built on them, seen as Rocket.Chat's clients see them:
 * join codes, custom fields, purpose, moderators, anonymous reading, administrators' lists, DM topic and erasing,
 * and the read/unread marks.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class RoomSettingsRestTest extends CoreRestTestBase {

    @Test
    void aChannelWithAJoinCodeLetsInOnlyThoseWhoGiveIt() {
        Client owner = newUser("owner");
        Client visitor = newUser("visitor");
        String rid = createChannel(owner, unique("coded"));

        Reply set = owner.post("/api/v1/channels.setJoinCode", Map.of("roomId", rid, "joinCode", "s3cret"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().path("channel").path("joinCodeRequired").asBoolean()).isTrue();
        assertThat(set.json().path("channel").has("joinCode")).as("the code itself is never shown").isFalse();
        assertThat(visitor.post("/api/v1/channels.setJoinCode", Map.of("roomId", rid, "joinCode", "mine")).json()
                .path("errorType").asText()).isEqualTo("error-action-not-allowed");

        Reply without = visitor.post("/api/v1/channels.join", Map.of("roomId", rid));
        assertThat(without.status()).isEqualTo(400);
        assertThat(without.json().path("errorType").asText()).isEqualTo("error-code-required");
        Reply wrong = visitor.post("/api/v1/channels.join", Map.of("roomId", rid, "joinCode", "guess"));
        assertThat(wrong.json().path("errorType").asText()).isEqualTo("error-code-invalid");
        assertThat(visitor.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").isNull()).isTrue();

        Reply right = visitor.post("/api/v1/channels.join", Map.of("roomId", rid, "joinCode", "s3cret"));
        assertThat(right.status()).as(right.toString()).isEqualTo(200);
        assertThat(visitor.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("rid").asText())
                .isEqualTo(rid);
        // an administrator holds join-without-join-code
        assertThat(admin().post("/api/v1/channels.join", Map.of("roomId", rid)).status()).isEqualTo(200);
    }

    @Test
    void customFieldsArePartOfTheRoomAndOfItsMemberships() {
        Client owner = newUser("owner");
        String name = unique("fields");
        Reply created = owner.post("/api/v1/channels.create", Map.of("name", name, "customFields", Map.of("field0", "value0")));
        String rid = created.json().path("channel").path("_id").asText();
        assertThat(owner.get("/api/v1/channels.info?roomId=" + rid).json().path("channel").path("customFields")
                .path("field0").asText()).isEqualTo("value0");

        Reply set = owner.post("/api/v1/channels.setCustomFields", Map.of("roomName", name, "customFields", Map.of("field9", "value9")));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        JsonNode fields = owner.get("/api/v1/channels.info?roomId=" + rid).json().path("channel").path("customFields");
        assertThat(fields.path("field9").asText()).isEqualTo("value9");
        assertThat(fields.has("field0")).as("the fields are replaced, not merged").isFalse();
        assertThat(owner.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("customFields")
                .path("field9").asText()).isEqualTo("value9");

        Reply notAnObject = owner.post("/api/v1/channels.setCustomFields", Map.of("roomId", rid, "customFields", ""));
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.json().path("error").asText())
                .isEqualTo("The bodyParam \"customFields\" is required with a type like object.");
        Reply operator = owner.post("/api/v1/channels.setCustomFields", Map.of("roomId", rid,
                "customFields", Map.of("a", Map.of("$where", "1"))));
        assertThat(operator.status()).isEqualTo(400);
        assertThat(operator.json().path("errorType").asText()).isEqualTo("invalid-params");
        Client stranger = newUser("stranger");
        assertThat(stranger.post("/api/v1/channels.setCustomFields", Map.of("roomId", rid, "customFields", Map.of("x", "y")))
                .json().path("errorType").asText()).isEqualTo("error-action-not-allowed");
    }

    @Test
    void purposeIsTheDescriptionAndModeratorsAreListed() {
        Client owner = newUser("owner");
        Client member = newUser("member");
        String name = unique("purpose");
        String rid = owner.post("/api/v1/groups.create", Map.of("name", name, "members", List.of(member.username())))
                .json().path("group").path("_id").asText();

        Reply purpose = owner.post("/api/v1/groups.setPurpose", Map.of("roomId", rid, "purpose", "planning"));
        assertThat(purpose.json().path("purpose").asText()).isEqualTo("planning");
        assertThat(owner.get("/api/v1/groups.info?roomId=" + rid).json().path("group").path("description").asText())
                .isEqualTo("planning");
        assertThat(owner.post("/api/v1/groups.setPurpose", Map.of("roomId", rid)).json().path("error").asText())
                .isEqualTo("The bodyParam \"purpose\" is required");

        assertThat(owner.get("/api/v1/groups.moderators?roomId=" + rid).json().path("moderators")).isEmpty();
        assertThat(owner.post("/api/v1/groups.addModerator", Map.of("roomId", rid, "userId", member.userId())).status())
                .isEqualTo(200);
        JsonNode moderators = owner.get("/api/v1/groups.moderators?roomId=" + rid).json().path("moderators");
        assertThat(moderators).hasSize(1);
        assertThat(moderators.get(0).path("username").asText()).isEqualTo(member.username());
        // a group stays invisible to whoever is outside it
        assertThat(newUser("outsider").get("/api/v1/groups.moderators?roomId=" + rid).json().path("errorType").asText())
                .isEqualTo("error-room-not-found");
    }

    @Test
    void anonymousReadFollowsItsSetting() {
        Client owner = newUser("owner");
        String rid = createChannel(owner, unique("open"));
        owner.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "hello, readers"));

        setting("Accounts_AllowAnonymousRead", false);
        Reply refused = anonymous().get("/api/v1/channels.anonymousread?roomId=" + rid);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("Enable \"Allow Anonymous Read\" [error-not-allowed]");

        setting("Accounts_AllowAnonymousRead", true);
        try {
            Reply read = anonymous().get("/api/v1/channels.anonymousread?roomId=" + rid);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().path("messages").findValuesAsText("msg")).contains("hello, readers");
            String gid = owner.post("/api/v1/groups.create", Map.of("name", unique("closed"))).json().path("group").path("_id").asText();
            assertThat(anonymous().get("/api/v1/channels.anonymousread?roomId=" + gid).json().path("errorType").asText())
                    .isEqualTo("error-room-not-found");
        } finally {
            setting("Accounts_AllowAnonymousRead", false);
        }
    }

    @Test
    void administratorsListEveryGroupAndDirectMessage() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String group = unique("hidden");
        alice.post("/api/v1/groups.create", Map.of("name", group));
        String dm = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();

        assertThat(bob.get("/api/v1/groups.listAll").status()).isEqualTo(403);
        assertThat(bob.get("/api/v1/im.list.everyone").status()).isEqualTo(403);
        Client admin = admin();
        assertThat(admin.get("/api/v1/groups.listAll?count=0").json().path("groups").findValuesAsText("name")).contains(group);
        JsonNode ims = admin.get("/api/v1/im.list.everyone?count=0").json().path("ims");
        assertThat(ims.findValuesAsText("_id")).contains(dm);

        alice.post("/api/v1/chat.postMessage", Map.of("roomId", dm, "text", "between us"));
        setting("API_Enable_Direct_Message_History_EndPoint", false);
        assertThat(admin.get("/api/v1/im.messages.others?roomId=" + dm).json().path("errorType").asText())
                .isEqualTo("error-endpoint-disabled");
        setting("API_Enable_Direct_Message_History_EndPoint", true);
        try {
            assertThat(bob.get("/api/v1/im.messages.others?roomId=" + dm).status()).isEqualTo(403);
            assertThat(admin.get("/api/v1/im.messages.others?roomId=" + dm).json().path("messages").findValuesAsText("msg"))
                    .contains("between us");
        } finally {
            setting("API_Enable_Direct_Message_History_EndPoint", false);
        }
    }

    @Test
    void aDirectMessageTakesATopicAndIsErasedOnlyByWhoMay() {
        Client admin = admin();
        Client bob = newUser("bob");
        Client eve = newUser("eve");
        String dm = admin.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();

        Reply topic = admin.post("/api/v1/im.setTopic", Map.of("roomId", dm, "topic", "lunch"));
        assertThat(topic.status()).as(topic.toString()).isEqualTo(200);
        assertThat(topic.json().path("topic").asText()).isEqualTo("lunch");
        assertThat(bob.post("/api/v1/im.setTopic", Map.of("roomId", dm, "topic", "dinner")).json().path("errorType").asText())
                .as("edit-room is the owners', moderators' and administrators'").isEqualTo("error-action-not-allowed");
        assertThat(eve.post("/api/v1/im.setTopic", Map.of("roomId", dm, "topic", "mine")).status()).isEqualTo(403);

        assertThat(eve.post("/api/v1/im.delete", Map.of("roomId", dm)).json().path("errorType").asText()).isEqualTo("error-not-allowed");
        assertThat(bob.post("/api/v1/im.delete", Map.of("roomId", dm)).json().path("errorType").asText())
                .as("delete-d is the administrators'").isEqualTo("error-not-allowed");
        assertThat(admin.post("/api/v1/im.delete", Map.of("roomId", dm)).status()).isEqualTo(200);
        Reply open = bob.post("/api/v1/im.open", Map.of("roomId", dm));
        assertThat(open.status()).isEqualTo(403);
        assertThat(open.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(bob.get("/api/v1/subscriptions.getOne?roomId=" + dm).json().path("subscription").isNull()).isTrue();
    }

    @Test
    void onlineMentionsAndKickFollowRocketChat() {
        Client owner = newUser("owner");
        Client member = newUser("member");
        String name = unique("talk");
        String rid = owner.post("/api/v1/channels.create", Map.of("name", name, "members", List.of(member.username())))
                .json().path("channel").path("_id").asText();
        assertThat(owner.get("/api/v1/channels.online").json().path("error").asText()).isEqualTo("Invalid query");
        assertThat(owner.get("/api/v1/channels.online?query=%7B%22_id%22:%22" + rid + "%22%7D").json().has("online")).isTrue();
        assertThat(owner.get("/api/v1/channels.online?query=%7B%22_id%22:%7B%22$ne%22:1%7D%7D").status()).isEqualTo(400);

        member.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "@" + owner.username() + " look"));
        member.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "nobody in particular"));
        JsonNode mentions = owner.get("/api/v1/channels.getAllUserMentionsByChannel?roomId=" + rid).json();
        assertThat(mentions.path("mentions").findValuesAsText("msg")).containsExactly("@" + owner.username() + " look");
        assertThat(mentions.path("total").asInt()).isEqualTo(1);

        Reply lastOwner = admin().post("/api/v1/channels.kick", Map.of("roomId", rid, "userId", owner.userId()));
        assertThat(lastOwner.json().path("errorType").asText()).isEqualTo("error-you-are-last-owner");
        assertThat(member.post("/api/v1/channels.kick", Map.of("roomId", rid, "userId", owner.userId())).json()
                .path("errorType").asText()).isEqualTo("error-not-allowed");
    }

    @Test
    void readAndUnreadMarksCheckTheirParameters() {
        Client owner = newUser("owner");
        String rid = createChannel(owner, unique("marks"));
        Reply both = owner.post("/api/v1/subscriptions.read", Map.of("rid", rid, "roomId", rid));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().path("errorType").asText()).isEqualTo("invalid-params");
        assertThat(owner.post("/api/v1/subscriptions.read", Map.of("rid", "no-such-room")).json().path("error").asText())
                .isEqualTo("error-invalid-subscription");
        assertThat(owner.get("/api/v1/subscriptions.getOne").json().path("error").asText())
                .isEqualTo("must have required property 'roomId' [invalid-params]");

        assertThat(owner.post("/api/v1/subscriptions.unread", Map.of("roomId", rid)).json().path("errorType").asText())
                .isEqualTo("error-no-message-for-unread");
        owner.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "first"));
        assertThat(owner.post("/api/v1/subscriptions.read", Map.of("rid", rid)).status()).isEqualTo(200);
        assertThat(owner.post("/api/v1/subscriptions.unread", Map.of("roomId", rid)).status()).isEqualTo(200);
        assertThat(owner.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("alert").asBoolean())
                .isTrue();
    }

    @Test
    void membersAreFilteredByTheSearchFieldsAndDirectMessagesFollowARename() {
        Client owner = newUser("owner");
        Client member = newUser("member");
        String rid = owner.post("/api/v1/channels.create", Map.of("name", unique("crowd"), "members", List.of(member.username())))
                .json().path("channel").path("_id").asText();
        JsonNode filtered = owner.get("/api/v1/channels.members?roomId=" + rid + "&filter=" + member.username()).json();
        assertThat(filtered.path("members").findValuesAsText("username")).containsExactly(member.username());
        assertThat(filtered.path("total").asInt()).isEqualTo(1);
        assertThat(owner.get("/api/v1/channels.members?roomId=" + rid).json().path("total").asInt()).isEqualTo(2);

        String dm = owner.post("/api/v1/im.create", Map.of("username", member.username())).json().path("room").path("_id").asText();
        Reply renamed = admin().post("/api/v1/users.update", Map.of("userId", member.userId(), "data", Map.of("name", "Renamed Member")));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        JsonNode subscription = owner.get("/api/v1/subscriptions.getOne?roomId=" + dm).json().path("subscription");
        assertThat(subscription.path("name").asText()).isEqualTo(member.username());
        assertThat(subscription.path("fname").asText()).isEqualTo("Renamed Member");
    }

    private static String createChannel(Client owner, String name) {
        Reply created = owner.post("/api/v1/channels.create", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json().path("channel").path("_id").asText();
    }
}
