package chat.caravan.core.users;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * A user's login tokens over REST: personal access tokens (users.generatePersonalAccessToken and friends, with the
 * permission create-personal-access-tokens) and ending sessions (users.logout, users.logoutOtherClients,
 * users.removeOtherTokens). The accounts service owns the tokens and announces every removal.
 */
@Component("sessionEndpoints")
public class SessionEndpoints {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final BusClient bus;
    private final Authorization authorization;
    private final RestAuth auth;

    public SessionEndpoints(BusClient bus, Authorization authorization, RestAuth auth) {
        this.bus = bus;
        this.authorization = authorization;
        this.auth = auth;
    }

    public void generatePersonalAccessToken(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        String tokenName = tokenName(body);
        requireTokenPermission(caller);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("userId", caller);
        request.put("tokenName", tokenName);
        request.put("bypassTwoFactor", body.path("bypassTwoFactor").asBoolean(false));
        RestReplies.ok(exchange, Map.of("token", bus.call("accounts.generatePersonalToken", request).path("token").asText()));
    }

    public void regeneratePersonalAccessToken(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        String tokenName = tokenName(RestRequest.body(exchange));
        requireTokenPermission(caller);
        JsonNode result = bus.call("accounts.regeneratePersonalToken", Map.of("userId", caller, "tokenName", tokenName));
        auth.forgetUser(caller);
        RestReplies.ok(exchange, Map.of("token", result.path("token").asText()));
    }

    public void removePersonalAccessToken(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        String tokenName = tokenName(RestRequest.body(exchange));
        requireTokenPermission(caller);
        bus.call("accounts.removePersonalToken", Map.of("userId", caller, "tokenName", tokenName));
        auth.forgetUser(caller);
        RestReplies.ok(exchange, Map.of());
    }

    public void getPersonalAccessTokens(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        requireTokenPermission(caller);
        RestReplies.ok(exchange, Map.of("tokens", bus.call("accounts.personalTokens", Map.of("userId", caller)).path("tokens")));
    }

    /** {@code users.logout}: every token of the caller, or (with logout-other-user) of another user. */
    public void logoutUser(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode userIdParam = RestRequest.body(exchange).get("userId");
        if (userIdParam != null && !userIdParam.isNull() && !userIdParam.isTextual()) {
            throw CaravanException.invalidParams("must be string 'userId'");
        }
        String userId = userIdParam != null && userIdParam.isTextual() && !userIdParam.asText().isEmpty()
                ? userIdParam.asText() : caller;
        if (!userId.equals(caller) && !authorization.hasPermission(caller, "logout-other-user")) {
            throw CaravanException.forbidden("unauthorized");
        }
        bus.call("accounts.removeTokens", Map.of("userId", userId));
        auth.forgetUser(userId);
        RestReplies.ok(exchange, Map.of("message", "User " + userId + " has been logged out!"));
    }

    /** {@code users.logoutOtherClients}: every session of the caller but this one; personal access tokens stay. */
    public void logoutOtherClients(Exchange exchange) {
        String token = exchange.getProperty(RestAuth.AUTH_TOKEN, String.class);
        JsonNode result = removeOtherTokens(RestAuth.userId(exchange), token);
        JsonNode expires = result.path("tokenExpires").path("$date");
        RestReplies.ok(exchange, Map.of("token", token,
                "tokenExpires", expires.isNumber() ? ISO_MILLIS.format(Instant.ofEpochMilli(expires.asLong())) : ""));
    }

    /** {@code users.removeOtherTokens}: as logoutOtherClients, answering nothing. */
    public void removeOtherTokens(Exchange exchange) {
        removeOtherTokens(RestAuth.userId(exchange), exchange.getProperty(RestAuth.AUTH_TOKEN, String.class));
        RestReplies.ok(exchange, Map.of());
    }

    private JsonNode removeOtherTokens(String userId, String keepToken) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("userId", userId);
        request.put("keepToken", keepToken);
        request.put("keepPersonalTokens", true);
        JsonNode result = bus.call("accounts.removeTokens", request);
        auth.forgetUser(userId);
        return result;
    }

    private void requireTokenPermission(String caller) {
        if (!authorization.hasPermission(caller, "create-personal-access-tokens")) {
            throw CaravanException.coded("not-authorized", "Not Authorized");
        }
    }

    private static String tokenName(JsonNode body) {
        JsonNode name = body.get("tokenName");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            throw CaravanException.plain("The 'tokenName' param is required");
        }
        return name.asText();
    }
}
