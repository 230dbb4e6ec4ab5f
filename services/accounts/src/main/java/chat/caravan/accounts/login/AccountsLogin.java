package chat.caravan.accounts.login;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.users.UserDirectory;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.health.Metrics;
import chat.caravan.common.model.LoginTokenHash;
import chat.caravan.common.model.UserDocuments;
import chat.caravan.common.model.UserFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The accounts service's login, token validation and logout, as Meteor's accounts do them. An unknown user and a wrong
 * password get the same answer in the same time (one bcrypt comparison each). The {@code ip} of a request is the one
 * core or ddp-streamer computed from the connection; clients never supply it.
 */
@Component("accountsLogin")
public class AccountsLogin {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsLogin.class);
    static final int MAX_FIELD = 512;

    private final UserDirectory users;
    private final PasswordHashing passwords;
    private final LoginTokens tokens;
    private final FailedLogins failedLogins;
    private final Counter unknownUser;
    private final Counter wrongPassword;

    public AccountsLogin(UserDirectory users, PasswordHashing passwords, LoginTokens tokens, FailedLogins failedLogins,
            Metrics metrics) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.failedLogins = failedLogins;
        this.unknownUser = metrics.counter("caravan.login.failures", "Password logins refused, by reason",
                "reason", "unknown-user");
        this.wrongPassword = metrics.counter("caravan.login.failures", "Password logins refused, by reason",
                "reason", "wrong-password");
    }

    /** {@code accounts.login}: password or resume; returns {userId, token, tokenExpires, type, user}. */
    public Map<String, Object> login(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw CaravanException.invalidParams("Match error: the login request must be an object");
        }
        String ip = text(request, "ip");
        if (request.hasNonNull("resume")) {
            return resume(field(request.get("resume"), "resume"), ip);
        }
        Identity who = identity(request);
        String digest = passwords.digestOf(request.get("password"));
        Document user = who.username() != null ? users.byUsername(who.username())
                : who.email() != null ? users.byEmail(who.email()) : users.byId(who.id());
        FailedLogins.Subject subject = user == null ? FailedLogins.Subject.unknown(who.label())
                : FailedLogins.Subject.user(user.getString(UserFields.ID), user.getString(UserFields.USERNAME));
        failedLogins.checkAllowed(subject, ip);
        if (user == null) {
            passwords.compareWithNobody(digest);
            unknownUser.increment();
            failedLogins.recordFailure(subject, ip);
            LOG.info("Login failed for unknown user {} from {}", who.label(), ip);
            throw loginFailed();
        }
        String hash = user.getEmbedded(List.of("services", "password", "bcrypt"), String.class);
        if (!passwords.matches(digest, hash)) {
            wrongPassword.increment();
            failedLogins.recordFailure(subject, ip);
            LOG.info("Login failed for user {} from {}: wrong password", user.getString(UserFields.ID), ip);
            throw loginFailed();
        }
        checkMayLogIn(user);
        String token = tokens.newToken();
        Date issued = new Date();
        users.collection().updateOne(Filters.eq(UserFields.ID, user.getString(UserFields.ID)), Updates.combine(
                Updates.push(UserFields.LOGIN_TOKENS, new Document(UserFields.TOKEN_WHEN, issued)
                        .append(UserFields.HASHED_TOKEN, LoginTokenHash.of(token))),
                Updates.set(UserFields.LAST_LOGIN, issued)));
        failedLogins.recordSuccess(subject, ip);
        LOG.info("User {} logged in with a password", user.getString(UserFields.ID));
        return result(user, token, tokens.expiresAt(issued), "password");
    }

    /** The {@code accounts.login} event for a login result: who, and how; never the token. */
    public Map<String, Object> loginEvent(Map<String, Object> result) {
        return Map.of("userId", result.get("userId"), "type", result.get("type"));
    }

    /** {@code accounts.validateToken}: the user behind {userId, token}, or 401. */
    public Map<String, Object> validateToken(JsonNode request) {
        String userId = text(request, "userId");
        String token = text(request, "token");
        if (userId == null || token == null) {
            throw CaravanException.notLoggedIn();
        }
        String hashed = LoginTokenHash.of(token);
        Document user = users.collection().find(Filters.and(Filters.eq(UserFields.ID, userId),
                Filters.eq(UserFields.LOGIN_TOKEN_HASH, hashed))).first();
        if (user == null || !Boolean.TRUE.equals(user.getBoolean(UserFields.ACTIVE))
                || tokens.isExpired(issuedAt(user, hashed), Instant.now())) {
            throw CaravanException.notLoggedIn();
        }
        return Map.of("user", safeView(user));
    }

    /** {@code accounts.logout}: removes the token; returns {userId} for the logout event. */
    public Map<String, Object> logout(JsonNode request, Exchange exchange) {
        String userId = text(request, "userId");
        String token = text(request, "token");
        if (userId == null || token == null) {
            throw CaravanException.notLoggedIn();
        }
        String hashed = LoginTokenHash.of(token);
        users.collection().updateOne(Filters.eq(UserFields.ID, userId),
                Updates.pull(UserFields.LOGIN_TOKENS, new Document(UserFields.HASHED_TOKEN, hashed)));
        TokenRevocations.some(exchange, userId, List.of(hashed));
        LOG.info("User {} logged out", userId);
        return Map.of("userId", userId);
    }

    /**
     * {@code accounts.checkPassword}: {userId, digest} (the SHA-256 hex of the password, as Rocket.Chat's "password"
     * second factor sends it) -> {userId}; 400 {@code totp-required} without a digest, {@code totp-invalid} when it
     * does not match.
     */
    public Map<String, Object> checkPassword(JsonNode request) {
        String userId = text(request, "userId");
        String digest = text(request, "digest");
        if (digest == null) {
            throw CaravanException.coded("totp-required", "TOTP Required",
                    Map.of("method", "password", "codeGenerated", false, "availableMethods", List.of("password")));
        }
        Document user = users.byId(userId);
        String hash = user == null ? null : user.getEmbedded(List.of("services", "password", "bcrypt"), String.class);
        if (digest.length() > MAX_FIELD || !passwords.matches(digest.toLowerCase(), hash)) {
            LOG.info("Password check failed for user {}", userId);
            throw CaravanException.coded("totp-invalid", "TOTP Invalid", Map.of("method", "password"));
        }
        return Map.of("userId", userId);
    }

    private Map<String, Object> resume(String token, String ip) {
        String hashed = LoginTokenHash.of(token);
        Document user = users.collection().find(Filters.eq(UserFields.LOGIN_TOKEN_HASH, hashed)).first();
        if (user == null) {
            throw new CaravanException(403, null, "You've been logged out by the server. Please log in again.", null);
        }
        Date issued = issuedAt(user, hashed);
        if (tokens.isExpired(issued, Instant.now())) {
            throw new CaravanException(403, null, "Your session has expired. Please log in again.", null);
        }
        // a resume is refused from a blocked IP, not for a blocked user: a guessing attacker must not end real sessions
        failedLogins.checkAllowed(null, ip);
        checkMayLogIn(user);
        users.collection().updateOne(Filters.eq(UserFields.ID, user.getString(UserFields.ID)),
                Updates.set(UserFields.LAST_LOGIN, new Date()));
        return result(user, token, tokens.expiresAt(issued), "resume");
    }

    /**
     * The one answer for an unknown user and a wrong password, as Rocket.Chat gives it since 7.0 (every credential
     * failure becomes 401 "User not found"); REST shows it as "Unauthorized".
     */
    static CaravanException loginFailed() {
        return new CaravanException(401, null, "User not found", null);
    }

    private static void checkMayLogIn(Document user) {
        if ("app".equals(user.getString(UserFields.TYPE))) {
            throw CaravanException.coded("error-app-user-is-not-allowed-to-login", "App user is not allowed to login");
        }
        if (!Boolean.TRUE.equals(user.getBoolean(UserFields.ACTIVE))) {
            throw new CaravanException(403, "error-user-is-not-activated", "User is not activated", null);
        }
        if (!(user.get(UserFields.ROLES) instanceof List<?>)) {
            throw new CaravanException(403, "error-user-has-no-roles", "User has no roles", null);
        }
    }

    private static Date issuedAt(Document user, String hashedToken) {
        List<Document> tokens = user.getEmbedded(List.of("services", "resume", "loginTokens"), List.class);
        if (tokens == null) {
            return null;
        }
        for (Object entry : tokens) {
            if (entry instanceof Document token && hashedToken.equals(token.getString(UserFields.HASHED_TOKEN))) {
                // personal access tokens have no "when" and do not expire
                Date when = token.getDate(UserFields.TOKEN_WHEN);
                return when != null ? when : token.getDate("createdAt") != null ? new Date() : null;
            }
        }
        return null;
    }

    private Map<String, Object> result(Document user, String token, Date expires, String type) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", user.getString(UserFields.ID));
        result.put("token", token);
        result.put("tokenExpires", expires);
        result.put("type", type);
        result.put("user", safeView(user));
        return result;
    }

    /** The user without secrets, with the {@code services} summary clients read (password exists or not). */
    static Document safeView(Document user) {
        Document view = UserDocuments.withoutSecrets(user);
        view.put(UserFields.SERVICES, UserDocuments.servicesSummary(user));
        return view;
    }

    /** Who a password login names: {user:{username|email|id}} or {user:"name-or-email"} or {username} or {email}. */
    private static Identity identity(JsonNode request) {
        JsonNode user = request.get("user");
        if (user != null && user.isObject()) {
            if (user.hasNonNull("username")) {
                return new Identity(field(user.get("username"), "username"), null, null);
            }
            if (user.hasNonNull("email")) {
                return new Identity(null, field(user.get("email"), "email"), null);
            }
            if (user.hasNonNull("id")) {
                return new Identity(null, null, field(user.get("id"), "id"));
            }
        } else if (user != null && user.isTextual()) {
            String value = field(user, "user");
            return value.contains("@") ? new Identity(null, value, null) : new Identity(value, null, null);
        } else if (request.hasNonNull("username")) {
            return new Identity(field(request.get("username"), "username"), null, null);
        } else if (request.hasNonNull("email")) {
            return new Identity(null, field(request.get("email"), "email"), null);
        }
        throw CaravanException.invalidParams("Match error: the login request names no user");
    }

    private static String field(JsonNode value, String name) {
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw CaravanException.invalidParams("Match error: " + name + " must be a non-empty string");
        }
        if (value.asText().length() > MAX_FIELD) {
            throw CaravanException.invalidParams("Match error: " + name + " is too long");
        }
        return value.asText();
    }

    private static String text(JsonNode request, String name) {
        JsonNode value = request == null ? null : request.get(name);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private record Identity(String username, String email, String id) {
        String label() {
            return username != null ? username : email != null ? email : id;
        }
    }
}
