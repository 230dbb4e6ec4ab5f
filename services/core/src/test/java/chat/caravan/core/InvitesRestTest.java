package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Invite links: created by members with create-invite-links, used by anyone logged in to join the room. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class InvitesRestTest extends CoreRestTestBase {

    @Test
    void anInviteToAPrivateGroupLetsAnotherUserJoinAndCountsTheirUse() {
        Client owner = admin();
        Client guest = newUser("invitee");
        String name = unique("invite-group");
        String rid = owner.post("/api/v1/groups.create", Map.of("name", name)).json().path("group").path("_id").asText();

        JsonNode invite = owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 7, "maxUses", 5)).json();
        assertThat(invite.path("success").asBoolean()).as(invite.toString()).isTrue();
        String token = invite.path("_id").asText();
        assertThat(token).hasSize(6);
        assertThat(invite.path("uses").asInt()).isZero();
        assertThat(invite.path("url").asText()).startsWith("https://go.rocket.chat/invite?host=").contains("path=invite%2F" + token);
        assertThat(invite.has("expires")).isTrue();
        // the same settings again: the same invite
        assertThat(owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 7, "maxUses", 5)).json().path("_id")
                .asText()).isEqualTo(token);

        assertThat(anonymous().post("/api/v1/validateInviteToken", Map.of("token", token)).json().path("valid").asBoolean()).isTrue();
        assertThat(anonymous().post("/api/v1/validateInviteToken", Map.of("token", "nope")).json().path("valid").asBoolean()).isFalse();

        JsonNode used = guest.post("/api/v1/useInviteToken", Map.of("token", token)).json();
        assertThat(used.path("room").path("rid").asText()).as(used.toString()).isEqualTo(rid);
        assertThat(used.path("room").path("t").asText()).isEqualTo("p");
        assertThat(guest.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("rid").asText())
                .isEqualTo(rid);
        guest.post("/api/v1/useInviteToken", Map.of("token", token));
        JsonNode listed = owner.get("/api/v1/listInvites").json();
        assertThat(listed.isArray()).isTrue();
        JsonNode stored = null;
        for (JsonNode entry : listed) {
            if (entry.path("_id").asText().equals(token)) {
                stored = entry;
            }
        }
        assertThat(stored).isNotNull();
        assertThat(stored.path("uses").asInt()).as("a second use by a member is not counted").isEqualTo(1);
        // the token is kept on the user, and never shown
        assertThat(settingsDatabase.getCollection("users").find(Filters.eq("_id", guest.userId())).first().getString("inviteToken"))
                .isEqualTo(token);
        assertThat(owner.get("/api/v1/users.info?userId=" + guest.userId()).body()).doesNotContain("inviteToken");

        Reply removed = owner.delete("/api/v1/removeInvite/" + token);
        assertThat(removed.body()).isEqualTo("true");
        assertThat(owner.delete("/api/v1/removeInvite/" + token).json().path("errorType").asText()).isEqualTo("invalid-invitation-id");
        assertThat(guest.post("/api/v1/useInviteToken", Map.of("token", token)).json().path("errorType").asText())
                .isEqualTo("error-invalid-token");
    }

    @Test
    void invitesNeedThePermissionMembershipAndAllowedSettingsAndExpire() {
        Client owner = admin();
        Client outsider = newUser("outsider");
        String rid = owner.post("/api/v1/channels.create", Map.of("name", unique("invite-chan"))).json().path("channel")
                .path("_id").asText();
        assertThat(outsider.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 1, "maxUses", 0)).json()
                .path("errorType").asText()).isIn("error-invalid-room", "not_authorized");
        assertThat(outsider.get("/api/v1/listInvites").status()).isEqualTo(400);
        assertThat(owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 3, "maxUses", 0)).json().path("errorType")
                .asText()).isEqualTo("invalid-number-of-days");
        assertThat(owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 1, "maxUses", 7)).json().path("errorType")
                .asText()).isEqualTo("invalid-number-of-uses");
        assertThat(owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 1)).json().path("errorType").asText())
                .isEqualTo("invalid-params");
        String dm = owner.post("/api/v1/im.create", Map.of("username", outsider.username())).json().path("room").path("_id").asText();
        assertThat(owner.post("/api/v1/findOrCreateInvite", Map.of("rid", dm, "days", 1, "maxUses", 0)).json().path("errorType")
                .asText()).isEqualTo("error-room-type-not-allowed");

        String token = owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 1, "maxUses", 1)).json().path("_id").asText();
        assertThat(outsider.post("/api/v1/useInviteToken", Map.of("token", token)).status()).isEqualTo(200);
        Client late = newUser("late");
        assertThat(late.post("/api/v1/useInviteToken", Map.of("token", token)).json().path("errorType").asText())
                .as("one use allowed").isEqualTo("error-invite-expired");
        String daily = owner.post("/api/v1/findOrCreateInvite", Map.of("rid", rid, "days", 1, "maxUses", 0)).json().path("_id").asText();
        settingsDatabase.getCollection("rocketchat_invites").updateOne(Filters.eq("_id", daily),
                Updates.set("expires", new java.util.Date(System.currentTimeMillis() - 1000)));
        assertThat(late.post("/api/v1/useInviteToken", Map.of("token", daily)).json().path("errorType").asText())
                .isEqualTo("error-invite-expired");
        assertThat(late.post("/api/v1/useInviteToken", Map.of()).json().path("errorType").asText()).isEqualTo("invalid-params");
        assertThat(anonymous().post("/api/v1/useInviteToken", Map.of("token", daily)).status()).isEqualTo(401);
        assertThat(List.of(owner.delete("/api/v1/removeInvite/" + daily).body())).containsExactly("true");
    }
}
