package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What a client may put in a message beyond its text: attachments checked field by field as Rocket.Chat's
 * {@code validateMessage} checks them, decoded from EJSON into stored values, and the whole message held to
 * {@code caravan.messages.max-bytes} so no one message carries megabytes to every member.
 */
@Component
public class MessageContent {

    private static final Set<String> TEXT_FIELDS = Set.of("color", "text", "thumb_url", "button_alignment", "message_link",
            "author_name", "author_link", "author_icon", "title", "title_link", "image_url", "image_preview", "image_type",
            "audio_url", "audio_type", "video_url", "video_type", "description", "type");
    private static final Set<String> BOOLEAN_FIELDS = Set.of("collapsed", "title_link_download");
    private static final Set<String> NUMBER_FIELDS = Set.of("image_size", "audio_size", "video_size");
    private static final Set<String> ARRAY_FIELDS = Set.of("actions", "fields", "attachments");

    private final int maxBytes;

    public MessageContent(@Value("${caravan.messages.max-bytes:262144}") int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The attachments of a client's message as they are stored: an array of objects whose known fields have
     * Rocket.Chat's types, texts no longer than {@code maxText}; anything else is refused as invalid-params.
     */
    public List<Document> attachments(JsonNode attachments, int maxText) {
        if (!attachments.isArray()) {
            throw CaravanException.invalidParams("must be array 'attachments'");
        }
        List<Document> stored = new ArrayList<>();
        for (JsonNode attachment : attachments) {
            check(attachment, maxText, 0);
            stored.add((Document) decode(attachment));
        }
        return stored;
    }

    /** Refuses a message whose stored form would exceed the configured bytes, as Rocket.Chat's size error. */
    public void requireWithinBound(Document message, String method) {
        int size = CaravanJson.toEjsonBytes(message).length;
        if (size > maxBytes) {
            throw CaravanException.coded("error-message-size-exceeded",
                    "Message size exceeds the limit of " + maxBytes + " bytes", Map.of("method", method));
        }
    }

    public int maxBytes() {
        return maxBytes;
    }

    private static void check(JsonNode attachment, int maxText, int depth) {
        if (!attachment.isObject()) {
            throw CaravanException.invalidParams("must be object 'attachments'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = attachment.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            boolean wrong = (TEXT_FIELDS.contains(name) && !value.isTextual())
                    || (BOOLEAN_FIELDS.contains(name) && !value.isBoolean())
                    || (NUMBER_FIELDS.contains(name) && !value.isNumber())
                    || (ARRAY_FIELDS.contains(name) && !value.isArray())
                    || ("image_dimensions".equals(name) && !value.isObject())
                    || ("ts".equals(name) && !value.isTextual() && !value.isNumber() && !CaravanJson.isEjsonDate(value));
            if (wrong) {
                throw CaravanException.invalidParams("must be of Rocket.Chat's type 'attachments." + name + "'");
            }
        }
        if (attachment.path("text").isTextual() && attachment.get("text").asText().length() > maxText) {
            throw CaravanException.coded("error-message-size-exceeded", "Message size exceeds Message_MaxAllowedSize");
        }
        for (JsonNode field : attachment.path("fields")) {
            if (!field.isObject() || (field.has("title") && !field.get("title").isTextual())
                    || (field.has("short") && !field.get("short").isBoolean())) {
                throw CaravanException.invalidParams("must be object 'attachments.fields'");
            }
        }
        for (JsonNode action : attachment.path("actions")) {
            if (!action.isObject()) {
                throw CaravanException.invalidParams("must be object 'attachments.actions'");
            }
        }
        // a quote carries the quoted message's attachments: the same rules, a few levels deep at most
        if (attachment.path("attachments").size() > 0 && depth >= 8) {
            throw CaravanException.invalidParams("attachments are nested too deeply");
        }
        for (JsonNode nested : attachment.path("attachments")) {
            check(nested, maxText, depth + 1);
        }
    }

    /** EJSON to the values stored: dates and binaries decoded, no key that MongoDB would read as an operator. */
    private static Object decode(JsonNode node) {
        if (CaravanJson.isEjsonDate(node)) {
            return Date.from(CaravanJson.toInstant(node));
        }
        if (node.isObject() && node.size() == 1 && node.has("$binary")) {
            try {
                return new Binary(BsonBinarySubType.BINARY, Base64.getDecoder().decode(node.get("$binary").asText()));
            } catch (IllegalArgumentException e) {
                throw CaravanException.invalidParams("Invalid EJSON: $binary must be a base64 string");
            }
        }
        if (node.isObject()) {
            Document document = new Document();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().startsWith("$") || field.getKey().indexOf('.') >= 0 || field.getKey().indexOf('\0') >= 0) {
                    throw CaravanException.invalidParams("must not have a key with '$' or '.' in 'attachments'");
                }
                document.put(field.getKey(), decode(field.getValue()));
            }
            return document;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(decode(element)));
            return list;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return null;
    }
}
