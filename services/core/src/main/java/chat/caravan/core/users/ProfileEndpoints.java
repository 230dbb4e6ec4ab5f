package chat.caravan.core.users;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.UserDocuments;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.PasswordPolicy;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * A user's own account: users.updateOwnBasicInfo, users.setPreferences / users.getPreferences, and the password policy
 * clients show before a password is chosen (pw.getPolicy, pw.getPolicyReset).
 */
@Component("profileEndpoints")
public class ProfileEndpoints {

    private static final Set<String> BASIC_INFO_FIELDS = Set.of("email", "name", "username", "nickname", "bio", "statusText",
            "statusType", "currentPassword", "newPassword");

    private final BusClient bus;
    private final Authorization authorization;
    private final UserLookup users;
    private final UserEditRules editRules;
    private final UserPreferences preferences;
    private final PasswordPolicy passwordPolicy;
    private final Settings settings;
    private final RoomOwnerships ownerships;
    private final RestAuth auth;
    private final UserIdentityReferences identityReferences;

    public ProfileEndpoints(BusClient bus, Authorization authorization, UserLookup users, UserEditRules editRules,
            UserPreferences preferences, PasswordPolicy passwordPolicy, Settings settings, RoomOwnerships ownerships,
            RestAuth auth, UserIdentityReferences identityReferences) {
        this.identityReferences = identityReferences;
        this.bus = bus;
        this.authorization = authorization;
        this.users = users;
        this.editRules = editRules;
        this.preferences = preferences;
        this.passwordPolicy = passwordPolicy;
        this.settings = settings;
        this.ownerships = ownerships;
        this.auth = auth;
    }

    /**
     * {@code users.updateOwnBasicInfo}: the caller's name, username, e-mail, password, nickname, bio and status text.
     * A new e-mail or password needs the current password ({@code currentPassword}, its SHA-256 hex); a new e-mail is
     * unverified; a new password follows the password policy and ends the caller's other sessions.
     */
    public void updateOwnBasicInfo(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode data = RestRequest.body(exchange).path("data");
        if (!data.isObject()) {
            throw CaravanException.invalidParams("must have required property 'data'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!BASIC_INFO_FIELDS.contains(field.getKey())) {
                throw CaravanException.invalidParams("must NOT have additional properties '" + field.getKey() + "'");
            }
            if (!field.getValue().isTextual()) {
                throw CaravanException.invalidParams("must be string '" + field.getKey() + "'");
            }
        }
        String name = present(data, "name");
        if (name != null && !UserEditRules.validNameChars(name)) {
            throw CaravanException.plain("Name contains invalid characters");
        }
        if (!settings.bool("Accounts_AllowUserProfileChange", true)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        Document me = users.byId(caller);
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        copy(data, "name", changes, "name");
        copy(data, "username", changes, "username");
        copy(data, "email", changes, "email");
        copy(data, "nickname", changes, "nickname");
        copy(data, "bio", changes, "bio");
        copy(data, "newPassword", changes, "password");
        if (data.has("statusText")) {
            changes.put("statusText", data.get("statusText").asText());
        }
        editRules.checkEditing(caller, me, changes);
        if ((changes.has("email") || changes.has("password"))
                && settings.bool("Accounts_TwoFactorAuthentication_Enabled", true)) {
            // Rocket.Chat asks for the current password as a second factor before these two (unless 2FA is off)
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("userId", caller);
            check.put("digest", present(data, "currentPassword"));
            bus.call("accounts.checkPassword", check);
        }
        if (!changes.isEmpty()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("userId", caller);
            request.put("data", changes);
            request.put("ownProfile", true);
            request.put("keepToken", exchange.getProperty(RestAuth.AUTH_TOKEN, String.class));
            bus.call("accounts.updateUser", request);
            auth.forgetUser(caller);
            identityReferences.changed(me, users.byId(caller));
        }
        RestReplies.ok(exchange, Map.of("user", UserDocuments.withoutSecrets(users.byId(caller))));
    }

    /**
     * The DDP {@code setUserPassword(password)}: a user told to change their password ({@code requirePasswordChange})
     * sets a new one, which follows the policy and differs from the old; their sessions stay (Rocket.Chat's
     * {@code logout: false}) and the requirement is lifted.
     */
    public Object setRequiredPassword(String caller, JsonNode password) {
        if (password == null || !password.isTextual()) {
            throw CaravanException.invalidParams("Match error: expected a string");
        }
        Document me = users.byId(caller);
        if (me == null || !Boolean.TRUE.equals(me.getBoolean(UserFields.REQUIRE_PASSWORD_CHANGE))) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "setUserPassword"));
        }
        ObjectNode changes = JsonNodeFactory.instance.objectNode().put("password", password.asText()).put("requirePasswordChange", false);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("userId", caller);
        request.put("data", changes);
        request.put("ownProfile", true);
        request.put("keepSessions", true);
        bus.call("accounts.updateUser", request);
        auth.forgetUser(caller);
        return null;
    }

    /** {@code users.setPreferences}: the caller's (or, with edit-other-user-info, another user's) preferences. */
    public void setPreferences(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        if (!body.path("data").isObject()) {
            throw CaravanException.invalidParams("must have required property 'data'");
        }
        String userId = body.path("userId").isTextual() && !body.path("userId").asText().isBlank()
                ? body.get("userId").asText() : caller;
        if (!userId.equals(caller) && !authorization.hasPermission(caller, "edit-other-user-info")) {
            throw CaravanException.coded("error-action-not-allowed", "Editing user is not allowed");
        }
        if (users.collection().countDocuments(Filters.eq(UserFields.ID, userId)) == 0) {
            throw CaravanException.coded("error-invalid-user", "The optional \"userId\" param provided does not match any users");
        }
        preferences.save(userId, body.get("data"));
        Document user = users.byId(userId);
        Document shown = UserPreferences.stored(user);
        shown.put("language", user.getString(UserFields.LANGUAGE));
        RestReplies.ok(exchange, Map.of("user", new Document(UserFields.ID, userId)
                .append("settings", new Document("preferences", shown))));
    }

    /** {@code users.getPreferences}: what the caller chose, with their language. */
    public void getPreferences(Exchange exchange) {
        Document user = users.byId(RestAuth.userId(exchange));
        if (user == null || !(user.get("settings") instanceof Document)) {
            throw CaravanException.plain("FAILED TO RETRIEVE USER PREFERENCES BECAUSE THEY HAVEN'T BEEN SET UP BY THE USER YET");
        }
        Document shown = UserPreferences.stored(user);
        if (user.getString(UserFields.LANGUAGE) != null) {
            shown.put("language", user.getString(UserFields.LANGUAGE));
        }
        RestReplies.ok(exchange, Map.of("preferences", shown));
    }

    /**
     * {@code users.deleteOwnAccount}: with Accounts_AllowDeleteOwnAccount, the caller deletes their account, proving it
     * with their password's SHA-256 hex (any case); rooms they alone own are handed over only with confirmRelinquish.
     */
    public void deleteOwnAccount(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        JsonNode password = body.get("password");
        if (password == null || !password.isTextual() || password.asText().isEmpty()) {
            throw CaravanException.plain("Body parameter \"password\" is required.");
        }
        if (!settings.bool("Accounts_AllowDeleteOwnAccount", false)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        try {
            bus.call("accounts.checkPassword", Map.of("userId", caller, "digest", password.asText().trim().toLowerCase()));
        } catch (CaravanException e) {
            throw CaravanException.coded("error-invalid-password", "Invalid password", Map.of("method", "deleteUserOwnAccount"));
        }
        ownerships.relinquish(caller, body.path("confirmRelinquish").asBoolean(false));
        bus.call("accounts.deleteUser", Map.of("userId", caller));
        auth.forgetUser(caller);
        ownerships.removeMemberships(caller);
        RestReplies.ok(exchange, Map.of());
    }

    /** {@code pw.getPolicy} (no login needed): the password policy in force. */
    public void getPolicy(Exchange exchange) {
        RestReplies.ok(exchange, passwordPolicy.describe());
    }

    /** {@code pw.getPolicyReset}: the policy, for the holder of a password-reset token only. */
    public void getPolicyReset(Exchange exchange) {
        String token = RestRequest.query(exchange, "token");
        if (token == null) {
            throw CaravanException.invalidParams("must have required property 'token'");
        }
        if (token.isEmpty() || users.collection().countDocuments(Filters.eq("services.password.reset.token", token)) == 0) {
            throw CaravanException.forbidden("unauthorized");
        }
        RestReplies.ok(exchange, passwordPolicy.describe());
    }

    /** A field given with a non-empty value (Rocket.Chat ignores empty ones), or null. */
    private static String present(JsonNode data, String name) {
        JsonNode value = data.get(name);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static void copy(JsonNode data, String from, ObjectNode changes, String to) {
        String value = present(data, from);
        if (value != null) {
            changes.put(to, value);
        }
    }
}
