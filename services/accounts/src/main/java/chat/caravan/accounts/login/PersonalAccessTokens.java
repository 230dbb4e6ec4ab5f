package chat.caravan.accounts.login;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.users.UserDirectory;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.LoginTokenHash;
import chat.caravan.common.model.UserFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Personal access tokens as Rocket.Chat keeps them: in the user's {@code services.resume.loginTokens} beside the
 * session tokens, with {@code type: "personalAccessToken"}, a {@code name} unique per user, {@code createdAt},
 * the token's last six characters and no expiry. They authenticate REST calls like any login token (X-User-Id and
 * X-Auth-Token). The plain token is shown once, when it is made. Callers (core) have checked the permission
 * {@code create-personal-access-tokens}.
 */
@Component("personalAccessTokens")
public class PersonalAccessTokens {

    private static final Logger LOG = LoggerFactory.getLogger(PersonalAccessTokens.class);

    private final UserDirectory users;
    private final LoginTokens tokens;

    public PersonalAccessTokens(UserDirectory users, LoginTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** {@code accounts.generatePersonalToken}: {userId, tokenName, bypassTwoFactor?} -> {token}. */
    public Map<String, Object> generate(JsonNode request) {
        String userId = text(request, "userId");
        String name = text(request, "tokenName");
        if (find(userId, name) != null) {
            throw CaravanException.coded("error-token-already-exists", "A token with this name already exists",
                    Map.of("method", "personalAccessTokens:generateToken"));
        }
        return Map.of("token", add(userId, name, request.path("bypassTwoFactor").asBoolean(false)));
    }

    /** {@code accounts.regeneratePersonalToken}: {userId, tokenName} -> {token}; the old token stops working. */
    public Map<String, Object> regenerate(JsonNode request, Exchange exchange) {
        String userId = text(request, "userId");
        String name = text(request, "tokenName");
        Document existing = find(userId, name);
        if (existing == null) {
            throw doesNotExist("personalAccessTokens:regenerateToken");
        }
        pull(userId, existing, exchange);
        return Map.of("token", add(userId, name, Boolean.TRUE.equals(existing.getBoolean("bypassTwoFactor"))));
    }

    /** {@code accounts.removePersonalToken}: {userId, tokenName}; the connections using it close. */
    public Map<String, Object> remove(JsonNode request, Exchange exchange) {
        String userId = text(request, "userId");
        String name = text(request, "tokenName");
        Document existing = find(userId, name);
        if (existing == null) {
            throw doesNotExist("personalAccessTokens:removeToken");
        }
        pull(userId, existing, exchange);
        LOG.info("User {} removed personal access token '{}'", userId, name);
        return Map.of("userId", userId);
    }

    /** {@code accounts.personalTokens}: {userId} -> {tokens: [{name, createdAt, lastTokenPart, bypassTwoFactor}]}. */
    public Map<String, Object> list(JsonNode request) {
        String userId = text(request, "userId");
        List<Map<String, Object>> result = new ArrayList<>();
        for (Document token : personal(users.byId(userId))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", token.getString("name"));
            entry.put("createdAt", token.getDate("createdAt"));
            entry.put("lastTokenPart", token.getString("lastTokenPart"));
            entry.put("bypassTwoFactor", Boolean.TRUE.equals(token.getBoolean("bypassTwoFactor")));
            result.add(entry);
        }
        return Map.of("tokens", result);
    }

    private String add(String userId, String name, boolean bypassTwoFactor) {
        String token = tokens.newToken();
        Document entry = new Document(UserFields.HASHED_TOKEN, LoginTokenHash.of(token))
                .append(UserFields.TOKEN_TYPE, UserFields.PERSONAL_ACCESS_TOKEN)
                .append("createdAt", new Date())
                .append("lastTokenPart", token.substring(token.length() - 6))
                .append("name", name)
                .append("bypassTwoFactor", bypassTwoFactor);
        // the name test in the filter keeps two concurrent calls from making two tokens of one name
        var written = users.collection().updateOne(Filters.and(Filters.eq(UserFields.ID, userId),
                Filters.not(Filters.elemMatch(UserFields.LOGIN_TOKENS, Filters.and(
                        Filters.eq(UserFields.TOKEN_TYPE, UserFields.PERSONAL_ACCESS_TOKEN), Filters.eq("name", name))))),
                Updates.push(UserFields.LOGIN_TOKENS, entry));
        if (written.getMatchedCount() == 0) {
            if (users.byId(userId) == null) {
                throw CaravanException.coded("error-invalid-user", "Invalid user");
            }
            throw CaravanException.coded("error-token-already-exists", "A token with this name already exists");
        }
        LOG.info("User {} made personal access token '{}'", userId, name);
        return token;
    }

    private void pull(String userId, Document token, Exchange exchange) {
        String hash = token.getString(UserFields.HASHED_TOKEN);
        users.collection().updateOne(Filters.eq(UserFields.ID, userId),
                Updates.pull(UserFields.LOGIN_TOKENS, new Document(UserFields.HASHED_TOKEN, hash)));
        TokenRevocations.some(exchange, userId, List.of(hash));
    }

    private Document find(String userId, String name) {
        for (Document token : personal(users.byId(userId))) {
            if (name.equals(token.getString("name"))) {
                return token;
            }
        }
        return null;
    }

    private static List<Document> personal(Document user) {
        List<Document> result = new ArrayList<>();
        for (Document token : LoginSessions.loginTokens(user)) {
            if (UserFields.PERSONAL_ACCESS_TOKEN.equals(token.getString(UserFields.TOKEN_TYPE))) {
                result.add(token);
            }
        }
        return result;
    }

    private static CaravanException doesNotExist(String method) {
        return CaravanException.coded("error-token-does-not-exists", "Token does not exist", Map.of("method", method));
    }

    private static String text(JsonNode request, String name) {
        JsonNode value = request == null ? null : request.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw CaravanException.invalidParams("must have required property '" + name + "'");
        }
        if (value.asText().length() > 256) {
            throw CaravanException.invalidParams("must NOT have more than 256 characters '" + name + "'");
        }
        return value.asText();
    }
}
