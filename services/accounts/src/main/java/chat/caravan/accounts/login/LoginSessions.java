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
 * Ending a user's sessions in bulk: every login token ({@code users.logout}), or all but the caller's own
 * ({@code users.logoutOtherClients}, {@code users.removeOtherTokens}, a new password set by the user). The removed
 * tokens are announced as {@code accounts.tokensRevoked}, so the live connections using them close.
 */
@Component("loginSessions")
public class LoginSessions {

    private static final Logger LOG = LoggerFactory.getLogger(LoginSessions.class);

    private final UserDirectory users;
    private final LoginTokens tokens;

    public LoginSessions(UserDirectory users, LoginTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /**
     * {@code accounts.removeTokens}: {userId, keepToken?, keepPersonalTokens?} -> {userId, removed, tokenExpires?}
     * ({@code tokenExpires}: when the kept token expires). 400 {@code error-invalid-user-id} for an unknown user.
     */
    public Map<String, Object> removeTokensCall(JsonNode request, Exchange exchange) {
        String userId = request.path("userId").asText("");
        if (userId.isBlank()) {
            throw CaravanException.invalidParams("must have required property 'userId'");
        }
        String keepToken = request.hasNonNull("keepToken") ? request.get("keepToken").asText() : null;
        int removed = removeTokens(userId, keepToken, request.path("keepPersonalTokens").asBoolean(false), exchange);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", userId);
        result.put("removed", removed);
        if (keepToken != null) {
            Date issued = issuedAt(users.byId(userId), LoginTokenHash.of(keepToken));
            if (issued != null) {
                result.put("tokenExpires", tokens.expiresAt(issued));
            }
        }
        return result;
    }

    /** Removes the user's tokens but {@code keepToken} (and personal access tokens when asked); how many went. */
    public int removeTokens(String userId, String keepToken, boolean keepPersonalTokens, Exchange exchange) {
        Document user = users.byId(userId);
        if (user == null) {
            throw CaravanException.coded("error-invalid-user-id", "Invalid user id");
        }
        String keepHash = keepToken == null ? null : LoginTokenHash.of(keepToken);
        List<String> removed = new ArrayList<>();
        for (Document token : loginTokens(user)) {
            String hash = token.getString(UserFields.HASHED_TOKEN);
            boolean personal = UserFields.PERSONAL_ACCESS_TOKEN.equals(token.getString(UserFields.TOKEN_TYPE));
            if (hash != null && !hash.equals(keepHash) && !(personal && keepPersonalTokens)) {
                removed.add(hash);
            }
        }
        if (!removed.isEmpty()) {
            users.collection().updateOne(Filters.eq(UserFields.ID, userId), Updates.pull(UserFields.LOGIN_TOKENS,
                    new Document(UserFields.HASHED_TOKEN, new Document("$in", removed))));
            TokenRevocations.some(exchange, userId, removed);
        }
        LOG.info("User {}: {} login tokens removed", userId, removed.size());
        return removed.size();
    }

    @SuppressWarnings("unchecked")
    static List<Document> loginTokens(Document user) {
        Object list = user == null ? null : user.getEmbedded(List.of("services", "resume", "loginTokens"), Object.class);
        List<Document> result = new ArrayList<>();
        if (list instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Document token) {
                    result.add(token);
                }
            }
        }
        return result;
    }

    private static Date issuedAt(Document user, String hash) {
        for (Document token : loginTokens(user)) {
            if (hash.equals(token.getString(UserFields.HASHED_TOKEN))) {
                return token.getDate(UserFields.TOKEN_WHEN);
            }
        }
        return null;
    }
}
