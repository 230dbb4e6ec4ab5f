package chat.caravan.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.login.PasswordHashing;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.LoginTokenHash;
import chat.caravan.common.settings.Settings;
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

    @Autowired
    Settings settings;

    @Autowired
    PasswordHashing passwords;

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
        assertThat(tokens).extracting(t -> t.getString("hashedToken")).contains(LoginTokenHash.of(login.path("token").asText()));
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
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.reason()).isEqualTo("User not found"));
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
        setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 3);
        try {
            for (int i = 0; i < 3; i++) {
                assertStatus(() -> bus.call("accounts.login", Map.of("username", username, "password", "wrong", "ip", "10.9.9.9")), 401);
            }
            assertThatThrownBy(() -> bus.call("accounts.login", Map.of("username", username, "password", "s3cret-pass")))
                    .isInstanceOfSatisfying(CaravanException.class,
                            e -> assertThat(e.errorType()).isEqualTo("error-login-blocked-for-user"));
        } finally {
            clearSetting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User");
        }
    }

    @Test
    void emailFormGuessesLockTheUserWhoThenCannotLogInByAnyForm() {
        setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 3);
        String email = username + "@test.io";
        try {
            // three forms of e-mail login, each from its own address so that only the per-user rule can block
            assertStatus(() -> bus.call("accounts.login", Map.of("user", email.toUpperCase(), "password", "wrong", "ip", "10.7.0.1")), 401);
            assertStatus(() -> bus.call("accounts.login", Map.of("email", email, "password", "wrong", "ip", "10.7.0.2")), 401);
            assertStatus(() -> bus.call("accounts.login", Map.of("user", Map.of("email", email), "password", "wrong", "ip", "10.7.0.3")), 401);
            String userId = database.getCollection("users").find(Filters.eq("username", username)).first().getString("_id");
            for (Map<String, Object> form : List.<Map<String, Object>>of(Map.of("user", email), Map.of("email", email),
                    Map.of("user", Map.of("email", email)), Map.of("username", username), Map.of("user", Map.of("id", userId)))) {
                Map<String, Object> request = new java.util.HashMap<>(form);
                request.put("password", "s3cret-pass");
                request.put("ip", "10.7.0.9");
                assertThatThrownBy(() -> bus.call("accounts.login", request)).as(form.toString())
                        .isInstanceOfSatisfying(CaravanException.class, e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.errorType()).isEqualTo("error-login-blocked-for-user");
                        });
            }
        } finally {
            clearSetting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User");
        }
    }

    @Test
    void unknownNamesAreCountedAndBlockedWithTheSameAnswerAsRealUsers() {
        setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 2);
        String realEmail = username + "@test.io";
        String unknownEmail = "nobody-" + username + "@test.io";
        try {
            for (String email : List.of(realEmail, unknownEmail)) {
                for (int i = 0; i < 2; i++) {
                    assertStatus(() -> bus.call("accounts.login", Map.of("user", email, "password", "wrong", "ip", "10.8.0." + email.length())), 401);
                }
            }
            CaravanException real = failure(() -> bus.call("accounts.login", Map.of("user", realEmail, "password", "s3cret-pass", "ip", "10.8.1.1")));
            CaravanException unknown = failure(() -> bus.call("accounts.login", Map.of("user", unknownEmail, "password", "s3cret-pass", "ip", "10.8.1.2")));
            assertThat(real.errorType()).isEqualTo("error-login-blocked-for-user");
            assertThat(List.of(unknown.status(), unknown.errorType(), unknown.getMessage()))
                    .isEqualTo(List.of(real.status(), real.errorType(), real.getMessage()));
        } finally {
            clearSetting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User");
        }
    }

    @Test
    void unknownUserAndWrongPasswordGetOneAnswerAfterOneBcryptEach() {
        String noPassword = "nopw" + System.nanoTime();
        database.getCollection("users").insertOne(new Document("_id", noPassword).append("username", noPassword)
                .append("active", true).append("roles", List.of("user")).append("type", "user"));
        List<CaravanException> failures = new java.util.ArrayList<>();
        for (Map<String, Object> attempt : List.<Map<String, Object>>of(Map.of("username", username, "password", "wrong"),
                Map.of("username", "nobody-" + username, "password", "wrong"),
                Map.of("user", "nobody-" + username + "@test.io", "password", "wrong"),
                Map.of("user", Map.of("id", "no-such-id"), "password", "wrong"),
                Map.of("username", noPassword, "password", "wrong"))) {
            long before = passwords.verifications();
            failures.add(failure(() -> bus.call("accounts.login", attempt)));
            assertThat(passwords.verifications() - before).as("bcrypt comparisons for " + attempt).isEqualTo(1);
        }
        assertThat(failures).extracting(e -> List.of(e.status(), String.valueOf(e.errorType()), e.getMessage()))
                .containsOnly(List.of(401, "null", "User not found"));
    }

    private void setting(String id, Object value) {
        database.getCollection("rocketchat_settings").updateOne(Filters.eq("_id", id), Updates.set("value", value),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
        settings.invalidate();
    }

    private void clearSetting(String id) {
        database.getCollection("rocketchat_settings").deleteOne(Filters.eq("_id", id));
        settings.invalidate();
    }

    private static CaravanException failure(Runnable call) {
        try {
            call.run();
        } catch (CaravanException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
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
