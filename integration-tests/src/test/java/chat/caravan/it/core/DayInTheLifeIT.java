package chat.caravan.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** A team's day over the microservices topology, through nginx: counters and unread numbers right at each step. */
class DayInTheLifeIT {

    @Test
    void aTeamChatsThreadsEditsDeletesReadsAndMessagesDirectly() {
        try (Topology topology = Topology.microservices("day").start()) {
            String base = topology.baseUrl();
            RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
            RestClient ann = Users.create(admin, base, "ann");
            RestClient ben = Users.create(admin, base, "ben");
            RestClient cid = Users.create(admin, base, "cid");

            String channel = admin.post("/api/v1/channels.create", Map.of("name", "team-" + System.nanoTime(),
                    "members", List.of(ann.username(), ben.username(), cid.username()))).json().path("channel").path("_id").asText();
            String group = admin.post("/api/v1/groups.create", Map.of("name", "leads-" + System.nanoTime(),
                    "members", List.of(ann.username()))).json().path("group").path("_id").asText();
            assertThat(counters(ann, "channels", channel).path("members").asInt()).isEqualTo(4);

            JsonNode hello = ann.post("/api/v1/chat.postMessage", Map.of("roomId", channel, "text", "morning @" + ben.username()))
                    .json().path("message");
            assertThat(subscription(ben, channel).path("unread").asInt()).isEqualTo(1);
            assertThat(subscription(ben, channel).path("userMentions").asInt()).isEqualTo(1);
            // Rocket.Chat's default Unread_Count: in a channel only mentions count as unread; the others are alerted
            assertThat(subscription(cid, channel).path("unread").asInt()).isZero();
            assertThat(subscription(cid, channel).path("alert").asBoolean()).isTrue();
            assertThat(subscription(cid, channel).path("userMentions").asInt()).isZero();

            assertThat(ben.post("/api/v1/chat.react", Map.of("messageId", hello.path("_id").asText(), "emoji", ":wave:")).status())
                    .isEqualTo(200);
            ben.post("/api/v1/chat.postMessage", Map.of("roomId", channel, "text", "replying in thread", "tmid", hello.path("_id").asText()));
            JsonNode parent = ann.get("/api/v1/chat.getMessage?msgId=" + hello.path("_id").asText()).json().path("message");
            assertThat(parent.path("tcount").asInt()).isEqualTo(1);
            assertThat(parent.path("reactions").path(":wave:").path("usernames").toString()).contains(ben.username());

            JsonNode typo = cid.post("/api/v1/chat.postMessage", Map.of("roomId", channel, "text", "teh plan")).json().path("message");
            assertThat(cid.post("/api/v1/chat.update", Map.of("roomId", channel, "msgId", typo.path("_id").asText(), "text", "the plan"))
                    .json().path("message").path("msg").asText()).isEqualTo("the plan");
            int before = counters(ann, "channels", channel).path("msgs").asInt();
            assertThat(cid.post("/api/v1/chat.delete", Map.of("roomId", channel, "msgId", typo.path("_id").asText())).status()).isEqualTo(200);
            assertThat(counters(ann, "channels", channel).path("msgs").asInt()).isEqualTo(before - 1);

            // cid's message alerts ann (as in Rocket.Chat, deleting it does not take that back); ben's thread reply, not
            // shown in the room, does not count in the room
            assertThat(subscription(ann, channel).path("alert").asBoolean()).isTrue();
            assertThat(subscription(ann, channel).path("unread").asInt()).isZero();
            ann.post("/api/v1/subscriptions.read", Map.of("rid", channel));
            assertThat(subscription(ann, channel).path("unread").asInt()).isZero();
            assertThat(subscription(ann, channel).path("alert").asBoolean()).isFalse();

            admin.post("/api/v1/chat.postMessage", Map.of("roomId", group, "text", "leads only"));
            assertThat(subscription(ann, group).path("alert").asBoolean()).isTrue();
            assertThat(ben.get("/api/v1/groups.history?roomId=" + group).body()).doesNotContain("leads only");

            String dm = ann.post("/api/v1/im.create", Map.of("username", ben.username())).json().path("room").path("_id").asText();
            ann.post("/api/v1/chat.postMessage", Map.of("roomId", dm, "text", "lunch?"));
            ann.post("/api/v1/chat.postMessage", Map.of("roomId", dm, "text", "at noon"));
            assertThat(counters(ben, "im", dm).path("unreads").asInt()).isEqualTo(2);
            assertThat(ben.get("/api/v1/im.history?roomId=" + dm).json().path("messages").size()).isEqualTo(2);
            ben.post("/api/v1/subscriptions.read", Map.of("rid", dm));
            assertThat(counters(ben, "im", dm).path("unreads").asInt()).isZero();
        }
    }

    private static JsonNode subscription(RestClient user, String rid) {
        return user.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
    }

    private static JsonNode counters(RestClient user, String kind, String rid) {
        return user.get("/api/v1/" + kind + ".counters?roomId=" + rid).json();
    }
}
