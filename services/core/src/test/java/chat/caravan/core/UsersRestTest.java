package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** login, me and users.* over REST, with the accounts service answering over the bus. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class UsersRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    @Test
    void loginReplyMeAndLogout() {
        Reply login = anonymous().post("/api/v1/login", Map.of("username", "admin", "password", "admin-pass"));
        JsonNode data = login.json().path("data");
        assertThat(login.json().path("status").asText()).isEqualTo("success");
        assertThat(data.path("me").path("username").asText()).isEqualTo("admin");
        assertThat(data.path("me").path("services").path("password").path("exists").asBoolean()).isTrue();
        assertThat(login.body()).doesNotContain("bcrypt").doesNotContain("loginTokens");
        Client admin = new Client(data.path("userId").asText(), data.path("authToken").asText(), "admin");
        assertThat(admin.get("/api/v1/me").json().path("email").asText()).isEqualTo("admin@core.test");
        assertThat(admin.post("/api/v1/logout", Map.of()).json().path("data").path("message").asText())
                .isEqualTo("You've been logged out!");
        assertThat(admin.get("/api/v1/me").status()).isEqualTo(401);

        Reply wrong = anonymous().post("/api/v1/login", Map.of("user", "admin", "password", "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("message").asText()).isEqualTo("Unauthorized");
        assertThat(anonymous().post("/api/v1/login", Map.of("user", "admin", "password", "x", "extra", 1)).status()).isEqualTo(400);
    }

    @Test
    void usersInfoListAndPrivateFields() {
        Client alice = newUser("alice");
        JsonNode asAdmin = admin().get("/api/v1/users.info?userId=" + alice.userId()).json().path("user");
        assertThat(asAdmin.has("emails")).isTrue();
        JsonNode asPeer = newUser("peer").get("/api/v1/users.info?username=" + alice.username()).json().path("user");
        assertThat(asPeer.path("username").asText()).isEqualTo(alice.username());
        assertThat(asPeer.has("emails")).isFalse();
        assertThat(asPeer.has("services")).isFalse();
        assertThat(alice.get("/api/v1/users.info?username=nobody-here").json().path("error").asText()).isEqualTo("User not found.");

        JsonNode page = admin().get("/api/v1/users.list?count=1&offset=1&sort=%7B%22username%22%3A1%7D").json();
        assertThat(page.path("count").asInt()).isEqualTo(1);
        assertThat(page.path("total").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(page.toString()).doesNotContain("bcrypt");
    }

    @Test
    void aCreatedUserIsInTheDefaultChannelsOnceWhenTheAnswerArrivesUnlessAskedNotTo() {
        String name = unique("lobby");
        String rid = admin().post("/api/v1/channels.create", Map.of("name", name)).json().path("channel").path("_id").asText();
        assertThat(admin().post("/api/v1/channels.setDefault", Map.of("roomId", rid, "default", true)).status()).isEqualTo(200);

        String username = unique("joiner");
        JsonNode created = admin().post("/api/v1/users.create", Map.of("username", username, "email", username + "@y.io",
                "password", "pw-" + username, "name", "Joiner")).json().path("user");
        Client joiner = login(username, "pw-" + username);
        assertThat(joiner.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").path("rid").asText())
                .isEqualTo(rid);
        String stayer = unique("stayer");
        admin().post("/api/v1/users.create", Map.of("username", stayer, "email", stayer + "@y.io", "password", "pw-" + stayer,
                "name", "Stayer", "joinDefaultChannels", false));
        Client stays = login(stayer, "pw-" + stayer);
        assertThat(stays.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription").isNull()).isTrue();
        // one membership and one join message each, however the creation was announced
        assertThat(database.getCollection("rocketchat_subscription").countDocuments(Filters.and(Filters.eq("rid", rid),
                Filters.eq("u._id", created.path("_id").asText())))).isEqualTo(1);
        assertThat(database.getCollection("rocketchat_message").countDocuments(Filters.and(Filters.eq("rid", rid),
                Filters.eq("t", "uj"), Filters.eq("u._id", created.path("_id").asText())))).isEqualTo(1);
    }

    @Test
    void adminsManageAccountsAndOthersCannot() {
        Client bob = newUser("bob");
        assertThat(bob.post("/api/v1/users.create", Map.of("username", unique("x"), "email", "x@y.io", "password", "p", "name", "X"))
                .json().path("error").asText()).isEqualTo("Adding user is not allowed [error-action-not-allowed]");
        assertThat(bob.post("/api/v1/users.update", Map.of("userId", admin().userId(), "data", Map.of("name", "Evil"))).json()
                .path("errorType").asText()).isEqualTo("error-action-not-allowed");
        assertThat(bob.post("/api/v1/users.update", Map.of("userId", bob.userId(), "data", Map.of("name", "Bobby"))).json()
                .path("user").path("name").asText()).isEqualTo("Bobby");
        Reply duplicate = admin().post("/api/v1/users.create", Map.of("username", bob.username(), "email", "other@y.io",
                "password", "p", "name", "Dup"));
        assertThat(duplicate.json().path("errorType").asText()).isEqualTo("error-field-unavailable");

        Client carol = newUser("carol");
        assertThat(admin().post("/api/v1/users.setActiveStatus", Map.of("userId", carol.userId(), "activeStatus", false))
                .json().path("user").path("active").asBoolean()).isFalse();
        assertThat(carol.get("/api/v1/me").status()).isEqualTo(401);
        Reply inactive = anonymous().post("/api/v1/login", Map.of("user", carol.username(), "password", "pw-" + carol.username()));
        assertThat(inactive.status()).isEqualTo(401);
        assertThat(inactive.json().path("error").asText()).isEqualTo("error-user-is-not-activated");
        assertThat(bob.post("/api/v1/users.delete", Map.of("userId", carol.userId())).status()).isEqualTo(403);
        assertThat(admin().post("/api/v1/users.delete", Map.of("userId", carol.userId())).status()).isEqualTo(200);
        assertThat(admin().get("/api/v1/users.info?userId=" + carol.userId()).json().path("success").asBoolean()).isFalse();
        assertThat(bob.post("/api/v1/users.resetAvatar", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void registrationCreatesAUserWhoCanLogIn() {
        String username = unique("reg");
        Reply registered = anonymous().post("/api/v1/users.register", Map.of("username", username, "email", username + "@r.io",
                "pass", "pw-reg-1", "name", "Reg"));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        assertThat(registered.json().path("user").path("username").asText()).isEqualTo(username);
        assertThat(registered.json().path("user").has("emails")).isFalse();
        assertThat(login(username, "pw-reg-1").userId()).isNotBlank();
        // not an authenticated route in Rocket.Chat: credentials sent along are ignored
        String another = unique("again");
        Reply withCredentials = admin().post("/api/v1/users.register", Map.of("username", another, "email", another + "@r.io",
                "pass", "pw-again-1", "name", "A"));
        assertThat(withCredentials.status()).as(withCredentials.body()).isEqualTo(200);
        assertThat(login(another, "pw-again-1").userId()).isEqualTo(withCredentials.json().path("user").path("_id").asText());
        assertThat(anonymous().post("/api/v1/users.register", Map.of("username", another, "email", "b@r.io", "pass", "p",
                "name", "B")).json().path("error").asText()).isEqualTo("Username is already in use");
        assertThat(anonymous().post("/api/v1/users.register", Map.of("username", "bad$name", "email", "c@r.io", "pass", "p",
                "name", "C")).json().path("error").asText()).isEqualTo("The username provided is not valid");
        assertThat(anonymous().post("/api/v1/users.register", Map.of("username", unique("n"), "email", "d@r.io", "pass", "p",
                "name", "<b>")).json().path("error").asText()).isEqualTo("Name contains invalid characters");
        Reply blocked = anonymous().post("/api/v1/users.register", Map.of("username", "Administrator", "email", "e@r.io",
                "pass", "p", "name", "E"));
        assertThat(blocked.json().path("errorType").asText()).as(blocked.body()).isEqualTo("error-blocked-username");
    }
}
