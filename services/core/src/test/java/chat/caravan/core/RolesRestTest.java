package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** roles.addUserToRole / removeUserFromRole name the role by roleId (Rocket.Chat 6.x clients) or roleName (older). */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class RolesRestTest extends CoreRestTestBase {

    @Test
    void aRoleIsNamedByItsIdOrItsName() {
        Client admin = admin();
        Client user = newUser("roles");

        Reply byId = admin.post("/api/v1/roles.addUserToRole", Map.of("roleId", "livechat-agent", "username", user.username()));
        assertThat(byId.status()).as(byId.toString()).isEqualTo(200);
        assertThat(roles(admin, user)).contains("livechat-agent");

        Reply byName = admin.post("/api/v1/roles.addUserToRole", Map.of("roleName", "bot", "username", user.username()));
        assertThat(byName.status()).as(byName.toString()).isEqualTo(200);
        assertThat(roles(admin, user)).contains("bot", "livechat-agent");

        Reply removed = admin.post("/api/v1/roles.removeUserFromRole", Map.of("roleId", "bot", "username", user.username()));
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(roles(admin, user)).doesNotContain("bot");

        Reply unknown = admin.post("/api/v1/roles.addUserToRole", Map.of("roleId", "no-such-role", "username", user.username()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errorType").asText()).isEqualTo("error-role-not-found");
        Reply neither = admin.post("/api/v1/roles.addUserToRole", Map.of("username", user.username()));
        assertThat(neither.status()).isEqualTo(400);
        assertThat(user.post("/api/v1/roles.addUserToRole", Map.of("roleId", "admin", "username", user.username())).status())
                .isEqualTo(403);
    }

    private static java.util.List<String> roles(Client admin, Client user) {
        JsonNode found = admin.get("/api/v1/users.info?userId=" + user.userId()).json().path("user").path("roles");
        java.util.List<String> roles = new java.util.ArrayList<>();
        found.forEach(role -> roles.add(role.asText()));
        return roles;
    }
}
