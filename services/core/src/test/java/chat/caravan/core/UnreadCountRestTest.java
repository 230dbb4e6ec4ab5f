package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * What a new message counts in its members' subscriptions under Rocket.Chat's {@code Unread_Count} settings, and that a
 * membership nothing changes for is not written again (a busy room must not cost one write per member per message).
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class UnreadCountRestTest extends CoreRestTestBase {

    @AfterEach
    void restoreTheDefaults() {
        setting("Unread_Count", "user_and_group_mentions_only");
        setting("Unread_Count_DM", "all_messages");
    }

    @Test
    void byDefaultAChannelCountsMentionsAndAlertsTheOthers() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        Client carol = newUser("carol");
        Client dan = newUser("dan");
        // dan's highlight words are copied onto the memberships he takes afterwards
        assertThat(dan.post("/api/v1/users.setPreferences", Map.of("data", Map.of("highlights", List.of("Deploy")))).status())
                .isEqualTo(200);
        String rid = alice.post("/api/v1/channels.create", Map.of("name", unique("count"),
                "members", List.of(bob.username(), carol.username(), dan.username()))).json().path("channel").path("_id").asText();
        for (Client member : List.of(bob, carol, dan)) {
            assertThat(member.post("/api/v1/subscriptions.read", Map.of("rid", rid)).status()).isEqualTo(200);
        }

        ThreadsRestTest.send(alice, rid, "good morning", null);
        JsonNode bobs = subscription(bob, rid);
        assertThat(bobs.path("alert").asBoolean()).isTrue();
        assertThat(bobs.path("unread").asInt()).isZero();
        JsonNode alices = subscription(alice, rid);
        assertThat(alices.path("alert").asBoolean()).isFalse();
        assertThat(alices.has("ls")).isTrue();

        // bob is alerted already: another plain message does not write his membership again
        ThreadsRestTest.send(alice, rid, "coffee?", null);
        assertThat(subscription(bob, rid).path("_updatedAt")).isEqualTo(bobs.path("_updatedAt"));
        assertThat(subscription(bob, rid).path("unread").asInt()).isZero();

        ThreadsRestTest.send(alice, rid, "@" + bob.username() + " the deploy is done", null);
        bobs = subscription(bob, rid);
        assertThat(bobs.path("unread").asInt()).isEqualTo(1);
        assertThat(bobs.path("userMentions").asInt()).isEqualTo(1);
        JsonNode dans = subscription(dan, rid);
        assertThat(dans.path("userMentions").asInt()).as("a highlight word counts as a mention").isEqualTo(1);
        assertThat(dans.path("unread").asInt()).isEqualTo(1);
        assertThat(subscription(carol, rid).path("unread").asInt()).isZero();

        ThreadsRestTest.send(alice, rid, "@all standup in five", null);
        JsonNode carols = subscription(carol, rid);
        assertThat(carols.path("groupMentions").asInt()).isEqualTo(1);
        assertThat(carols.path("unread").asInt()).isEqualTo(1);
        assertThat(subscription(bob, rid).path("unread").asInt()).isEqualTo(2);
        assertThat(subscription(alice, rid).path("groupMentions").asInt()).as("the sender is never counted").isZero();

        // the sender's own message marks the room read for them
        ThreadsRestTest.send(carol, rid, "on my way", null);
        carols = subscription(carol, rid);
        assertThat(carols.path("unread").asInt()).isZero();
        assertThat(carols.path("groupMentions").asInt()).isZero();
        assertThat(carols.path("alert").asBoolean()).isFalse();
    }

    @Test
    void everyMessageCountsWhereTheSettingSaysSo() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String channel = alice.post("/api/v1/channels.create", Map.of("name", unique("all"), "members", List.of(bob.username())))
                .json().path("channel").path("_id").asText();
        bob.post("/api/v1/subscriptions.read", Map.of("rid", channel));
        setting("Unread_Count", "all_messages");
        ThreadsRestTest.send(alice, channel, "one", null);
        ThreadsRestTest.send(alice, channel, "two", null);
        assertThat(subscription(bob, channel).path("unread").asInt()).isEqualTo(2);

        // a direct conversation counts every message by default, and only mentions when told so
        String dm = alice.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        ThreadsRestTest.send(alice, dm, "lunch?", null);
        assertThat(subscription(bob, dm).path("unread").asInt()).isEqualTo(1);
        setting("Unread_Count_DM", "mentions_only");
        ThreadsRestTest.send(alice, dm, "at noon", null);
        assertThat(subscription(bob, dm).path("unread").asInt()).isEqualTo(1);
        assertThat(subscription(bob, dm).path("alert").asBoolean()).isTrue();
        ThreadsRestTest.send(alice, dm, "@" + bob.username() + " ok?", null);
        assertThat(subscription(bob, dm).path("unread").asInt()).isEqualTo(2);
    }


    private static JsonNode subscription(Client user, String rid) {
        return user.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
    }
}
