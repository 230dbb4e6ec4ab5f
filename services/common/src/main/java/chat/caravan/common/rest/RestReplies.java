package chat.caravan.common.rest;

import java.util.Map;

import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/** Writes REST replies: Rocket.Chat's success envelope, JSON, dates as ISO-8601. */
public final class RestReplies {

    /**
     * Exchange property: a {@code Map<String, String>} of headers every reply of this exchange carries, success or
     * error (the rate limiter's X-RateLimit-* headers), since writing a reply drops the request's headers.
     */
    public static final String REPLY_HEADERS = "caravanReplyHeaders";

    private RestReplies() {
    }

    /** {@code payload} with {@code success: true} added at the top level, HTTP 200. */
    public static void ok(Exchange exchange, Object payload) {
        JsonNode tree = CaravanJson.ejson().valueToTree(payload == null ? Map.of() : payload);
        ObjectNode body = tree.isObject() ? (ObjectNode) tree : CaravanJson.ejson().createObjectNode().set("result", tree);
        body.put("success", true);
        write(exchange, 200, body);
    }

    /** Adds one header to {@link #REPLY_HEADERS}. */
    @SuppressWarnings("unchecked")
    public static void addReplyHeader(Exchange exchange, String name, String value) {
        Map<String, String> headers = exchange.getProperty(REPLY_HEADERS, Map.class);
        Map<String, String> changed = headers == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(headers);
        changed.put(name, value);
        exchange.setProperty(REPLY_HEADERS, changed);
    }

    public static void write(Exchange exchange, int status, JsonNode body) {
        exchange.getMessage().removeHeaders("*");
        Map<?, ?> replyHeaders = exchange.getProperty(REPLY_HEADERS, Map.class);
        if (replyHeaders != null) {
            replyHeaders.forEach((name, value) -> exchange.getMessage().setHeader(String.valueOf(name), value));
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(CaravanJson.toRestJson(body));
    }
}
