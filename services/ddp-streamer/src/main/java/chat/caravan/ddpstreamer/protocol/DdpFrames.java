package chat.caravan.ddpstreamer.protocol;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DDP messages as JSON text, and the SockJS framing around them. Values are EJSON: dates travel as
 * {@code {"$date": millis}} in both directions, as they do on the bus, so results pass through unchanged.
 */
public final class DdpFrames {

    private static final ObjectMapper JSON = CaravanJson.ejson();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The SockJS open frame. */
    public static final String SOCKJS_OPEN = "o";

    private DdpFrames() {
    }

    /** A client frame's DDP message; SockJS frames carry a JSON array of strings (only the first is used). */
    public static JsonNode parse(String frame, boolean sockJs) throws JsonProcessingException {
        JsonNode node = JSON.readTree(frame);
        if (sockJs && node != null && node.isArray()) {
            if (node.isEmpty() || !node.get(0).isTextual()) {
                return null;
            }
            node = JSON.readTree(node.get(0).asText());
        } else if (sockJs && node != null && node.isTextual()) {
            node = JSON.readTree(node.asText());
        }
        return node;
    }

    /** As {@link #parse}, but null for a SockJS frame that carries more than one message. */
    public static JsonNode parseSingle(String frame, boolean sockJs) throws JsonProcessingException {
        if (sockJs) {
            JsonNode node = JSON.readTree(frame);
            if (node != null && node.isArray() && node.size() != 1) {
                return null;
            }
        }
        return parse(frame, sockJs);
    }

    /** The text frame for a message: as is on /websocket, {@code a["..."]} on SockJS. */
    public static String frame(String message, boolean sockJs) {
        if (!sockJs) {
            return message;
        }
        ArrayNode wrapper = NODES.arrayNode().add(message);
        return "a" + wrapper;
    }

    public static String write(JsonNode message) {
        return json(message);
    }

    public static ObjectNode message(String type) {
        return NODES.objectNode().put("msg", type);
    }

    public static String connected(String session) {
        return write(message("connected").put("session", session));
    }

    public static String failed(String version) {
        return write(message("failed").put("version", version));
    }

    public static String ping() {
        return "{\"msg\":\"ping\"}";
    }

    public static String pong(JsonNode id) {
        ObjectNode pong = message("pong");
        if (id != null && !id.isNull()) {
            pong.set("id", id);
        }
        return write(pong);
    }

    public static String result(String id, JsonNode result) {
        ObjectNode message = message("result").put("id", id);
        if (result != null && !result.isMissingNode()) {
            message.set("result", result);
        }
        return write(message);
    }

    public static String error(String id, CaravanException failure) {
        return write(message("result").put("id", id).set("error", meteorError(failure)));
    }

    public static String updated(String id) {
        ObjectNode message = message("updated");
        message.putArray("methods").add(id);
        return write(message);
    }

    public static String ready(String subId) {
        ObjectNode message = message("ready");
        message.putArray("subs").add(subId);
        return write(message);
    }

    public static String nosub(String subId, CaravanException failure) {
        ObjectNode message = message("nosub").put("id", subId);
        if (failure != null) {
            message.set("error", meteorError(failure));
        }
        return write(message);
    }

    /** A top-level {@code error} for input the protocol cannot accept. */
    public static String protocolError(String reason, JsonNode offending) {
        ObjectNode message = message("error").put("reason", reason);
        if (offending != null) {
            message.set("offendingMessage", offending);
        }
        return write(message);
    }

    public static String added(String collection, String id, JsonNode fields) {
        ObjectNode message = message("added").put("collection", collection).put("id", id);
        message.set("fields", fields);
        return write(message);
    }

    /** A stream event: {@code changed} on {@code stream-<name>}, id "id", fields {eventName, args}. */
    public static String streamEvent(String stream, String eventName, Object args) {
        ObjectNode fields = NODES.objectNode().put("eventName", eventName);
        fields.set("args", JSON.valueToTree(args));
        ObjectNode message = message("changed").put("collection", stream).put("id", "id");
        message.set("fields", fields);
        return write(message);
    }

    /** {@code value} as JSON. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #streamEvent}, with {@code args} already serialized ({@link #json}): the same message. */
    public static String streamEventOf(String stream, String eventName, String serializedArgs) {
        return "{\"msg\":\"changed\",\"collection\":" + json(stream) + ",\"id\":\"id\",\"fields\":{\"eventName\":"
                + json(eventName) + ",\"args\":" + serializedArgs + "}}";
    }

    /** stream-user-presence's own shape: id and eventName are the user id. */
    public static String presenceEvent(String uid, String username, int statusCode, String statusText) {
        ObjectNode fields = NODES.objectNode().put("uid", uid);
        fields.putArray("args").addArray().add(username).add(statusCode).add(statusText == null ? "" : statusText);
        fields.put("eventName", uid);
        ObjectNode message = message("changed").put("collection", "stream-user-presence").put("id", uid);
        message.set("fields", fields);
        return write(message);
    }

    /** Meteor's error object: {isClientSafe, error, reason, message, errorType, details}. */
    static ObjectNode meteorError(CaravanException failure) {
        ObjectNode error = NODES.objectNode().put("isClientSafe", true);
        if (failure.errorType() != null) {
            error.put("error", failure.errorType());
        } else {
            error.put("error", failure.status());
        }
        if (failure.reason() != null && !failure.reason().isEmpty()) {
            error.put("reason", failure.reason());
        }
        String code = failure.errorType() != null ? failure.errorType() : String.valueOf(failure.status());
        error.put("message", (failure.reason() == null || failure.reason().isEmpty() ? "" : failure.reason() + " ") + "[" + code + "]");
        error.put("errorType", "Meteor.Error");
        if (failure.details() != null) {
            error.set("details", JSON.valueToTree(failure.details()));
        }
        return error;
    }
}
