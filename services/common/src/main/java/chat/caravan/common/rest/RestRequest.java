package chat.caravan.common.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.camel.Exchange;

/** Reads what a REST client sent: the JSON body and query parameters, with Rocket.Chat's errors for bad input. */
public final class RestRequest {

    private RestRequest() {
    }

    /** The JSON object body; an empty body is an empty object; anything else that is not an object is a 400. */
    public static JsonNode body(Exchange exchange) {
        Object raw = exchange.getIn().getBody();
        String text;
        if (raw == null) {
            text = "";
        } else if (raw instanceof byte[] bytes) {
            text = new String(bytes, StandardCharsets.UTF_8);
        } else if (raw instanceof JsonNode node) {
            return requireObject(node);
        } else {
            text = exchange.getIn().getBody(String.class);
        }
        if (text == null || text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return requireObject(CaravanJson.ejson().readTree(text));
        } catch (IOException e) {
            throw CaravanException.invalidParams("The request body is not valid JSON");
        }
    }

    /** A query parameter (platform-http exposes them as headers), or null. */
    public static String query(Exchange exchange, String name) {
        Object value = exchange.getIn().getHeader(name);
        if (value instanceof Iterable<?> values) {
            var it = values.iterator();
            value = it.hasNext() ? it.next() : null;
        }
        return value == null ? null : value.toString();
    }

    private static JsonNode requireObject(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw CaravanException.invalidParams("The request body must be a JSON object");
        }
        return node;
    }
}
