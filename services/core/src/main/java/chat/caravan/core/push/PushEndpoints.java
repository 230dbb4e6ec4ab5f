package chat.caravan.core.push;

import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code push.token} (POST registers a device's token, DELETE removes it) and {@code push.info}. The tokens are
 * stored as Rocket.Chat stores them; no push gateway is wired yet, which {@code push.info} says.
 */
@Component("pushEndpoints")
public class PushEndpoints {

    /** Rocket.Chat's default gateway: {@code defaultPushGateway} says whether the admin kept it. */
    static final String DEFAULT_GATEWAY = "https://gateway.rocket.chat";

    private final PushTokens tokens;
    private final RestAuth auth;
    private final MongoDatabase database;
    private final Settings settings;
    private final Authorization authorization;

    public PushEndpoints(PushTokens tokens, RestAuth auth, MongoDatabase database, Settings settings, Authorization authorization) {
        this.authorization = authorization;
        this.tokens = tokens;
        this.auth = auth;
        this.database = database;
        this.settings = settings;
    }

    /** Body {@code {id?, type: apn|gcm, value, appName, voipToken?}} (id from 8.0, voipToken from 8.4). */
    public void register(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        JsonNode body = RestRequest.body(exchange);
        JsonNode id = body.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            throw CaravanException.coded("error-id-param-not-valid", "The required \"id\" body param is invalid.");
        }
        String type = body.path("type").asText("");
        if (!"apn".equals(type) && !"gcm".equals(type)) {
            throw CaravanException.coded("error-type-param-not-valid", "The required \"type\" body param is missing or invalid.");
        }
        if (!nonEmptyText(body.get("value"))) {
            throw CaravanException.coded("error-token-param-not-valid", "The required \"value\" body param is missing or invalid.");
        }
        if (!nonEmptyText(body.get("appName"))) {
            throw CaravanException.coded("error-appName-param-not-valid", "The required \"appName\" body param is missing or invalid.");
        }
        JsonNode voip = body.get("voipToken");
        if (voip != null && !voip.isNull() && !voip.isTextual()) {
            throw CaravanException.coded("error-voipToken-param-not-valid", "The \"voipToken\" body param is invalid.");
        }
        PushTokens.Registration registration = new PushTokens.Registration(nonEmptyText(id) ? id.asText() : null, type,
                body.get("value").asText(), body.get("appName").asText(), nonEmptyText(voip) ? voip.asText() : null);
        String authToken = exchange.getProperty(RestAuth.AUTH_TOKEN, String.class);
        RestReplies.ok(exchange, Map.of("result", tokens.register(caller.id(), authToken, registration)));
    }

    /** Body {@code {token}}: the caller's devices holding it are forgotten; 404 when none did. */
    public void remove(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        JsonNode token = RestRequest.body(exchange).get("token");
        String value = nonEmptyText(token) ? token.asText() : RestRequest.query(exchange, "token");
        if (value == null || value.isEmpty()) {
            throw CaravanException.coded("error-token-param-not-valid", "The required \"token\" body param is missing or invalid.");
        }
        if (!tokens.remove(caller.id(), value)) {
            throw CaravanException.notFound("Resource not found");
        }
        RestReplies.ok(exchange, Map.of());
    }

    /**
     * {@code push.test}: Rocket.Chat's checks (permission, push on, the caller has a device), then the refusal to
     * pretend: no gateway is wired to send the test notification through.
     */
    public void test(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasPermission(caller.id(), "test-push-notifications")) {
            throw CaravanException.forbidden("User does not have the permissions required for this action [error-unauthorized]");
        }
        if (!settings.bool("Push_enable", true)) {
            throw CaravanException.coded("error-push-disabled", "Push is disabled", Map.of("method", "push_test"));
        }
        if (tokens.devicesOf(caller.id()).isEmpty()) {
            throw CaravanException.coded("error-no-tokens-for-this-user", "There are no tokens for this user", Map.of("method", "push_test"));
        }
        throw CaravanException.coded("error-push-gateway-not-configured", "No push gateway is configured on this server",
                Map.of("method", "push_test"));
    }

    /**
     * {@code pushGatewayEnabled} is false while this server sends no pushes (tokens are kept for when it does), so the
     * apps' troubleshooting screen tells the user notifications will not arrive.
     */
    public void info(Exchange exchange) {
        Caller.of(exchange, auth, database);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("pushGatewayEnabled", false);
        reply.put("defaultPushGateway", DEFAULT_GATEWAY.equals(settings.string("Push_gateway", DEFAULT_GATEWAY)));
        RestReplies.ok(exchange, reply);
    }

    private static boolean nonEmptyText(JsonNode value) {
        return value != null && value.isTextual() && !value.asText().isEmpty();
    }
}
