package chat.caravan.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.testing.CaravanTestProperties;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The authorization service's decisions, asked over the bus through the client every service uses. */
@SpringBootTest(classes = AuthorizationDecisionsTest.App.class)
class AuthorizationDecisionsTest {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.authorization"})
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CaravanTestProperties.register(registry);
    }

    @Autowired
    Authorization authorization;

    @Autowired
    AuthorizationCache cache;

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    @BeforeEach
    void fixtures() {
        for (String role : List.of("admin", "user", "bot", "guest", "anonymous", "app")) {
            upsert("users", new Document("_id", "u-" + role).append("username", role + "-user").append("active", true)
                    .append("roles", List.of(role)));
        }
        upsert("rocketchat_room", new Document("_id", "public").append("t", "c").append("name", "public"));
        upsert("rocketchat_room", new Document("_id", "private").append("t", "p").append("name", "private"));
        upsert("rocketchat_room", new Document("_id", "readonly").append("t", "c").append("name", "readonly").append("ro", true));
        upsert("rocketchat_room", new Document("_id", "archived").append("t", "c").append("name", "archived").append("archived", true));
        upsert("rocketchat_subscription", new Document("_id", "s-owner").append("rid", "private")
                .append("u", new Document("_id", "u-user")).append("roles", List.of("owner")));
        upsert("rocketchat_subscription", new Document("_id", "s-guest").append("rid", "private")
                .append("u", new Document("_id", "u-guest")));
        upsert("rocketchat_subscription", new Document("_id", "s-ro").append("rid", "readonly")
                .append("u", new Document("_id", "u-user")));
        cache.clear();
    }

    @ParameterizedTest(name = "{0} may {1}: {2}")
    @CsvSource({
            "admin, create-c, true", "user, create-c, true", "bot, create-c, true", "app, create-c, true",
            "guest, create-c, false", "anonymous, create-c, false",
            "admin, view-c-room, true", "guest, view-c-room, false", "anonymous, view-c-room, true",
            "admin, create-user, true", "user, create-user, false", "bot, create-user, false",
            "user, delete-own-message, true", "guest, delete-own-message, false",
            "bot, message-impersonate, true", "user, message-impersonate, false",
            "admin, edit-message, true", "user, edit-message, false",
            "guest, view-d-room, true", "anonymous, view-d-room, false",
            "admin, add-oauth-service, true", "user, add-oauth-service, false", "user, start-discussion-other-user, true",
            "admin, manage-incoming-integrations, true", "user, manage-incoming-integrations, false"})
    void everyDefaultRoleGetsItsDefaultPermissions(String role, String permission, boolean expected) {
        assertThat(authorization.hasPermission("u-" + role, permission)).isEqualTo(expected);
    }

    @Test
    void roomScopedRolesApplyOnlyInTheirRoom() {
        assertThat(authorization.hasPermission("u-user", "edit-room", "private")).isTrue();
        assertThat(authorization.hasPermission("u-user", "edit-room", "public")).isFalse();
        assertThat(authorization.hasPermission("u-user", "edit-room")).isFalse();
        assertThat(authorization.hasAllPermission("u-user", List.of("edit-room", "delete-p"), "private")).isTrue();
        assertThat(authorization.hasAtLeastOnePermission("u-guest", List.of("edit-room", "create-user"), "private")).isFalse();
    }

    @Test
    void roomAccessFollowsTypeAndMembership() {
        assertThat(authorization.canAccessRoom("u-user", "public")).isTrue();
        assertThat(authorization.canAccessRoom("u-bot", "public")).isTrue();
        assertThat(authorization.canAccessRoom("u-guest", "public")).isFalse();
        assertThat(authorization.canAccessRoom("u-user", "private")).isTrue();
        assertThat(authorization.canAccessRoom("u-guest", "private")).isTrue();
        assertThat(authorization.canAccessRoom("u-admin", "private")).isFalse();
        assertThat(authorization.canReadRoom("u-bot", "private")).isFalse();
        assertThat(authorization.canAccessRoom("u-user", "no-such-room")).isFalse();
    }

    @Test
    void readOnlyAndArchivedRoomsRefuseWrites() {
        assertThat(authorization.canSendMessage("u-user", "public").path("_id").asText()).isEqualTo("public");
        assertThatThrownBy(() -> authorization.canSendMessage("u-user", "readonly"))
                .isInstanceOfSatisfying(CaravanException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("You can't send messages because the room is readonly."));
        assertThat(authorization.canSendMessage("u-admin", "readonly").path("_id").asText()).isEqualTo("readonly");
        assertThatThrownBy(() -> authorization.canSendMessage("u-user", "archived"))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("error-room-archived"));
        assertThatThrownBy(() -> authorization.canSendMessage("u-admin", "private"))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.getMessage()).isEqualTo("error-not-allowed"));
        assertThatThrownBy(() -> authorization.canSendMessage("u-user", "nowhere"))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("error-invalid-room"));
    }

    @Test
    void aBlockedDirectConversationAndAMutedNameRefuseWrites() {
        upsert("rocketchat_room", new Document("_id", "dm").append("t", "d").append("uids", List.of("u-user", "u-bot")));
        upsert("rocketchat_subscription", new Document("_id", "s-dm-user").append("rid", "dm")
                .append("u", new Document("_id", "u-user")).append("blocker", true));
        upsert("rocketchat_subscription", new Document("_id", "s-dm-bot").append("rid", "dm")
                .append("u", new Document("_id", "u-bot")).append("blocked", true));
        for (String uid : List.of("u-user", "u-bot")) {
            assertThatThrownBy(() -> authorization.canSendMessage(uid, "dm"))
                    .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.getMessage()).isEqualTo("room_is_blocked"));
        }
        upsert("rocketchat_room", new Document("_id", "muting").append("t", "c").append("name", "muting")
                .append("muted", List.of("user-user")));
        assertThatThrownBy(() -> authorization.canSendMessage("u-user", "muting"))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.getMessage()).isEqualTo("You_have_been_muted"));
        // the name is cached with the roles; a rename's change event makes the next decision read the new one
        upsert("users", new Document("_id", "u-user").append("username", "renamed").append("active", true)
                .append("roles", List.of("user")));
        cache.onChange("watch.users", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", "u-user"));
        assertThat(authorization.canSendMessage("u-user", "muting").path("_id").asText()).isEqualTo("muting");
    }

    @Test
    void aChangeEventTakesEffectAtOnceAndOperatorChangesSurviveReseeding() throws Exception {
        assertThat(authorization.hasPermission("u-guest", "create-c")).isFalse();
        database.getCollection("rocketchat_permissions").updateOne(Filters.eq("_id", "create-c"), Updates.addToSet("roles", "guest"));
        bus.publish("watch.permissions", Map.of("clientAction", "updated", "id", "create-c"));
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!authorization.hasPermission("u-guest", "create-c") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(authorization.hasPermission("u-guest", "create-c")).isTrue();
        new PermissionSeeder(database).seed();
        assertThat(database.getCollection("rocketchat_permissions").find(Filters.eq("_id", "create-c")).first()
                .getList("roles", String.class)).contains("guest");
        database.getCollection("rocketchat_permissions").updateOne(Filters.eq("_id", "create-c"), Updates.pull("roles", "guest"));
        bus.publish("watch.permissions", Map.of("clientAction", "updated", "id", "create-c"));
    }

    @Test
    void defaultRolesAreSeeded() {
        for (String role : List.of("admin", "user", "bot", "guest", "anonymous", "app", "owner", "moderator", "leader")) {
            Document seeded = database.getCollection("rocketchat_roles").find(Filters.eq("_id", role)).first();
            assertThat(seeded).as(role).isNotNull();
            assertThat(seeded.getBoolean("protected")).isTrue();
        }
        assertThat(database.getCollection("rocketchat_roles").find(Filters.eq("_id", "owner")).first().getString("scope"))
                .isEqualTo("Subscriptions");
    }

    private void upsert(String collection, Document document) {
        document.append("_updatedAt", new Date());
        database.getCollection(collection).replaceOne(Filters.eq("_id", document.get("_id")), document,
                new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }
}
