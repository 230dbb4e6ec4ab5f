package chat.caravan.core.users;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.http.ClientAddress;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** {@code POST /api/v1/login}, {@code /logout} and {@code GET /api/v1/me}, answered as Rocket.Chat answers them. */
@Component("loginEndpoints")
public class LoginEndpoints {

    private static final Set<String> PASSWORD_LOGIN_KEYS = Set.of("user", "username", "email", "password", "code");

    private final BusClient bus;
    private final UserViews views;
    private final RestAuth auth;
    private final ClientAddress clientAddress;
    private final UserLookup users;

    public LoginEndpoints(BusClient bus, UserViews views, RestAuth auth, ClientAddress clientAddress, UserLookup users) {
        this.bus = bus;
        this.views = views;
        this.auth = auth;
        this.clientAddress = clientAddress;
        this.users = users;
    }

    public void login(Exchange exchange) {
        JsonNode body = RestRequest.body(exchange);
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        if (body.has("resume")) {
            request.set("resume", body.get("resume"));
        } else if (body.has("password")) {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!PASSWORD_LOGIN_KEYS.contains(key)) {
                    throw CaravanException.invalidParams("must NOT have additional properties '" + key + "'");
                }
            }
            for (String key : new String[] {"user", "username", "email"}) {
                if (body.has(key)) {
                    request.set(key, body.get(key));
                }
            }
            JsonNode password = body.get("password");
            if (password.isObject() && password.has("hashed")) {
                request.putObject("password").put("digest", password.path("hashed").asText())
                        .put("algorithm", "sha-256");
            } else {
                request.set("password", password);
            }
        } else {
            throw CaravanException.invalidParams("must have required property 'password' or 'resume'");
        }
        // only the address this server saw (and its trusted proxies) reaches accounts, never one the client wrote
        String ip = clientAddress.of(exchange);
        if (ip != null) {
            request.put("ip", ip);
        }
        JsonNode result;
        try {
            result = bus.call("accounts.login", request);
        } catch (CaravanException e) {
            if (e.status() == 400 && "invalid-params".equals(e.errorType())) {
                throw e;
            }
            ObjectNode failure = JsonNodeFactory.instance.objectNode();
            failure.put("success", false);
            failure.put("status", "error");
            failure.put("error", e.errorType() == null ? "Unauthorized" : e.errorType());
            failure.put("message", e.errorType() == null ? "Unauthorized" : e.reason());
            RestReplies.write(exchange, 401, failure);
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", result.path("userId").asText());
        data.put("authToken", result.path("token").asText());
        data.put("me", views.me(result.path("user")));
        RestReplies.ok(exchange, Map.of("status", "success", "data", data));
    }

    public void logout(Exchange exchange) {
        String userId = RestAuth.userId(exchange);
        String token = exchange.getProperty(RestAuth.AUTH_TOKEN, String.class);
        bus.call("accounts.logout", Map.of("userId", userId, "token", token));
        auth.forget(userId, token);
        RestReplies.ok(exchange, Map.of("status", "success", "data", Map.of("message", "You've been logged out!")));
    }

    /** {@code /me}: read afresh, so a change the caller just made (preferences, profile) shows at once. */
    public void me(Exchange exchange) {
        Document stored = users.byId(RestAuth.userId(exchange));
        RestReplies.ok(exchange, stored != null ? views.me(stored) : views.me(RestAuth.user(exchange)));
    }
}
