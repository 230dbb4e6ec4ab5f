package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.login.PasswordHashing;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A user's own account over REST: personal access tokens, ending sessions, the profile with the password policy,
 * preferences, and the users.* lists and checks that go with them.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class UserAccountsRestTest extends CoreRestTestBase {

    @AfterEach
    void policyOff() {
        setting("Accounts_Password_Policy_Enabled", false);
        setting("Accounts_AllowRealNameChange", true);
    }

    @Test
    void personalAccessTokensAuthenticateUntilRemovedOrRegenerated() {
        Client alice = newUser("pat");
        assertThat(alice.get("/api/v1/users.getPersonalAccessTokens").json().path("tokens").size()).isZero();
        String token = alice.post("/api/v1/users.generatePersonalAccessToken", Map.of("tokenName", "ci")).json().path("token").asText();
        assertThat(token).hasSizeGreaterThan(20);
        Client viaToken = new Client(alice.userId(), token, alice.username());
        assertThat(viaToken.get("/api/v1/me").json().path("username").asText()).isEqualTo(alice.username());

        Reply duplicate = alice.post("/api/v1/users.generatePersonalAccessToken", Map.of("tokenName", "ci"));
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().path("errorType").asText()).isEqualTo("error-token-already-exists");
        JsonNode listed = alice.get("/api/v1/users.getPersonalAccessTokens").json().path("tokens");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).path("name").asText()).isEqualTo("ci");
        assertThat(listed.get(0).path("lastTokenPart").asText()).isEqualTo(token.substring(token.length() - 6));
        assertThat(listed.toString()).doesNotContain(token).doesNotContain("hashedToken");

        String regenerated = alice.post("/api/v1/users.regeneratePersonalAccessToken", Map.of("tokenName", "ci")).json()
                .path("token").asText();
        assertThat(viaToken.get("/api/v1/me").status()).isEqualTo(401);
        Client viaNewToken = new Client(alice.userId(), regenerated, alice.username());
        assertThat(viaNewToken.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(alice.post("/api/v1/users.removePersonalAccessToken", Map.of("tokenName", "nope")).json().path("errorType")
                .asText()).isEqualTo("error-token-does-not-exists");
        assertThat(alice.post("/api/v1/users.removePersonalAccessToken", Map.of("tokenName", "ci")).status()).isEqualTo(200);
        assertThat(viaNewToken.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(alice.post("/api/v1/users.generatePersonalAccessToken", Map.of()).json().path("error").asText())
                .isEqualTo("The 'tokenName' param is required");
    }

    @Test
    void endingSessionsKeepsTheCallersOwnAndPersonalTokens() {
        Client bob = newUser("sess");
        Client bobElsewhere = login(bob.username(), "pw-" + bob.username());
        String pat = bob.post("/api/v1/users.generatePersonalAccessToken", Map.of("tokenName", "keep")).json().path("token").asText();
        JsonNode reply = bob.post("/api/v1/users.logoutOtherClients", Map.of()).json();
        assertThat(reply.path("token").asText()).isEqualTo(bob.token());
        assertThat(reply.path("tokenExpires").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(bobElsewhere.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(bob.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(new Client(bob.userId(), pat, bob.username()).get("/api/v1/me").status()).isEqualTo(200);

        Client third = login(bob.username(), "pw-" + bob.username());
        assertThat(bob.post("/api/v1/users.removeOtherTokens", Map.of()).status()).isEqualTo(200);
        assertThat(third.get("/api/v1/me").status()).isEqualTo(401);

        Client carol = newUser("other");
        Reply refused = carol.post("/api/v1/users.logout", Map.of("userId", bob.userId()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(bob.get("/api/v1/me").status()).isEqualTo(200);
        Reply done = admin().post("/api/v1/users.logout", Map.of("userId", bob.userId()));
        assertThat(done.json().path("message").asText()).isEqualTo("User " + bob.userId() + " has been logged out!");
        assertThat(bob.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(new Client(bob.userId(), pat, bob.username()).get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void ownBasicInfoNeedsTheCurrentPasswordForPasswordAndEmailAndFollowsThePolicy() {
        Client dora = newUser("own");
        String password = "pw-" + dora.username();
        Client doraElsewhere = login(dora.username(), password);
        Reply renamed = dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("name", "Dora D")));
        assertThat(renamed.json().path("user").path("name").asText()).as(renamed.body()).isEqualTo("Dora D");
        assertThat(renamed.body()).doesNotContain("bcrypt");

        Reply noPassword = dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("newPassword", "Other-pass1!")));
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().path("errorType").asText()).isEqualTo("totp-required");
        Reply wrong = dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("newPassword", "Other-pass1!",
                "currentPassword", PasswordHashing.sha256Hex("not-it"))));
        assertThat(wrong.json().path("errorType").asText()).isEqualTo("totp-invalid");

        setting("Accounts_Password_Policy_Enabled", true);
        Reply weak = dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("newPassword", "short",
                "currentPassword", PasswordHashing.sha256Hex(password))));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("errorType").asText()).isEqualTo("error-password-policy-not-met");
        List<String> reasons = new ArrayList<>();
        weak.json().path("details").forEach(reason -> reasons.add(reason.path("error").asText()));
        assertThat(reasons).contains("error-password-policy-not-met-minLength", "error-password-policy-not-met-oneUppercase",
                "error-password-policy-not-met-oneNumber", "error-password-policy-not-met-oneSpecial");

        Reply changed = dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("newPassword", "Better-pass1!",
                "currentPassword", PasswordHashing.sha256Hex(password))));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(dora.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(doraElsewhere.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(login(dora.username(), "Better-pass1!").userId()).isEqualTo(dora.userId());

        setting("Accounts_AllowRealNameChange", false);
        assertThat(dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("name", "Not Allowed"))).json()
                .path("error").asText()).isEqualTo("Edit user real name is not allowed [error-action-not-allowed]");
        assertThat(dora.post("/api/v1/users.updateOwnBasicInfo", Map.of("data", Map.of("username", "admin"))).json()
                .path("error").asText()).isEqualTo("Could not save user identity [error-could-not-save-identity]");
    }

    @Test
    void passwordPolicyIsPublishedAndHoldsForAdministratorsToo() {
        Client erin = newUser("pol");
        JsonNode off = anonymous().get("/api/v1/pw.getPolicy").json();
        assertThat(off.path("enabled").asBoolean()).isFalse();
        assertThat(off.path("policy").size()).isZero();
        setting("Accounts_Password_Policy_Enabled", true);
        JsonNode on = anonymous().get("/api/v1/pw.getPolicy").json();
        assertThat(on.path("policy").get(0).get(0).asText()).isEqualTo("get-password-policy-minLength");
        assertThat(on.path("policy").get(0).get(1).path("minLength").asInt()).isEqualTo(7);
        Reply weak = admin().post("/api/v1/users.update", Map.of("userId", erin.userId(), "data", Map.of("password", "aaaa")));
        assertThat(weak.json().path("errorType").asText()).isEqualTo("error-password-policy-not-met");
        String name = unique("weak");
        assertThat(admin().post("/api/v1/users.create", Map.of("username", name, "email", name + "@core.test", "password", "aaaa",
                "name", name)).json().path("errorType").asText()).isEqualTo("error-password-policy-not-met");
        assertThat(anonymous().get("/api/v1/pw.getPolicyReset").json().path("errorType").asText()).isEqualTo("invalid-params");
        assertThat(anonymous().get("/api/v1/pw.getPolicyReset?token=123").status()).isEqualTo(403);
    }

    @Test
    void preferencesAreStoredOnTheUserAndShownByMeOverTheServerDefaults() {
        Client fay = newUser("pref");
        JsonNode defaults = fay.get("/api/v1/me").json().path("settings").path("preferences");
        assertThat(defaults.path("sidebarViewMode").asText()).isEqualTo("medium");
        assertThat(defaults.path("useEmojis").asBoolean()).isTrue();
        assertThat(fay.get("/api/v1/users.getPreferences").status()).isEqualTo(400);

        Reply saved = fay.post("/api/v1/users.setPreferences", Map.of("data", Map.of("useEmojis", false, "language", "de",
                "highlights", List.of("caravan"))));
        assertThat(saved.json().path("user").path("settings").path("preferences").path("language").asText()).isEqualTo("de");
        JsonNode mine = fay.get("/api/v1/me").json();
        assertThat(mine.path("settings").path("preferences").path("useEmojis").asBoolean()).isFalse();
        assertThat(mine.path("settings").path("preferences").path("sidebarViewMode").asText()).isEqualTo("medium");
        assertThat(mine.path("language").asText()).isEqualTo("de");
        JsonNode stored = fay.get("/api/v1/users.getPreferences").json().path("preferences");
        assertThat(stored.path("useEmojis").asBoolean()).isFalse();
        assertThat(stored.has("sidebarViewMode")).isFalse();

        assertThat(fay.post("/api/v1/users.setPreferences", Map.of("data", Map.of("useEmojis", "yes"))).json().path("errorType")
                .asText()).isEqualTo("invalid-params");
        Reply other = fay.post("/api/v1/users.setPreferences", Map.of("userId", admin().userId(), "data", Map.of("useEmojis", false)));
        assertThat(other.json().path("error").asText()).isEqualTo("Editing user is not allowed [error-action-not-allowed]");
        assertThat(admin().post("/api/v1/users.setPreferences", Map.of("userId", "nobody", "data", Map.of())).json()
                .path("errorType").asText()).isEqualTo("error-invalid-user");
    }

    @Test
    void listByStatusAndAutocomplete() {
        Client gus = newUser("lbs");
        admin().post("/api/v1/users.setActiveStatus", Map.of("userId", gus.userId(), "activeStatus", false));
        JsonNode deactivated = admin().get("/api/v1/users.listByStatus?status=deactivated&searchTerm=" + gus.username()).json();
        assertThat(deactivated.path("users").size()).isEqualTo(1);
        assertThat(deactivated.path("users").get(0).path("_id").asText()).isEqualTo(gus.userId());
        assertThat(deactivated.toString()).doesNotContain("services");
        assertThat(admin().get("/api/v1/users.listByStatus?status=active&searchTerm=" + gus.username()).json().path("total").asInt())
                .isZero();
        Reply invalid = admin().get("/api/v1/users.listByStatus?status=abcd");
        assertThat(invalid.json().path("error").asText()).isEqualTo("must be equal to one of the allowed values [invalid-params]");

        Client hal = newUser("auto");
        assertThat(hal.get("/api/v1/users.autocomplete?selector=%7B%22term%22%3A%22" + hal.username().substring(0, 4) + "%22%7D")
                .json().path("items").isArray()).isTrue();
        assertThat(hal.get("/api/v1/users.autocomplete?selector=" + encode("{\"conditions\":{\"$nor\":[{\"active\":true}]}}"))
                .status()).isEqualTo(400);
        assertThat(hal.get("/api/v1/users.autocomplete?selector="
                + encode("{\"conditions\":{\"services.password.bcrypt\":\"x\"}}")).status()).isEqualTo(400);
        assertThat(hal.get("/api/v1/users.autocomplete").json().path("errorType").asText()).isEqualTo("invalid-params");
    }

    @Test
    void theLastOwnerOfARoomCannotLeaveWithoutHandingItOver() {
        Client ivy = newUser("owner");
        Client jon = newUser("member");
        String rid = ivy.post("/api/v1/channels.create", Map.of("name", unique("owned"), "members", List.of(jon.username())))
                .json().path("channel").path("_id").asText();
        Reply refused = admin().post("/api/v1/users.delete", Map.of("userId", ivy.userId()));
        assertThat(refused.json().path("error").asText()).isEqualTo("[user-last-owner]");
        Reply deleted = admin().post("/api/v1/users.delete", Map.of("userId", ivy.userId(), "confirmRelinquish", true));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        JsonNode roles = admin().get("/api/v1/channels.roles?roomId=" + rid).json().path("roles");
        assertThat(roles.size()).isEqualTo(1);
        assertThat(roles.get(0).path("u").path("_id").asText()).isEqualTo(jon.userId());
        assertThat(jon.get("/api/v1/channels.members?roomId=" + rid).body()).doesNotContain(ivy.userId());
    }

    @Test
    void idleUsersAreDeactivatedAndLoggedOut() {
        Client kim = newUser("idle");
        assertThat(kim.post("/api/v1/users.deactivateIdle", Map.of("daysIdle", 0)).status()).isEqualTo(403);
        assertThat(admin().post("/api/v1/users.deactivateIdle", Map.of("daysIdle", 3650)).json().path("count").asInt()).isZero();
        JsonNode done = admin().post("/api/v1/users.deactivateIdle", Map.of("daysIdle", 0, "role", "user")).json();
        assertThat(done.path("count").asInt()).as(done.toString()).isGreaterThanOrEqualTo(1);
        assertThat(kim.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(admin().get("/api/v1/users.info?userId=" + kim.userId()).json().path("user").path("active").asBoolean()).isFalse();
        assertThat(admin().post("/api/v1/users.deactivateIdle", Map.of("daysIdle", 0, "role", "user")).json().path("count").asInt())
                .isZero();

        // an account that never logged in counts as idle since it was created
        String guest = unique("never-logged-in");
        String guestId = admin().post("/api/v1/users.create", Map.of("username", guest, "email", guest + "@core.test", "password",
                "pw-" + guest, "name", guest, "roles", java.util.List.of("guest"))).json().path("user").path("_id").asText();
        assertThat(admin().post("/api/v1/users.deactivateIdle", Map.of("daysIdle", 1, "role", "guest")).json().path("count").asInt())
                .as("created just now").isZero();
        assertThat(admin().post("/api/v1/users.deactivateIdle", Map.of("daysIdle", 0, "role", "guest")).json().path("count").asInt())
                .isEqualTo(1);
        assertThat(admin().get("/api/v1/users.info?userId=" + guestId).json().path("user").path("active").asBoolean()).isFalse();
    }

    @Test
    void presenceListsRecentChangesOrEveryoneOnline() {
        Client lea = newUser("presence");
        String recent = java.time.Instant.now().minusSeconds(60).toString();
        JsonNode changes = lea.get("/api/v1/users.presence?from=" + recent).json();
        assertThat(changes.path("full").asBoolean()).isFalse();
        assertThat(changes.path("users").toString()).doesNotContain(lea.userId());
        String old = java.time.Instant.now().minusSeconds(11 * 60).toString();
        assertThat(lea.get("/api/v1/users.presence?from=" + old).json().path("full").asBoolean()).isTrue();
        assertThat(lea.get("/api/v1/users.presence?from=yesterday").status()).isEqualTo(400);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
