package chat.caravan.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.login.LoginTokens;
import chat.caravan.accounts.login.PasswordHashing;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.testing.CaravanTestProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The accounts routes, called over the bus as core and ddp-streamer call them. */
@SpringBootTest(classes = AccountsRoutesTest.App.class)
class AccountsRoutesTest {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.accounts"})
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CaravanTestProperties.register(registry);
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    String username;

    @BeforeEach
    void createUser() {
        username = "user" + System.nanoTime();
        bus.call("accounts.createUser", Map.of("username", username, "email", username + "@test.io",
                "password", "s3cret-pass", "name", "Test User"));
    }

    @Test
    void passwordLoginByUsernameOrEmailPlainOrDigest() {
        JsonNode plain = bus.call("accounts.login", Map.of("user", Map.of("username", username), "password", "s3cret-pass"));
        assertThat(plain.path("token").asText()).hasSize(43);
        assertThat(plain.path("tokenExpires").has("$date")).isTrue();
        assertThat(plain.path("type").asText()).isEqualTo("password");
        assertThat(plain.path("user").toString()).doesNotContain("bcrypt").doesNotContain("loginTokens");

        JsonNode digest = bus.call("accounts.login", Map.of("user", Map.of("email", username + "@test.io"),
                "password", Map.of("digest", PasswordHashing.sha256Hex("s3cret-pass"), "algorithm", "sha-256")));
        assertThat(digest.path("userId").asText()).isEqualTo(plain.path("userId").asText());

        JsonNode byString = bus.call("accounts.login", Map.of("user", username.toUpperCase(), "password", "s3cret-pass"));
        assertThat(byString.path("userId").asText()).isEqualTo(plain.path("userId").asText());
    }

    @Test
    void storesPasswordsAndTokensAsMeteorDoes() {
        JsonNode login = bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass"));
        Document user = database.getCollection("users").find(Filters.eq("username", username)).first();
        String hash = user.getEmbedded(List.of("services", "password", "bcrypt"), String.class);
        assertThat(hash).startsWith("$2b$10$");
        assertThat(new PasswordHashing().matches(PasswordHashing.sha256Hex("s3cret-pass"), hash)).isTrue();
        List<Document> tokens = user.getEmbedded(List.of("services", "resume", "loginTokens"), List.class);
        assertThat(tokens).extracting(t -> t.getString("hashedToken")).contains(LoginTokens.hash(login.path("token").asText()));
        assertThat(tokens.toString()).doesNotContain(login.path("token").asText());
    }

    @Test
    void resumeValidateAndLogout() {
        JsonNode login = bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass"));
        String token = login.path("token").asText();
        String userId = login.path("userId").asText();
        JsonNode resumed = bus.call("accounts.login", Map.of("resume", token));
        assertThat(resumed.path("type").asText()).isEqualTo("resume");
        assertThat(resumed.path("token").asText()).isEqualTo(token);
        assertThat(bus.call("accounts.validateToken", Map.of("userId", userId, "token", token)).path("user").path("username").asText())
                .isEqualTo(username);
        bus.call("accounts.logout", Map.of("userId", userId, "token", token));
        assertStatus(() -> bus.call("accounts.validateToken", Map.of("userId", userId, "token", token)), 401);
        assertStatus(() -> bus.call("accounts.login", Map.of("resume", token)), 403);
    }

    @Test
    void wrongCredentialsUnknownUsersAndMalformedRequestsAreRefused() {
        assertThatThrownBy(() -> bus.call("accounts.login", Map.of("username", username, "password", "wrong")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.reason()).isEqualTo("Incorrect password"));
        assertThatThrownBy(() -> bus.call("accounts.login", Map.of("username", "nobody-" + username, "password", "x")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.reason()).isEqualTo("User not found"));
        assertStatus(() -> bus.call("accounts.login", Map.of("username", username)), 400);
        assertStatus(() -> bus.call("accounts.login", Map.of("username", 42, "password", "x")), 400);
        assertStatus(() -> bus.call("accounts.login", Map.of("username", username, "password", Map.of("digest", "zz", "algorithm", "md5"))), 400);
        assertStatus(() -> bus.call("accounts.login", Map.of("username", "x".repeat(10_000), "password", "x")), 400);
        assertStatus(() -> bus.call("accounts.login", List.of("not", "an", "object")), 400);
    }

    @Test
    void expiredTokensAndTokensOfDeletedOrDeactivatedUsersAreRefused() {
        JsonNode login = bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass"));
        String userId = login.path("userId").asText();
        String token = login.path("token").asText();
        database.getCollection("users").updateOne(Filters.eq("_id", userId),
                Updates.set("services.resume.loginTokens.0.when", new Date(System.currentTimeMillis() - 91L * 24 * 3600 * 1000)));
        assertStatus(() -> bus.call("accounts.validateToken", Map.of("userId", userId, "token", token)), 401);
        assertThatThrownBy(() -> bus.call("accounts.login", Map.of("resume", token)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.reason()).contains("expired"));

        JsonNode fresh = bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass"));
        bus.call("accounts.setActiveStatus", Map.of("userId", userId, "activeStatus", false));
        assertStatus(() -> bus.call("accounts.validateToken", Map.of("userId", userId, "token", fresh.path("token").asText())), 401);
        assertThatThrownBy(() -> bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("error-user-is-not-activated"));

        bus.call("accounts.setActiveStatus", Map.of("userId", userId, "activeStatus", true));
        JsonNode again = bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass"));
        bus.call("accounts.deleteUser", Map.of("userId", userId));
        assertStatus(() -> bus.call("accounts.validateToken", Map.of("userId", userId, "token", again.path("token").asText())), 401);
    }

    @Test
    void repeatedFailuresBlockTheUser() {
        database.getCollection("rocketchat_settings").updateOne(Filters.eq("_id", "Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User"),
                Updates.set("value", 3), new com.mongodb.client.model.UpdateOptions().upsert(true));
        try {
            for (int i = 0; i < 3; i++) {
                assertStatus(() -> bus.call("accounts.login", Map.of("username", username, "password", "wrong", "ip", "10.9.9.9")), 403);
            }
            Thread.sleep(2100); // the settings cache
            assertThatThrownBy(() -> bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass")))
                    .isInstanceOfSatisfying(CaravanException.class,
                            e -> assertThat(e.errorType()).isEqualTo("error-login-blocked-for-user"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            database.getCollection("rocketchat_settings").deleteOne(Filters.eq("_id", "Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User"));
        }
    }

    @Test
    void userCreationValidatesAsRocketChat() {
        assertThatThrownBy(() -> bus.call("accounts.createUser", Map.of("username", username, "email", "other@test.io",
                "password", "x", "name", "Dup"))).isInstanceOfSatisfying(CaravanException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("error-field-unavailable");
                    assertThat(e.getMessage()).isEqualTo(username + " is already in use :( [error-field-unavailable]");
                });
        assertThatThrownBy(() -> bus.call("accounts.createUser", Map.of("username", "bad name!", "email", "b@test.io",
                "password", "x", "name", "Bad"))).isInstanceOfSatisfying(CaravanException.class,
                e -> assertThat(e.errorType()).isEqualTo("error-input-is-not-a-valid-field"));
        assertThatThrownBy(() -> bus.call("accounts.createUser", Map.of("username", "nopass" + System.nanoTime(),
                "email", "np@test.io", "name", "No Pass"))).isInstanceOfSatisfying(CaravanException.class,
                e -> assertThat(e.getMessage()).isEqualTo("The field Password is required [error-the-field-is-required]"));
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.status()).isEqualTo(status));
    }
}
