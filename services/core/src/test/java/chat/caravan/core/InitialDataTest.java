package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** What every Rocket.Chat database holds after the first start: the bot rocket.cat and the first administrator. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class InitialDataTest extends CoreRestTestBase {

    @Test
    void rocketCatIsABotThatCanBeFoundAndMessagedButNotLoggedInAs() {
        Client user = newUser("cat-friend");
        JsonNode cat = user.get("/api/v1/users.info?username=rocket.cat").json().path("user");
        assertThat(cat.path("_id").asText()).isEqualTo("rocket.cat");
        assertThat(cat.path("type").asText()).isEqualTo("bot");
        assertThat(cat.path("name").asText()).isEqualTo("Rocket.Cat");

        Reply dm = user.post("/api/v1/im.create", Map.of("username", "rocket.cat"));
        assertThat(dm.status()).as(dm.toString()).isEqualTo(200);
        assertThat(dm.json().path("room").path("usernames")).extracting(JsonNode::asText).contains("rocket.cat");

        assertThat(anonymous().post("/api/v1/login", Map.of("user", "rocket.cat", "password", "")).status()).isIn(400, 401);
        assertThat(anonymous().post("/api/v1/login", Map.of("user", "rocket.cat", "password", "rocket.cat")).status()).isEqualTo(401);
    }

    @Test
    void rocketCatHasItsOwnPictureAsAnAvatarWithAnETag() {
        Client user = newUser("cat-viewer");
        JsonNode cat = user.get("/api/v1/users.info?username=rocket.cat").json().path("user");
        assertThat(cat.path("avatarETag").asText()).isNotBlank();
        JsonNode online = user.get("/api/v1/users.presence").json().path("users");
        assertThat(online.findValuesAsText("avatarETag")).contains(cat.path("avatarETag").asText());
        Reply image = user.get("/avatar/rocket.cat");
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void theFirstAdministratorFromTheEnvironmentHasTheAdminRoleOnly() {
        JsonNode me = admin().get("/api/v1/me").json();
        assertThat(me.path("roles")).extracting(JsonNode::asText).containsExactly("admin");
    }
}
