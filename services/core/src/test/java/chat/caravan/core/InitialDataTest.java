package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import chat.caravan.core.settings.CoreSeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** What every Rocket.Chat database holds after the first start: the bot rocket.cat and the first administrator. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class InitialDataTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;
    @Autowired
    CoreSeeder seeder;

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
    void theSetupStateIsPendingOnlyWhileThereIsNoAdministrator() {
        String state = "/api/v1/settings.public?_id=Show_Setup_Wizard";
        assertThat(anonymous().get(state).json().path("settings").path(0).path("value").asText()).isEqualTo("completed");
        var users = database.getCollection("users");
        Document admin = users.find(Filters.eq("roles", "admin")).first();
        users.updateMany(Filters.eq("roles", "admin"), Updates.pull("roles", "admin"));
        try {
            seeder.updateSetupState();
            assertThat(anonymous().get(state).json().path("settings").path(0).path("value").asText()).isEqualTo("pending");
        } finally {
            users.updateOne(Filters.eq("_id", admin.getString("_id")), Updates.addToSet("roles", "admin"));
        }
        seeder.updateSetupState();
        assertThat(anonymous().get(state).json().path("settings").path(0).path("value").asText()).isEqualTo("completed");
    }

    @Test
    void theFirstAdministratorFromTheEnvironmentHasTheAdminRoleOnly() {
        JsonNode me = admin().get("/api/v1/me").json();
        assertThat(me.path("roles")).extracting(JsonNode::asText).containsExactly("admin");
    }
}
