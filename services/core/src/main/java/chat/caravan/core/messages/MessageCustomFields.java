package chat.caravan.core.messages;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * A message's {@code customFields}, allowed only with {@code Message_CustomFields_Enabled} and checked against the JSON
 * schema in {@code Message_CustomFields} as Rocket.Chat checks them: the schema describes an object whose properties
 * are the only ones allowed. The schema keywords understood are those such a schema uses (type, nullable, enum,
 * const, properties, required, additionalProperties, items, string, number and array bounds, pattern); a schema with
 * any other keyword is refused as an invalid configuration rather than half applied.
 */
@Component
public class MessageCustomFields {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYWORDS = Set.of("type", "nullable", "enum", "const", "properties", "required",
            "additionalProperties", "items", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "minItems", "maxItems", "pattern", "title", "description", "default", "$schema");

    private final Settings settings;

    public MessageCustomFields(Settings settings) {
        this.settings = settings;
    }

    /** The custom fields to store, once valid; a refusal has Rocket.Chat's words. */
    public Document validated(JsonNode customFields) {
        if (!settings.bool("Message_CustomFields_Enabled", false)) {
            throw CaravanException.plain("Custom fields not enabled");
        }
        JsonNode schema = schema(settings.string("Message_CustomFields", ""));
        if (!customFields.isObject() || !valid(customFields, schema, true)) {
            throw CaravanException.plain("Invalid custom fields");
        }
        return Document.parse(customFields.toString());
    }

    private static JsonNode schema(String configured) {
        JsonNode schema;
        try {
            schema = configured == null || configured.isBlank() ? null : JSON.readTree(configured);
        } catch (IOException e) {
            schema = null;
        }
        if (schema == null || !schema.isObject() || (schema.has("type") && !"object".equals(schema.get("type").asText()))) {
            throw CaravanException.plain("Invalid custom fields config");
        }
        requireKnownKeywords(schema);
        return schema;
    }

    private static void requireKnownKeywords(JsonNode schema) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            if (!KEYWORDS.contains(it.next())) {
                throw CaravanException.plain("Invalid custom fields config");
            }
        }
        for (JsonNode property : schema.path("properties")) {
            if (!property.isObject()) {
                throw CaravanException.plain("Invalid custom fields config");
            }
            requireKnownKeywords(property);
        }
        if (schema.path("items").isObject()) {
            requireKnownKeywords(schema.get("items"));
        }
        if (schema.path("additionalProperties").isObject()) {
            requireKnownKeywords(schema.get("additionalProperties"));
        }
    }

    /** Whether {@code value} satisfies {@code schema}; the top level is an object with no properties but those named. */
    static boolean valid(JsonNode value, JsonNode schema, boolean topLevel) {
        if (value.isNull() && schema.path("nullable").asBoolean(false)) {
            return true;
        }
        if (topLevel ? !value.isObject() : (schema.has("type") && !hasType(value, schema.get("type")))) {
            return false;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            return false;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            return false;
        }
        if (value.isTextual() && !validText(value.asText(), schema)) {
            return false;
        }
        if (value.isNumber() && !validNumber(value.doubleValue(), schema)) {
            return false;
        }
        if (value.isArray() && !validArray((ArrayNode) value, schema)) {
            return false;
        }
        return !value.isObject() || validObject(value, schema, topLevel);
    }

    private static boolean validObject(JsonNode value, JsonNode schema, boolean topLevel) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                return false;
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = topLevel ? JSON.getNodeFactory().booleanNode(false) : schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode propertySchema = properties.get(field.getKey());
            if (propertySchema != null) {
                if (!valid(field.getValue(), propertySchema, false)) {
                    return false;
                }
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                return false;
            } else if (additional != null && additional.isObject() && !valid(field.getValue(), additional, false)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validText(String text, JsonNode schema) {
        int length = text.codePointCount(0, text.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            return false;
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            return false;
        }
        if (schema.has("pattern")) {
            try {
                return Pattern.compile(schema.get("pattern").asText()).matcher(text).find();
            } catch (PatternSyntaxException e) {
                throw CaravanException.plain("Invalid custom fields config");
            }
        }
        return true;
    }

    private static boolean validNumber(double number, JsonNode schema) {
        return !(schema.has("minimum") && number < schema.get("minimum").asDouble())
                && !(schema.has("maximum") && number > schema.get("maximum").asDouble())
                && !(schema.has("exclusiveMinimum") && number <= schema.get("exclusiveMinimum").asDouble())
                && !(schema.has("exclusiveMaximum") && number >= schema.get("exclusiveMaximum").asDouble());
    }

    private static boolean validArray(ArrayNode array, JsonNode schema) {
        if (schema.has("minItems") && array.size() < schema.get("minItems").asInt()) {
            return false;
        }
        if (schema.has("maxItems") && array.size() > schema.get("maxItems").asInt()) {
            return false;
        }
        if (schema.path("items").isObject()) {
            for (JsonNode item : array) {
                if (!valid(item, schema.get("items"), false)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasType(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (hasType(value, one)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> throw CaravanException.plain("Invalid custom fields config");
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
