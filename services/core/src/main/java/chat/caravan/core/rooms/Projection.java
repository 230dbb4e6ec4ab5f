package chat.caravan.core.rooms;

import java.io.IOException;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;

/** The deprecated {@code fields} query parameter: a JSON object of 1 (only these, and _id) or 0 (all but these). */
final class Projection {

    private Projection() {
    }

    /** The parsed projection, or null when none was sent; invalid JSON is Rocket.Chat's error-invalid-fields. */
    static Document parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = CaravanJson.ejson().readTree(raw);
        } catch (IOException e) {
            throw CaravanException.coded("error-invalid-fields", "Invalid fields parameter provided: \"" + raw + "\"");
        }
        if (node == null || !node.isObject()) {
            throw CaravanException.coded("error-invalid-fields", "Invalid fields parameter provided: \"" + raw + "\"");
        }
        Document projection = new Document();
        node.fields().forEachRemaining(field -> projection.append(field.getKey(), field.getValue().asInt(1) == 0 ? 0 : 1));
        return projection;
    }

    static Document apply(Document document, Document projection) {
        if (document == null || projection == null || projection.isEmpty()) {
            return document;
        }
        boolean inclusive = projection.values().stream().anyMatch(v -> Integer.valueOf(1).equals(v));
        Document result = new Document();
        if (inclusive) {
            result.append("_id", document.get("_id"));
            for (Map.Entry<String, Object> field : projection.entrySet()) {
                if (Integer.valueOf(1).equals(field.getValue()) && document.containsKey(field.getKey())) {
                    result.append(field.getKey(), document.get(field.getKey()));
                }
            }
            return result;
        }
        result.putAll(document);
        projection.keySet().forEach(result::remove);
        return result;
    }
}
