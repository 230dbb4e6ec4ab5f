package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.caravan.core.settings.CoreSeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Rocket.Chat's settings catalogue: every id exists with Rocket.Chat's default, is readable and settable by id. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class SettingsCatalogueTest extends CoreRestTestBase {

    @Autowired
    CoreSeeder seeder;

    @Test
    void settingsOfRocketChatExistWithTheirDefaults() {
        Client admin = admin();
        assertThat(admin.get("/api/v1/settings/API_Enable_Shields").json().path("value").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/settings/UI_Use_Real_Name").json().path("value").asBoolean(true)).isFalse();
        assertThat(admin.get("/api/v1/settings/Accounts_SearchFields").json().path("value").asText())
                .isEqualTo("username, name, bio, nickname");
        assertThat(admin.get("/api/v1/settings/API_User_Limit").json().path("value").asInt()).isEqualTo(500);
        assertThat(admin.get("/api/v1/settings/Accounts_Password_Policy_MaxLength").json().path("value").asInt()).isEqualTo(-1);
        assertThat(admin.get("/api/v1/settings/Message_BadWordsFilterList").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/settings/No_Such_Setting").status()).isEqualTo(404);
        assertThat(settingsDatabase.getCollection("rocketchat_settings").countDocuments()).isGreaterThan(800);
    }

    @Test
    void aSettingOfAFeatureCaravanLacksSaysSoAndStillTakesAValue() {
        Document ldap = settingsDatabase.getCollection("rocketchat_settings").find(Filters.eq("_id", "LDAP_Enable")).first();
        assertThat(ldap).isNotNull();
        assertThat(ldap.getString("description")).startsWith("Not implemented in Caravan (LDAP)");
        assertThat(ldap.get("packageValue")).isEqualTo(false);
        Document realName = settingsDatabase.getCollection("rocketchat_settings").find(Filters.eq("_id", "UI_Use_Real_Name")).first();
        assertThat(realName.get("description")).isNull();
        assertThat(realName.getString("group")).isEqualTo("Layout");

        Client admin = admin();
        assertThat(admin.post("/api/v1/settings/LDAP_Enable", Map.of("value", true)).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/settings/LDAP_Enable").json().path("value").asBoolean()).isTrue();
        Reply wrongType = admin.post("/api/v1/settings/LDAP_Enable", Map.of("value", "yes"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("errorType").asText()).isEqualTo("error-invalid-setting-value");
        assertThat(admin.post("/api/v1/settings/No_Such_Setting", Map.of("value", true)).status()).isEqualTo(404);
        assertThat(newUser("settings").post("/api/v1/settings/LDAP_Enable", Map.of("value", false)).status()).isEqualTo(403);
        admin.post("/api/v1/settings/LDAP_Enable", Map.of("value", false));
    }

    @Test
    void publicSettingsHonourIdAndQueryFilters() {
        JsonNode picked = anonymous().get("/api/v1/settings.public?_id=Site_Name,%20UI_Use_Real_Name,API_User_Limit").json();
        assertThat(ids(picked)).containsExactlyInAnyOrder("Site_Name", "UI_Use_Real_Name", "API_User_Limit");

        // a private setting is never served publicly, whatever the filter asks for
        JsonNode privateOne = anonymous().get("/api/v1/settings.public?_id=Accounts_SearchFields").json();
        assertThat(privateOne.path("settings")).isEmpty();

        String query = URLEncoder.encode("{\"_id\":{\"$in\":[\"Site_Name\",\"Threads_enabled\"]}}", StandardCharsets.UTF_8);
        JsonNode queried = anonymous().get("/api/v1/settings.public?query=" + query).json();
        assertThat(ids(queried)).containsExactlyInAnyOrder("Site_Name", "Threads_enabled");
        assertThat(queried.path("total").asInt()).isEqualTo(2);

        String unsafe = URLEncoder.encode("{\"public\":false}", StandardCharsets.UTF_8);
        Reply refused = anonymous().get("/api/v1/settings.public?query=" + unsafe);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(anonymous().get("/api/v1/settings.public?query=%7Bnot-json").status()).isEqualTo(400);

        JsonNode uniqueId = anonymous().get("/api/v1/settings.public?_id=uniqueID").json();
        assertThat(uniqueId.path("settings").path(0).path("value").asText()).hasSizeGreaterThan(20);
    }

    @Test
    void loginServicesAreAnEmptyListNotAMissingEndpoint() {
        Reply oauth = anonymous().get("/api/v1/settings.oauth");
        assertThat(oauth.status()).isEqualTo(200);
        assertThat(oauth.json().path("services").isArray()).isTrue();
        assertThat(oauth.json().path("services")).isEmpty();
        Reply configurations = admin().get("/api/v1/service.configurations");
        assertThat(configurations.status()).isEqualTo(200);
        assertThat(configurations.json().path("configurations").isArray()).isTrue();
    }

    @Test
    void seedingAgainKeepsAnAdministratorsValuesAndTheInstallationsId() {
        Client admin = admin();
        admin.post("/api/v1/settings/Message_GroupingPeriod", Map.of("value", 42));
        String uniqueId = admin.get("/api/v1/settings/uniqueID").json().path("value").asText();
        settingsDatabase.getCollection("rocketchat_settings").deleteOne(Filters.eq("_id", "Message_TimeFormat"));

        seeder.seed();

        assertThat(admin.get("/api/v1/settings/Message_GroupingPeriod").json().path("value").asInt()).isEqualTo(42);
        assertThat(admin.get("/api/v1/settings/uniqueID").json().path("value").asText()).isEqualTo(uniqueId);
        assertThat(admin.get("/api/v1/settings/Message_TimeFormat").json().path("value").asText()).isEqualTo("LT");
    }

    @Test
    void everyPermissionOfRocketChatExistsAndCanBeGranted() {
        Client admin = admin();
        Reply update = admin.post("/api/v1/permissions.update", Map.of("permissions",
                List.of(Map.of("_id", "view-l-room", "roles", List.of("admin", "livechat-agent")),
                        Map.of("_id", "start-discussion-other-user", "roles", List.of("admin", "user", "owner")))));
        assertThat(update.status()).as(update.toString()).isEqualTo(200);
        JsonNode all = admin.get("/api/v1/permissions.listAll").json();
        List<String> ids = new ArrayList<>();
        all.path("update").forEach(permission -> ids.add(permission.path("_id").asText()));
        assertThat(ids).contains("add-oauth-service", "manage-incoming-integrations", "view-l-room", "create-team");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("settings").forEach(setting -> ids.add(setting.path("_id").asText()));
        return ids;
    }
}
