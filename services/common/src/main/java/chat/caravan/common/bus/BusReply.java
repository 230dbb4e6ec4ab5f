package chat.caravan.common.bus;


import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The envelope of a reply on the bus: {@code {"result": ...}} or
 * {@code {"error": {status, errorType, reason, details}}}, so a coded error raised in one service reaches the client
 * of another unchanged.
 */
public final class BusReply {

    private BusReply() {
    }

    public static byte[] success(Object result) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.set("result", result == null ? null : CaravanJson.ejson().valueToTree(result));
        return CaravanJson.toEjsonBytes(envelope);
    }

    public static byte[] failure(CaravanException error) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        ObjectNode body = envelope.putObject("error");
        body.put("status", error.status());
        if (error.errorType() != null) {
            body.put("errorType", error.errorType());
        }
        body.put("reason", error.reason());
        if (error.details() != null) {
            body.set("details", CaravanJson.ejson().valueToTree(error.details()));
        }
        return CaravanJson.toEjsonBytes(envelope);
    }

    /** The result of a reply, or the CaravanException it carries. */
    @SuppressWarnings("unchecked")
    public static JsonNode unwrap(byte[] reply) {
        JsonNode envelope;
        try {
            envelope = CaravanJson.parse(reply);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable reply on the bus", e);
        }
        JsonNode error = envelope.get("error");
        if (error != null && !error.isNull()) {
            Object details = error.has("details")
                    ? CaravanJson.ejson().convertValue(error.get("details"), Object.class) : null;
            throw new CaravanException(error.path("status").asInt(400),
                    error.hasNonNull("errorType") ? error.get("errorType").asText() : null,
                    error.path("reason").asText(), details);
        }
        return envelope.get("result");
    }
}
