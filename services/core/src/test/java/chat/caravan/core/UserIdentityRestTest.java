package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** A new username or name reaches everything that shows it: DM names, messages, mentions, rooms. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class UserIdentityRestTest extends CoreRestTestBase {

    @Test
    void groupDirectMessagesAreRenamedForTheOtherMembersWhenAMemberChangesUsernameOrName() {
        Client admin = admin();
        Client zed = newUser("zed");
        Client yan = newUser("yan");
        JsonNode room = admin.post("/api/v1/dm.create", Map.of("usernames", zed.username() + "," + yan.username())).json().path("room");
        String rid = room.path("rid").asText();
        assertThat(rid).isNotEmpty();

        String renamed = "a-renamed-" + zed.username();
        assertThat(admin.post("/api/v1/users.update", Map.of("userId", zed.userId(), "data", Map.of("username", renamed))).status())
                .isEqualTo(200);
        JsonNode mine = admin.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        // sorted by display name (the names are still the first usernames)
        assertThat(mine.path("name").asText()).isEqualTo(yan.username() + "," + renamed);
        JsonNode yans = yan.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        assertThat(yans.path("name").asText()).isEqualTo("admin," + renamed);

        assertThat(admin.post("/api/v1/users.update", Map.of("userId", zed.userId(), "data", Map.of("name", "Zz Top"))).status())
                .isEqualTo(200);
        mine = admin.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        assertThat(mine.path("fname").asText()).isEqualTo(yan.username() + ", Zz Top");
        assertThat(mine.path("name").asText()).isEqualTo(yan.username() + "," + renamed);
    }

    @Test
    void aNewUsernameReachesMessagesMentionsAndOneToOneDirectMessages() {
        Client admin = admin();
        Client ann = newUser("ann");
        Client ben = newUser("ben");
        String rid = admin.post("/api/v1/channels.create", Map.of("name", unique("renames"), "members",
                java.util.List.of(ann.username(), ben.username()))).json().path("channel").path("_id").asText();
        String own = ann.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "hello")).json().path("message")
                .path("_id").asText();
        String mention = ben.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "hi @" + ann.username() + "!"))
                .json().path("message").path("_id").asText();
        String dm = ben.post("/api/v1/im.create", Map.of("username", ann.username())).json().path("room").path("_id").asText();

        String renamed = ann.username() + "-new";
        Reply changed = ann.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("username", renamed)));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);

        assertThat(ann.get("/api/v1/chat.getMessage?msgId=" + own).json().path("message").path("u").path("username").asText())
                .isEqualTo(renamed);
        JsonNode mentioning = ann.get("/api/v1/chat.getMessage?msgId=" + mention).json().path("message");
        assertThat(mentioning.path("msg").asText()).isEqualTo("hi @" + renamed + "!");
        assertThat(mentioning.path("mentions").findValuesAsText("username")).containsExactly(renamed);
        assertThat(ben.get("/api/v1/subscriptions.getOne?roomId=" + dm).json().path("subscription").path("name").asText())
                .isEqualTo(renamed);
        assertThat(ann.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("u").path("username")
                .asText()).isEqualTo(renamed);
        assertThat(ben.get("/api/v1/im.members?roomId=" + dm).json().path("members").findValuesAsText("username")).contains(renamed);

        // the old name is nobody's now: a room created with it as a member adds no one, as Rocket.Chat's createRoom
        Reply created = admin.post("/api/v1/channels.create", Map.of("name", unique("old-name"), "members",
                java.util.List.of(ann.username())));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("channel").path("usersCount").asInt()).isEqualTo(1);
    }
}
