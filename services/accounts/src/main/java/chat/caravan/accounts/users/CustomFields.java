package chat.caravan.accounts.users;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The account fields an administrator defines in {@code Accounts_CustomFields} (a JSON object: name ->
 * {type, required, minLength, maxLength, options, public}), checked as Rocket.Chat checks them and stored as
 * {@code customFields} on the user. With no definition, whatever a client sends is accepted and nothing is stored.
 */
@Component
public class CustomFields {

    private final Settings settings;

    public CustomFields(Settings settings) {
        this.settings = settings;
    }

    /** The {@code customFields} document to store for the given values, or null when none are defined. */
    public Document validated(JsonNode values) {
        JsonNode definitions = definitions();
        if (definitions == null) {
            return null;
        }
        JsonNode given = values != null && values.isObject() ? values : CaravanJson.ejson().createObjectNode();
        Map<String, Object> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> definition = it.next();
            String name = definition.getKey();
            JsonNode field = definition.getValue();
            JsonNode value = given.get(name);
            String text = value == null || value.isNull() ? "" : value.asText().trim();
            if (field.path("required").asBoolean(false) && text.isEmpty()) {
                throw invalid("Field " + name + " is required");
            }
            if ("select".equals(field.path("type").asText()) && !contains(field.path("options"), value)) {
                throw invalid("Value for field " + name + " is invalid");
            }
            int maxLength = field.path("maxLength").asInt(0);
            if (maxLength > 0 && text.length() > maxLength) {
                throw invalid("Max length of field " + name + " " + maxLength);
            }
            int minLength = field.path("minLength").asInt(0);
            if (minLength > 0 && !text.isEmpty() && text.length() < minLength) {
                throw invalid("Min length of field " + name + " " + minLength);
            }
            if (value != null && !value.isNull()) {
                result.put(name, value.isValueNode() ? CaravanJson.ejson().convertValue(value, Object.class) : value.toString());
            }
        }
        return new Document(result);
    }

    private JsonNode definitions() {
        String raw = settings.string("Accounts_CustomFields", "").trim();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            JsonNode parsed = CaravanJson.ejson().readTree(raw);
            if (parsed == null || !parsed.isObject()) {
                throw new java.io.IOException("not an object");
            }
            return parsed;
        } catch (java.io.IOException e) {
            throw CaravanException.coded("error-invalid-customfield-json", "Invalid JSON for Custom Fields");
        }
    }

    private static boolean contains(JsonNode options, JsonNode value) {
        if (value == null || !options.isArray()) {
            return false;
        }
        for (JsonNode option : options) {
            if (option.asText().equals(value.asText())) {
                return true;
            }
        }
        return false;
    }

    private static CaravanException invalid(String reason) {
        return CaravanException.coded("error-user-registration-custom-field", reason, Map.of("method", "registerUser"));
    }
}
