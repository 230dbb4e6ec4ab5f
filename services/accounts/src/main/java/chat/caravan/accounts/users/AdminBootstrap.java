package chat.caravan.accounts.users;

import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.UserFields;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The first administrator, from ADMIN_USERNAME / ADMIN_PASS / ADMIN_EMAIL (and ADMIN_NAME, ADMIN_EMAIL_VERIFIED),
 * created on start when no administrator exists yet, as Rocket.Chat does: role {@code admin} only. Safe with several
 * accounts replicas: the username is unique.
 * <p>
 * With {@code TEST_MODE=true} (Rocket.Chat's switch for running its own test suite) the test administrator
 * {@code rocketchat.internal.admin.test} (its id, username and password) is re-created at every start, first, as
 * Rocket.Chat does in that mode.
 */
@Component
public class AdminBootstrap implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    static final String TEST_ADMIN = "rocketchat.internal.admin.test";
    static final String ROCKET_CAT = "rocket.cat";

    private final UserDirectory users;
    private final UserAccounts accounts;
    private final BusClient bus;
    private final String username;
    private final String password;
    private final String email;
    private final String name;
    private final boolean emailVerified;
    private final boolean testMode;

    public AdminBootstrap(UserDirectory users, UserAccounts accounts, BusClient bus,
            @Value("${ADMIN_USERNAME:}") String username, @Value("${ADMIN_PASS:}") String password,
            @Value("${ADMIN_EMAIL:}") String email, @Value("${ADMIN_NAME:Administrator}") String name,
            @Value("${ADMIN_EMAIL_VERIFIED:false}") boolean emailVerified, @Value("${TEST_MODE:false}") boolean testMode) {
        this.users = users;
        this.accounts = accounts;
        this.bus = bus;
        this.username = username.isBlank() && !password.isBlank() ? "admin" : username;
        this.password = password;
        this.email = email;
        this.name = name;
        this.emailVerified = emailVerified;
        this.testMode = testMode;
    }

    @Override
    public void afterSingletonsInstantiated() {
        createFirstAdmin();
    }

    public void createFirstAdmin() {
        createRocketCat();
        if (testMode) {
            createTestAdmin();
        }
        if (password.isBlank() || email.isBlank()) {
            return;
        }
        if (users.collection().find(Filters.eq(UserFields.ROLES, "admin")).first() != null) {
            return;
        }
        if (users.collection().find(Filters.eq(UserFields.USERNAME, username)).first() != null) {
            LOG.warn("ADMIN_USERNAME {} is already taken by a user who is not an administrator: no administrator created", username);
            return;
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode()
                .put("username", username).put("password", password).put("email", email).put("name", name)
                .put("verified", emailVerified);
        request.putArray("roles").add("admin");
        try {
            created(accounts.createUserWithId(request, Ids.random()));
            LOG.info("First administrator {} created from ADMIN_USERNAME", username);
        } catch (RuntimeException e) {
            if (users.collection().find(Filters.eq(UserFields.USERNAME, username)).first() == null) {
                LOG.error("Could not create the administrator {}: {}", username, e.getMessage());
            }
        }
    }

    /** Announces the new administrator as any new user is announced (core joins it to the default channels). */
    private void created(Map<String, Object> result) {
        bus.publish("accounts.userCreated", result);
    }

    /**
     * Rocket.Chat's own bot, {@code rocket.cat} (its id and username): the sender of server notices, present in every
     * Rocket.Chat database, so clients and tools that name it find it. It has no password and cannot log in.
     */
    private void createRocketCat() {
        if (users.collection().find(Filters.eq(UserFields.ID, ROCKET_CAT)).first() != null) {
            return;
        }
        if (users.collection().find(Filters.eq(UserFields.USERNAME, ROCKET_CAT)).first() != null) {
            LOG.error("A user other than the bot took the username {}: rename it so the bot can be created", ROCKET_CAT);
            return;
        }
        Date now = new Date();
        try {
            users.collection().insertOne(new Document(UserFields.ID, ROCKET_CAT).append(UserFields.CREATED_AT, now)
                    .append(UserFields.USERNAME, ROCKET_CAT).append(UserFields.NAME, "Rocket.Cat")
                    .append(UserFields.TYPE, "bot").append(UserFields.ACTIVE, true).append(UserFields.ROLES, List.of("bot"))
                    .append(UserFields.STATUS, "online").append(UserFields.STATUS_DEFAULT, "online")
                    .append(UserFields.UTC_OFFSET, 0).append(UserFields.UPDATED_AT, now));
            LOG.info("Bot user {} created", ROCKET_CAT);
            // core gives it its avatar; the bot joins no channel
            bus.publish("accounts.userCreated", Map.of("user", Map.of(UserFields.ID, ROCKET_CAT, UserFields.USERNAME, ROCKET_CAT),
                    "joinDefaultChannels", false));
        } catch (com.mongodb.MongoWriteException e) {
            // another accounts replica created it first
            LOG.debug("Bot user {} already created: {}", ROCKET_CAT, e.getMessage());
        }
    }

    private void createTestAdmin() {
        users.collection().deleteOne(Filters.eq(UserFields.ID, TEST_ADMIN));
        ObjectNode request = JsonNodeFactory.instance.objectNode()
                .put("username", TEST_ADMIN).put("password", TEST_ADMIN).put("email", TEST_ADMIN + "@rocket.chat")
                .put("name", "RocketChat Internal Admin Test").put("verified", false);
        request.putArray("roles").add("admin");
        created(accounts.createUserWithId(request, TEST_ADMIN));
        LOG.warn("TEST_MODE: test administrator {} created (password = username); never run production in test mode", TEST_ADMIN);
    }
}
