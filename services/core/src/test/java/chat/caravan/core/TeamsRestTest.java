package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** teams.*, converting rooms to teams and back, and finding rooms and people (directory, spotlight). */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class TeamsRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    @Test
    void aTeamHasAMainRoomMembersAndRooms() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String name = unique("team");
        Reply created = alice.post("/api/v1/teams.create", Map.of("name", name, "type", 0, "members", List.of(bob.userId())));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode team = created.json().path("team");
        String teamId = team.path("_id").asText();
        String mainId = team.path("roomId").asText();
        JsonNode main = alice.get("/api/v1/rooms.info?roomId=" + mainId).json();
        assertThat(main.path("room").path("teamMain").asBoolean()).isTrue();
        assertThat(main.path("team").path("_id").asText()).isEqualTo(teamId);
        assertThat(main.has("parent")).isFalse();
        assertThat(alice.get("/api/v1/teams.info?teamId=" + teamId).json().path("teamInfo").path("name").asText()).isEqualTo(name);
        JsonNode members = alice.get("/api/v1/teams.members?teamName=" + name).json();
        assertThat(members.path("total").asInt()).isEqualTo(2);
        assertThat(bob.get("/api/v1/subscriptions.getOne?roomId=" + mainId).json().path("subscription").path("rid").asText())
                .isEqualTo(mainId);
        JsonNode listed = bob.get("/api/v1/teams.list").json().path("teams");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(alice.post("/api/v1/teams.create", Map.of("name", name, "type", 0)).json().path("error").asText())
                .isEqualTo("team-name-already-exists");

        // a room joins the team only from its owner
        String channel = alice.post("/api/v1/channels.create", Map.of("name", unique("room"))).json().path("channel").path("_id").asText();
        assertThat(bob.post("/api/v1/teams.addRooms", Map.of("teamId", teamId, "rooms", List.of(channel))).status()).isEqualTo(403);
        Reply added = alice.post("/api/v1/teams.addRooms", Map.of("teamId", teamId, "rooms", List.of(channel)));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        JsonNode info = alice.get("/api/v1/rooms.info?roomId=" + channel).json();
        assertThat(info.path("team").path("_id").asText()).isEqualTo(teamId);
        assertThat(info.path("parent").path("_id").asText()).isEqualTo(mainId);
        assertThat(alice.get("/api/v1/teams.listRooms?teamId=" + teamId).json().path("total").asInt()).isEqualTo(1);
        assertThat(database.getCollection("rocketchat_message").countDocuments(Filters.and(Filters.eq("rid", mainId),
                Filters.eq("t", "user-added-room-to-team")))).isEqualTo(1);

        // members come and go through the main room; the last owner stays
        Client carol = newUser("carol");
        assertThat(alice.post("/api/v1/teams.addMembers", Map.of("teamId", teamId, "members",
                List.of(Map.of("userId", carol.userId(), "roles", List.of("member"))))).status()).isEqualTo(200);
        assertThat(carol.get("/api/v1/subscriptions.getOne?roomId=" + mainId).json().path("subscription").isObject()).isTrue();
        assertThat(alice.post("/api/v1/teams.removeMember", Map.of("teamId", teamId, "userId", carol.userId())).status()).isEqualTo(200);
        assertThat(carol.get("/api/v1/subscriptions.getOne?roomId=" + mainId).json().path("subscription").isNull()).isTrue();
        assertThat(alice.post("/api/v1/teams.leave", Map.of("teamId", teamId)).json().path("error").asText())
                .isEqualTo("last-owner-can-not-be-removed");

        // deleting the team deletes its main room and gives its rooms back to the workspace
        assertThat(bob.post("/api/v1/teams.delete", Map.of("teamId", teamId)).status()).isEqualTo(403);
        assertThat(alice.post("/api/v1/teams.delete", Map.of("teamName", name)).status()).isEqualTo(200);
        assertThat(database.getCollection("rocketchat_room").countDocuments(Filters.eq("_id", mainId))).isZero();
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + channel).json().path("room").has("teamId")).isFalse();
        assertThat(database.getCollection("rocketchat_team_member").countDocuments(Filters.eq("teamId", teamId))).isZero();
    }

    @Test
    void aNewUserJoinsADefaultTeamAndItsAutoJoinRoomsButNotItsOtherRooms() {
        Client admin = admin();
        String name = unique("default-team");
        JsonNode team = admin.post("/api/v1/teams.create", Map.of("name", name, "type", 0)).json().path("team");
        String teamId = team.path("_id").asText();
        String mainId = team.path("roomId").asText();
        String autoJoin = admin.post("/api/v1/groups.create", Map.of("name", unique("autojoin"),
                "extraData", Map.of("teamId", teamId))).json().path("group").path("_id").asText();
        String other = admin.post("/api/v1/channels.create", Map.of("name", unique("optional"),
                "extraData", Map.of("teamId", teamId))).json().path("channel").path("_id").asText();
        Reply updated = admin.post("/api/v1/teams.updateRoom", Map.of("roomId", autoJoin, "isDefault", true));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        try {
            Client before = newUser("before-default");
            assertThat(before.get("/api/v1/subscriptions.getOne?roomId=" + autoJoin).json().path("subscription").isNull())
                    .as("a team that is not default brings no auto-join room").isTrue();

            assertThat(admin.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", mainId, "default", true, "favorite",
                    Map.of("favorite", true, "defaultValue", true))).status()).isEqualTo(200);
            Client joined = newUser("joins-default");
            JsonNode main = joined.get("/api/v1/subscriptions.getOne?roomId=" + mainId).json().path("subscription");
            assertThat(main.path("rid").asText()).isEqualTo(mainId);
            assertThat(main.path("f").asBoolean()).as("a favorite default room").isTrue();
            assertThat(joined.get("/api/v1/subscriptions.getOne?roomId=" + autoJoin).json().path("subscription").path("rid")
                    .asText()).isEqualTo(autoJoin);
            assertThat(joined.get("/api/v1/subscriptions.getOne?roomId=" + other).json().path("subscription").isNull()).isTrue();
        } finally {
            admin.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", mainId, "default", false));
        }
    }

    @Test
    void aPrivateTeamsChannelsAndDiscussionsAreForItsMembers() {
        Client alice = newUser("alice");
        Client eve = newUser("eve");
        String teamId = alice.post("/api/v1/teams.create", Map.of("name", unique("private"), "type", 1)).json()
                .path("team").path("_id").asText();
        String channel = alice.post("/api/v1/channels.create", Map.of("name", unique("inside"))).json().path("channel").path("_id").asText();
        alice.post("/api/v1/teams.addRooms", Map.of("teamId", teamId, "rooms", List.of(channel)));
        assertThat(eve.get("/api/v1/rooms.info?roomId=" + channel).status()).isEqualTo(400);
        JsonNode discussion = alice.post("/api/v1/rooms.createDiscussion", Map.of("prid", channel, "t_name", "team talk")).json()
                .path("discussion");
        assertThat(discussion.path("t").asText()).isEqualTo("p");
        JsonNode found = eve.get("/api/v1/spotlight?query=%23inside").json();
        assertThat(found.path("rooms").toString()).doesNotContain(channel);
    }

    @Test
    void aChannelBecomesATeamAndBackAgain() {
        Client alice = newUser("alice");
        String name = unique("convert");
        String channel = alice.post("/api/v1/channels.create", Map.of("name", name)).json().path("channel").path("_id").asText();
        assertThat(alice.post("/api/v1/channels.convertToTeam", Map.of("channelId", channel, "channelName", name)).json()
                .path("error").asText()).contains("must match exactly one schema in oneOf");
        Reply converted = alice.post("/api/v1/channels.convertToTeam", Map.of("channelName", name));
        assertThat(converted.status()).as(converted.body()).isEqualTo(200);
        assertThat(converted.json().path("team").path("roomId").asText()).isEqualTo(channel);
        assertThat(alice.get("/api/v1/rooms.info?roomId=" + channel).json().path("room").path("teamMain").asBoolean()).isTrue();
        assertThat(alice.post("/api/v1/channels.convertToTeam", Map.of("channelId", channel)).status()).isEqualTo(400);
        assertThat(alice.post("/api/v1/teams.convertToChannel", Map.of("teamName", name)).status()).isEqualTo(200);
        JsonNode room = alice.get("/api/v1/rooms.info?roomId=" + channel).json().path("room");
        assertThat(room.has("teamMain")).isFalse();
        assertThat(room.has("teamId")).isFalse();
        assertThat(database.getCollection("rocketchat_team").countDocuments(Filters.eq("name", name))).isZero();

        String group = alice.post("/api/v1/groups.create", Map.of("name", unique("group"))).json().path("group").path("_id").asText();
        Client eve = newUser("eve");
        assertThat(eve.post("/api/v1/groups.convertToTeam", Map.of("roomId", group)).status()).isEqualTo(400);
        assertThat(alice.post("/api/v1/groups.convertToTeam", Map.of("roomId", group)).json().path("team").path("type").asInt()).isEqualTo(1);
    }

    @Test
    void theDirectoryShowsOnlyWhatTheCallerMaySee() {
        Client alice = newUser("alice");
        Client bob = newUser("bob");
        String secret = unique("hidden");
        alice.post("/api/v1/groups.create", Map.of("name", secret));
        String open = unique("open");
        alice.post("/api/v1/channels.create", Map.of("name", open));
        JsonNode channels = bob.get("/api/v1/directory?query=" + encode("{\"text\":\"" + open + "\",\"type\":\"channels\"}")).json();
        assertThat(channels.path("total").asInt()).isEqualTo(1);
        assertThat(channels.path("result").get(0).path("usersCount").isNumber()).isTrue();
        assertThat(bob.get("/api/v1/directory?text=" + secret + "&type=channels").json().path("total").asInt()).isZero();
        assertThat(alice.get("/api/v1/directory?text=" + secret + "&type=channels").json().path("total").asInt()).isEqualTo(1);

        JsonNode users = bob.get("/api/v1/directory?text=" + alice.username() + "&type=users").json().path("result");
        assertThat(users.get(0).path("username").asText()).isEqualTo(alice.username());
        assertThat(users.get(0).has("emails")).isFalse();
        assertThat(admin().get("/api/v1/directory?text=" + alice.username() + "&type=users").json().path("result").get(0)
                .has("emails")).isTrue();
        assertThat(bob.get("/api/v1/directory?text=x&type=invalid").status()).isEqualTo(400);
        assertThat(bob.get("/api/v1/directory?text=x&type=channels&sort=" + encode("{\"name\":1,\"ts\":1}")).status()).isEqualTo(400);

        String teamName = unique("crew");
        String teamRoom = alice.post("/api/v1/teams.create", Map.of("name", teamName, "type", 0)).json().path("team").path("roomId").asText();
        JsonNode teams = bob.get("/api/v1/directory?text=" + teamName + "&type=teams").json().path("result");
        assertThat(teams.get(0).path("_id").asText()).isEqualTo(teamRoom);
        assertThat(teams.get(0).path("roomsCount").asInt()).isZero();

        JsonNode spotlight = bob.get("/api/v1/spotlight?query=" + teamName).json();
        assertThat(spotlight.path("rooms").get(0).path("teamMain").asBoolean()).isTrue();
        assertThat(bob.get("/api/v1/spotlight?query=%23" + secret).json().path("rooms").size()).isZero();
        assertThat(bob.get("/api/v1/spotlight?query=%40" + alice.username()).json().path("users").get(0).path("username").asText())
                .isEqualTo(alice.username());
        assertThat(bob.get("/api/v1/spotlight").status()).isEqualTo(400);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
