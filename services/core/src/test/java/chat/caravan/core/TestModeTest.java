package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code TEST_MODE=true}, Rocket.Chat's switch for running its own test suite: the test administrator exists with its
 * fixed id, and no rate limiter refuses the suite's many calls from one address.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class, properties = "TEST_MODE=true")
class TestModeTest extends CoreRestTestBase {

    private static final String TEST_ADMIN = "rocketchat.internal.admin.test";

    @Test
    void theTestAdministratorHasItsFixedIdAndTheAdminRoleOnly() {
        Client testAdmin = login(TEST_ADMIN, TEST_ADMIN);
        assertThat(testAdmin.userId()).isEqualTo(TEST_ADMIN);
        JsonNode me = testAdmin.get("/api/v1/me").json();
        assertThat(me.path("roles")).extracting(JsonNode::asText).containsExactly("admin");
        assertThat(me.path("emails").path(0).path("address").asText()).isEqualTo(TEST_ADMIN + "@rocket.chat");
        // ADMIN_USERNAME's administrator is not created beside it: an administrator already exists
        assertThat(anonymous().post("/api/v1/login", Map.of("user", "admin", "password", "admin-pass")).status()).isEqualTo(401);
    }

    @Test
    void noRateLimitApplies() {
        setting("API_Enable_Rate_Limiter_Limit_Calls_Default", 2);
        for (int i = 0; i < 6; i++) {
            Reply reply = anonymous().post("/api/v1/login", Map.of("user", TEST_ADMIN, "password", TEST_ADMIN));
            assertThat(reply.status()).as("login " + i + ": " + reply).isEqualTo(200);
            assertThat(reply.header("X-RateLimit-Limit")).isNull();
        }
    }
}
