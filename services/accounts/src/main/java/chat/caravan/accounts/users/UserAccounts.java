package chat.caravan.accounts.users;

import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import chat.caravan.accounts.login.LoginSessions;
import chat.caravan.accounts.login.PasswordHashing;
import chat.caravan.accounts.login.TokenRevocations;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.UserDocuments;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.BlockedUsernames;
import chat.caravan.common.settings.PasswordPolicy;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creating, changing and removing user accounts: the writes that touch passwords and identities, with Rocket.Chat's
 * validation order and error strings. Callers (core's REST routes) have checked permissions already.
 */
@Component("userAccounts")
public class UserAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(UserAccounts.class);
    static final int MAX_NAME = 120;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_BIO = 260;
    /** The exchange property listing the users deactivateIdle deactivated. */
    public static final String DEACTIVATED_USERS = "caravanDeactivatedUsers";
    static final int MAX_NICKNAME = 120;
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$");

    private final UserDirectory users;
    private final PasswordHashing passwords;
    private final Settings settings;
    private final PasswordPolicy passwordPolicy;
    private final BlockedUsernames blockedUsernames;
    private final LoginSessions sessions;
    private final CustomFields customFields;

    public UserAccounts(UserDirectory users, PasswordHashing passwords, Settings settings, PasswordPolicy passwordPolicy,
            BlockedUsernames blockedUsernames, LoginSessions sessions, CustomFields customFields) {
        this.users = users;
        this.passwords = passwords;
        this.settings = settings;
        this.passwordPolicy = passwordPolicy;
        this.blockedUsernames = blockedUsernames;
        this.sessions = sessions;
        this.customFields = customFields;
    }

    /** {@code accounts.createUser}: {username, email, password, name, roles?, active?, verified?, ...} -> {user}. */
    public Map<String, Object> createUser(JsonNode request) {
        if (request.has("customFields")) {
            customFields.validated(request.get("customFields"));
        }
        // what a client may not choose: a reserved username or a password against the policy (the operator's first
        // administrator, made by createUserWithId, is exempt, as in Rocket.Chat)
        blockedUsernames.check(optionalText(request, "username", MAX_NAME));
        String password = optionalText(request, "password", MAX_PASSWORD);
        if (password != null && !password.isEmpty()) {
            passwordPolicy.validate(password);
        }
        return createUserWithId(request, Ids.random());
    }

    /** As {@link #createUser(JsonNode)}, with the id chosen by the server itself (the test-mode admin's fixed id). */
    Map<String, Object> createUserWithId(JsonNode request, String id) {
        // Rocket.Chat checks the custom fields before anything else of the account
        Document custom = request.has("customFields") ? customFields.validated(request.get("customFields")) : null;
        String name = optionalText(request, "name", MAX_NAME);
        if (settings.bool("Accounts_RequireNameForSignUp", true) && (name == null || name.isBlank())) {
            throw CaravanException.coded("error-the-field-is-required", "The field Name is required");
        }
        String username = optionalText(request, "username", MAX_NAME);
        if (username == null || username.isBlank()) {
            throw CaravanException.coded("error-the-field-is-required", "The field Username is required");
        }
        validateUsername(username);
        String email = optionalText(request, "email", 254);
        if (email == null || email.isBlank()) {
            throw CaravanException.coded("error-the-field-is-required", "The field Email is required");
        }
        if (!EMAIL.matcher(email).matches()) {
            throw CaravanException.coded("error-invalid-email", "Invalid email " + email);
        }
        String password = optionalText(request, "password", MAX_PASSWORD);
        if ((password == null || password.isEmpty()) && !request.path("setRandomPassword").asBoolean(false)) {
            throw CaravanException.coded("error-the-field-is-required", "The field Password is required");
        }
        if (password == null || password.isEmpty()) {
            password = Ids.random(24);
        }
        if (users.usernameTaken(username, null)) {
            throw CaravanException.coded("error-field-unavailable", username + " is already in use :(",
                    Map.of("field", username));
        }
        if (users.emailTaken(email, null)) {
            throw CaravanException.coded("error-field-unavailable", email + " is already in use :(", Map.of("field", email));
        }
        List<String> roles = roles(request);
        Date now = new Date();
        Document user = new Document(UserFields.ID, id)
                .append(UserFields.CREATED_AT, now)
                .append(UserFields.USERNAME, username)
                .append(UserFields.NAME, name == null ? username : name)
                .append(UserFields.EMAILS, List.of(new Document("address", email)
                        .append("verified", request.path("verified").asBoolean(false))))
                .append(UserFields.TYPE, "user")
                .append(UserFields.ACTIVE, request.path("active").asBoolean(true))
                .append(UserFields.ROLES, roles)
                .append(UserFields.STATUS, "offline")
                .append(UserFields.STATUS_CONNECTION, "offline")
                .append(UserFields.UTC_OFFSET, 0)
                .append(UserFields.REQUIRE_PASSWORD_CHANGE, request.path("requirePasswordChange").asBoolean(false))
                .append(UserFields.SERVICES, new Document("password", new Document("bcrypt", passwords.hash(password))))
                .append(UserFields.UPDATED_AT, now);
        String bio = bio(request);
        if (bio != null && !bio.isBlank()) {
            user.append(UserFields.BIO, bio);
        }
        String nickname = nickname(request);
        if (nickname != null && !nickname.isBlank()) {
            user.append(UserFields.NICKNAME, nickname);
        }
        if (custom != null) {
            user.append("customFields", custom);
        }
        if (!request.path("active").asBoolean(true) && request.hasNonNull("inactiveReason")) {
            user.append(UserFields.INACTIVE_REASON, optionalText(request, "inactiveReason", 100));
        }
        try {
            users.collection().insertOne(user);
        } catch (com.mongodb.MongoWriteException e) {
            // a concurrent create of the same username
            throw CaravanException.coded("error-field-unavailable", username + " is already in use :(");
        }
        LOG.info("User {} created ({})", user.getString(UserFields.ID), username);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", UserDocuments.withoutSecrets(user));
        result.put("joinDefaultChannels", request.path("joinDefaultChannels").asBoolean(true));
        return result;
    }

    /**
     * {@code accounts.updateUser}: {userId, data: {email?, name?, password?, username?, active?, roles?, ...}, keepToken?,
     * keepSessions?}.
     * A new password ends every session of the user, except the one holding {@code keepToken} (a user changing their
     * own password stays logged in where they made the change, as Rocket.Chat's profile change does).
     */
    public Map<String, Object> updateUser(JsonNode request, Exchange exchange) {
        String userId = requireText(request, "userId");
        Document existing = users.byId(userId);
        if (existing == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        JsonNode data = request.path("data");
        if (!data.isObject()) {
            throw CaravanException.invalidParams("must have required property 'data'");
        }
        List<Bson> updates = new ArrayList<>();
        List<String> unsets = new ArrayList<>();
        boolean logoutEverywhere = data.has("active") && !data.path("active").asBoolean(true);
        boolean passwordChanged = false;
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            switch (field) {
                case "username" -> {
                    String username = optionalText(data, "username", MAX_NAME);
                    validateUsername(username);
                    if (!username.equals(existing.getString(UserFields.USERNAME))) {
                        if (blockedUsernames.isBlocked(username) || users.usernameTaken(username, userId)) {
                            throw couldNotSaveIdentity();
                        }
                        updates.add(Updates.set(UserFields.USERNAME, username));
                    }
                }
                case "name" -> {
                    String name = optionalText(data, "name", MAX_NAME);
                    if (name == null || name.isEmpty()) {
                        throw couldNotSaveIdentity();
                    }
                    updates.add(Updates.set(UserFields.NAME, name));
                }
                case "email" -> {
                    String email = optionalText(data, "email", 254);
                    if (email == null || !EMAIL.matcher(email).matches()) {
                        throw CaravanException.coded("error-invalid-email", "Invalid email " + email);
                    }
                    if (users.emailTaken(email, userId)) {
                        throw CaravanException.coded("error-field-unavailable", email + " is already in use :(");
                    }
                    updates.add(Updates.set(UserFields.EMAILS, List.of(new Document("address", email)
                            .append("verified", data.path("verified").asBoolean(false)))));
                }
                case "verified" -> {
                    if (!data.has("email") && existing.get(UserFields.EMAILS) instanceof List<?> emails && !emails.isEmpty()) {
                        updates.add(Updates.set(UserFields.EMAILS + ".0.verified", bool(data, "verified")));
                    }
                }
                case "bio" -> {
                    String bio = bio(data);
                    if (bio == null || bio.isBlank()) {
                        unsets.add(UserFields.BIO);
                    } else {
                        updates.add(Updates.set(UserFields.BIO, bio));
                    }
                }
                case "nickname" -> {
                    String nickname = nickname(data);
                    if (nickname == null || nickname.isBlank()) {
                        unsets.add(UserFields.NICKNAME);
                    } else {
                        updates.add(Updates.set(UserFields.NICKNAME, nickname));
                    }
                }
                case "statusText" -> updates.add(Updates.set(field, optionalText(data, field, 1000)));
                case "password" -> {
                    String password = optionalText(data, "password", MAX_PASSWORD);
                    if (password == null || password.isEmpty()) {
                        throw CaravanException.coded("error-the-field-is-required", "The field Password is required");
                    }
                    // a user changing their own password must pick a new one (Rocket.Chat's saveUserProfile)
                    if (request.path("ownProfile").asBoolean(false) && passwords.matches(PasswordHashing.sha256Hex(password),
                            existing.getEmbedded(List.of("services", "password", "bcrypt"), String.class))) {
                        throw CaravanException.coded("error-password-same-as-current", "Entered password same as current password");
                    }
                    passwordPolicy.validate(password);
                    updates.add(Updates.set(UserFields.PASSWORD_BCRYPT, passwords.hash(password)));
                    passwordChanged = true;
                }
                case "active" -> updates.add(Updates.set(UserFields.ACTIVE, bool(data, "active")));
                case "requirePasswordChange" -> {
                    boolean required = bool(data, "requirePasswordChange");
                    updates.add(Updates.set(UserFields.REQUIRE_PASSWORD_CHANGE, required));
                    if (!required) {
                        unsets.add(UserFields.REQUIRE_PASSWORD_CHANGE_REASON);
                    }
                }
                case "roles" -> updates.add(Updates.set(UserFields.ROLES, roles(data)));
                case "customFields" -> {
                    Document custom = customFields.validated(data.get("customFields"));
                    if (custom != null) {
                        updates.add(Updates.set("customFields", custom));
                    }
                }
                case "joinDefaultChannels", "sendWelcomeEmail", "setRandomPassword" -> {
                    // no effect on an existing account
                }
                default -> throw CaravanException.invalidParams("must NOT have additional properties '" + field + "'");
            }
        }
        unsets.forEach(field -> updates.add(Updates.unset(field)));
        if (!updates.isEmpty()) {
            updates.add(Updates.set(UserFields.UPDATED_AT, new Date()));
            users.collection().updateOne(Filters.eq(UserFields.ID, userId), Updates.combine(updates));
        }
        if (logoutEverywhere) {
            users.collection().updateOne(Filters.eq(UserFields.ID, userId), Updates.unset(UserFields.LOGIN_TOKENS));
            TokenRevocations.all(exchange, userId);
        } else if (passwordChanged && !request.path("keepSessions").asBoolean(false)) {
            // as Meteor's setPassword: a new password ends the sessions (personal access tokens stay), unless the caller
            // sets a password it was required to change (setUserPassword, Meteor's logout: false)
            sessions.removeTokens(userId, optionalText(request, "keepToken", 512), true, exchange);
        }
        return Map.of("user", UserDocuments.withoutSecrets(users.byId(userId)));
    }

    /** {@code accounts.setActiveStatus}: {userId, activeStatus}; deactivation ends every session. */
    public Map<String, Object> setActiveStatus(JsonNode request, Exchange exchange) {
        String userId = requireText(request, "userId");
        if (!request.path("activeStatus").isBoolean()) {
            throw CaravanException.invalidParams("must have required property 'activeStatus'");
        }
        boolean active = request.get("activeStatus").asBoolean();
        Bson update = active ? Updates.combine(Updates.set(UserFields.ACTIVE, true), Updates.unset(UserFields.INACTIVE_REASON),
                Updates.set(UserFields.UPDATED_AT, new Date()))
                : Updates.combine(Updates.set(UserFields.ACTIVE, false), Updates.unset(UserFields.LOGIN_TOKENS),
                Updates.set(UserFields.UPDATED_AT, new Date()));
        if (users.collection().updateOne(Filters.eq(UserFields.ID, userId), update).getMatchedCount() == 0) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        if (!active) {
            TokenRevocations.all(exchange, userId);
        }
        LOG.info("User {} {}", userId, active ? "activated" : "deactivated");
        return Map.of("user", Map.of("_id", userId, "active", active));
    }

    /**
     * {@code accounts.deactivateIdle}: {lastLoginBefore (EJSON date), role} -> {count}: deactivates the active users
     * with that role whose last login is that old, or who never logged in and were created before then (Rocket.Chat's
     * users.deactivateIdle). Their sessions end.
     */
    public Map<String, Object> deactivateIdle(JsonNode request, Exchange exchange) {
        JsonNode before = request.path("lastLoginBefore").path("$date");
        String role = requireText(request, "role");
        if (!before.isNumber()) {
            throw CaravanException.invalidParams("must have required property 'lastLoginBefore'");
        }
        Date cutoff = new Date(before.asLong());
        // idle too long, or never logged in since an account made before the cutoff
        Bson neverActive = Filters.and(Filters.exists(UserFields.LAST_LOGIN, false), Filters.lte(UserFields.CREATED_AT, cutoff));
        Bson idle = Filters.and(Filters.eq(UserFields.ACTIVE, true), Filters.or(neverActive,
                Filters.lte(UserFields.LAST_LOGIN, cutoff)), Filters.eq(UserFields.ROLES, role));
        List<String> ids = users.collection().find(idle).projection(new Document(UserFields.ID, 1))
                .map(user -> user.getString(UserFields.ID)).into(new ArrayList<>());
        long count = ids.isEmpty() ? 0 : users.collection().updateMany(Filters.and(idle, Filters.in(UserFields.ID, ids)),
                Updates.combine(Updates.set(UserFields.ACTIVE, false), Updates.unset(UserFields.LOGIN_TOKENS),
                        Updates.set(UserFields.UPDATED_AT, new Date()))).getModifiedCount();
        // every session of each of them ends: the route announces one revocation per user
        if (exchange != null) {
            exchange.setProperty(DEACTIVATED_USERS, ids);
        }
        LOG.info("{} idle users with role {} deactivated", count, role);
        return Map.of("count", count);
    }

    /** The {@code accounts.tokensRevoked} event for all tokens of one user. */
    public Map<String, Object> allTokensRevoked(String userId) {
        return Map.of("userId", userId);
    }

    /** {@code accounts.deleteUser}: {userId}; returns the removed document (for core to clean memberships). */
    public Map<String, Object> deleteUser(JsonNode request, Exchange exchange) {
        String userId = requireText(request, "userId");
        Document user = users.collection().findOneAndDelete(Filters.eq(UserFields.ID, userId));
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        TokenRevocations.all(exchange, userId);
        LOG.info("User {} deleted", userId);
        return Map.of("user", UserDocuments.withoutSecrets(user));
    }

    private static CaravanException couldNotSaveIdentity() {
        return CaravanException.coded("error-could-not-save-identity", "Could not save user identity");
    }

    private static String bio(JsonNode data) {
        String bio = optionalText(data, "bio", MAX_PASSWORD);
        if (bio != null && bio.length() > MAX_BIO) {
            throw CaravanException.coded("error-bio-size-exceeded", "Bio size exceeds " + MAX_BIO + " characters");
        }
        return bio;
    }

    private static String nickname(JsonNode data) {
        String nickname = optionalText(data, "nickname", MAX_PASSWORD);
        if (nickname != null && nickname.length() > MAX_NICKNAME) {
            throw CaravanException.coded("error-nickname-size-exceeded", "Nickname size exceeds " + MAX_NICKNAME + " characters");
        }
        return nickname;
    }

    private void validateUsername(String username) {
        String charset = settings.string("UTF8_User_Names_Validation", "[0-9a-zA-Z-_.]+");
        Pattern pattern;
        try {
            pattern = Pattern.compile("^" + charset + "$");
        } catch (PatternSyntaxException e) {
            pattern = Pattern.compile("^[0-9a-zA-Z-_.]+$");
        }
        if (username == null || !pattern.matcher(username).matches()) {
            throw CaravanException.coded("error-input-is-not-a-valid-field", username + " is not a valid username",
                    Map.of("input", String.valueOf(username), "field", "Username"));
        }
    }

    private List<String> roles(JsonNode request) {
        JsonNode roles = request.get("roles");
        if (roles == null || roles.isNull()) {
            String defaults = settings.string("Accounts_Registration_Users_Default_Roles", "user");
            List<String> result = new ArrayList<>();
            for (String role : defaults.split(",")) {
                if (!role.isBlank()) {
                    result.add(role.trim());
                }
            }
            return result;
        }
        if (!roles.isArray()) {
            throw CaravanException.invalidParams("must be array 'roles'");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode role : roles) {
            if (!role.isTextual() || role.asText().isBlank() || role.asText().length() > MAX_NAME) {
                throw CaravanException.coded("error-action-not-allowed", "The field Roles consist invalid role id");
            }
            result.add(role.asText());
        }
        return result;
    }

    static String optionalText(JsonNode node, String name, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw CaravanException.invalidParams("must be string '" + name + "'");
        }
        if (value.asText().length() > max) {
            throw CaravanException.invalidParams("must NOT have more than " + max + " characters '" + name + "'");
        }
        return value.asText().trim();
    }

    static String requireText(JsonNode node, String name) {
        String value = optionalText(node, name, 256);
        if (value == null || value.isEmpty()) {
            throw CaravanException.invalidParams("must have required property '" + name + "'");
        }
        return value;
    }

    private static boolean bool(JsonNode node, String name) {
        if (!node.path(name).isBoolean()) {
            throw CaravanException.invalidParams("must be boolean '" + name + "'");
        }
        return node.get(name).asBoolean();
    }
}
