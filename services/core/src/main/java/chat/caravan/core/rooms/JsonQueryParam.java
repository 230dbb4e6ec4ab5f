package chat.caravan.core.rooms;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.rest.RestRequest;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * The {@code query} parameter some list endpoints still read (Rocket.Chat's parseJsonQuery): a JSON object of
 * field/value equalities. Only plain equalities on plain fields are taken, so a caller can narrow a list but never
 * run an operator ({@code $where}, {@code $regex}, ...) or match on a nested secret.
 */
public final class JsonQueryParam {

    private JsonQueryParam() {
    }

    /** The conditions, or an empty document when there is no query parameter. */
    public static Document of(Exchange exchange) {
        String raw = RestRequest.query(exchange, "query");
        if (raw == null || raw.isBlank()) {
            return new Document();
        }
        JsonNode node;
        try {
            node = CaravanJson.ejson().readTree(raw);
        } catch (IOException e) {
            throw invalid(raw);
        }
        if (node == null || !node.isObject()) {
            throw invalid(raw);
        }
        Document conditions = new Document();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.isEmpty() || key.startsWith("$") || key.contains(".") || !value.isValueNode()) {
                throw invalid(raw);
            }
            conditions.append(key, value.isNull() ? null : value.isBoolean() ? value.asBoolean()
                    : value.isNumber() ? value.numberValue() : value.asText());
        }
        return conditions;
    }

    private static CaravanException invalid(String raw) {
        return CaravanException.coded("error-invalid-query", "Invalid query parameter provided: \"" + raw + "\"");
    }
}
