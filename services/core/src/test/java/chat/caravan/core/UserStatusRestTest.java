package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** users.setStatus as Rocket.Chat: a status chosen over REST shows at once, even for a user with no realtime connection. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class UserStatusRestTest extends CoreRestTestBase {

    @Test
    void aRestOnlyUserWhoChoosesOnlineIsListedOnlineByTheRoomAndPresenceEndpoints() {
        Client member = newUser("restonly");
        Client viewer = newUser("viewer");
        assertThat(member.get("/api/v1/users.getStatus").json().path("status").asText()).isEqualTo("offline");

        assertThat(member.post("/api/v1/users.setStatus", Map.of("status", "online", "message", "")).status()).isEqualTo(200);
        JsonNode status = member.get("/api/v1/users.getStatus").json();
        assertThat(status.path("status").asText()).isEqualTo("online");
        assertThat(status.path("connectionStatus").asText()).isEqualTo("offline");

        String name = unique("online-room");
        JsonNode channel = admin().post("/api/v1/channels.create", Map.of("name", name, "members", java.util.List.of(
                member.username(), viewer.username()))).json().path("channel");
        JsonNode online = member.get("/api/v1/channels.online?roomId=" + channel.path("_id").asText()).json().path("online");
        assertThat(online.findValuesAsText("username")).contains(member.username()).doesNotContain(viewer.username());

        JsonNode presence = viewer.get("/api/v1/users.presence?ids=" + member.userId()).json().path("users");
        assertThat(presence.findValuesAsText("status")).containsExactly("online");

        member.post("/api/v1/users.setStatus", Map.of("status", "busy", "message", "  in a meeting  "));
        JsonNode info = admin().get("/api/v1/users.info?userId=" + member.userId()).json().path("user");
        assertThat(info.path("status").asText()).isEqualTo("busy");
        assertThat(info.path("statusText").asText()).isEqualTo("in a meeting");
    }

    @Test
    void anotherUsersStatusNeedsEditOtherUserInfoAndBadStatusesAreRefused() {
        Client member = newUser("status-a");
        Client other = newUser("status-b");
        Reply refused = other.post("/api/v1/users.setStatus", Map.of("userId", member.userId(), "status", "away"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(admin().post("/api/v1/users.setStatus", Map.of("userId", member.userId(), "status", "away")).status())
                .isEqualTo(200);
        assertThat(member.get("/api/v1/users.getStatus").json().path("status").asText()).isEqualTo("away");
        assertThat(member.post("/api/v1/users.setStatus", Map.of("status", "sleeping")).json().path("errorType").asText())
                .isEqualTo("error-invalid-status");
    }
}
