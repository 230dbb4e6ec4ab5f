package chat.caravan.core.methods;

import java.util.Map;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.http.ClientAddress;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.LoginTokenHash;
import chat.caravan.common.ratelimit.DdpRateLimiter;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/v1/method.call/:method} and {@code method.callAnon/:method}: the HTTP tunnel the web client
 * uses for DDP methods (spec 5.2). The reply is HTTP 200 with the DDP result message as an EJSON string, also when
 * the method failed.
 */
@Component("methodCallEndpoints")
public class MethodCallEndpoints {

    private final CoreMethods methods;
    private final BusClient bus;
    private final RestAuth auth;
    private final ClientAddress clientAddress;
    private final DdpRateLimiter rateLimiter;

    public MethodCallEndpoints(CoreMethods methods, BusClient bus, RestAuth auth, ClientAddress clientAddress,
            DdpRateLimiter rateLimiter) {
        this.methods = methods;
        this.bus = bus;
        this.auth = auth;
        this.clientAddress = clientAddress;
        this.rateLimiter = rateLimiter;
    }

    public void call(Exchange exchange) {
        auth.authenticate(exchange);
        tunnel(exchange, RestAuth.userId(exchange));
    }

    public void callAnon(Exchange exchange) {
        tunnel(exchange, auth.tryAuthenticate(exchange) ? RestAuth.userId(exchange) : null);
    }

    private void tunnel(Exchange exchange, String userId) {
        String raw = Params.of(exchange).text("message");
        if (raw == null) {
            throw CaravanException.invalidParams("must have required property 'message'");
        }
        JsonNode message;
        try {
            message = CaravanJson.ejson().readTree(raw);
        } catch (java.io.IOException e) {
            throw CaravanException.invalidParams("The message is not valid EJSON");
        }
        // a malformed tag ({"$date":"x"}) is the client's mistake: a 400 here, not a failure inside the method
        CaravanJson.requireValidEjson(message);
        String id = message.path("id").asText("");
        String method = message.path("method").asText(exchange.getIn().getHeader("method", "", String.class).replace(':', '/'));
        JsonNode params = message.path("params").isArray() ? message.get("params") : JsonNodeFactory.instance.arrayNode();
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("msg", "result").put("id", id);
        String address = clientAddress.of(exchange);
        try {
            // as Rocket.Chat's tunnel: the DDP limits, with the hashed auth token (or address and agent) as the connection
            rateLimiter.check(new DdpRateLimiter.Call("method", method, userId, connectionId(exchange, address), address));
            Object result = switch (method) {
                case "login" -> login(params.path(0), address);
                case "UserPresence:setDefaultStatus", "setUserStatus" -> {
                    requireUser(userId);
                    bus.call("presence.setStatus", Map.of("userId", userId, "status", params.path(0).asText(""),
                            "statusText", params.path(1).asText("")));
                    yield true;
                }
                case "permissions/get" -> bus.call("authorization.permissions", Map.of()).path("update");
                default -> methods.call(method, params, userId);
            };
            if (result != null) {
                reply.set("result", CaravanJson.ejson().valueToTree(result));
            }
        } catch (CaravanException e) {
            ObjectNode error = reply.putObject("error").put("isClientSafe", true);
            if (e.errorType() != null) {
                error.put("error", e.errorType());
            } else {
                error.put("error", e.status());
            }
            error.put("reason", e.reason()).put("message", e.getMessage()).put("errorType", "Meteor.Error");
            if (e.details() != null) {
                error.set("details", CaravanJson.ejson().valueToTree(e.details()));
            }
        }
        RestReplies.ok(exchange, Map.of("message", reply.toString()));
    }

    private Object login(JsonNode request, String address) {
        if (!request.isObject()) {
            throw CaravanException.invalidParams("Match failed");
        }
        JsonNode result = bus.call("accounts.login", ClientAddress.loginRequest(request, address));
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("id", result.path("userId").asText())
                .put("token", result.path("token").asText());
        reply.set("tokenExpires", result.get("tokenExpires"));
        reply.put("type", result.path("type").asText());
        return reply;
    }

    private static String connectionId(Exchange exchange, String address) {
        String token = exchange.getProperty(RestAuth.AUTH_TOKEN, String.class);
        return token != null ? LoginTokenHash.of(token) : address + " " + exchange.getIn().getHeader("User-Agent", "", String.class);
    }

    private static void requireUser(String userId) {
        if (userId == null) {
            throw CaravanException.notLoggedIn();
        }
    }
}
