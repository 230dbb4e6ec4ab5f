package chat.caravan.common.json;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.bson.types.ObjectId;

/**
 * The two JSON dialects Caravan speaks. Between services and on DDP, dates are EJSON ({@code {"$date": millis}}),
 * so ddp-streamer forwards payloads untouched. On REST they are ISO-8601 strings, as Rocket.Chat's REST API sends
 * them.
 */
public final class CaravanJson {

    private static final ObjectMapper EJSON = configure(new ObjectMapper(), new EjsonDateSerializer());
    private static final ObjectMapper REST = configure(new ObjectMapper(), new IsoDateSerializer());

    /** Rocket.Chat's REST date format: always with milliseconds, always UTC. */
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CaravanJson() {
    }

    /** An instant as Rocket.Chat's REST API writes it, e.g. {@code 2024-05-01T10:00:00.000Z}. */
    public static String iso(Instant instant) {
        return ISO.format(instant);
    }

    /** Mapper for the bus and DDP: dates as {@code {"$date": millis}}. */
    public static ObjectMapper ejson() {
        return EJSON;
    }

    /** Mapper for REST responses: dates as ISO-8601 strings. */
    public static ObjectMapper rest() {
        return REST;
    }

    public static JsonNode parse(byte[] json) throws IOException {
        return EJSON.readTree(json);
    }

    public static byte[] toEjsonBytes(Object value) {
        try {
            return EJSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String toRestJson(Object value) {
        try {
            return REST.writeValueAsString(value instanceof JsonNode node ? ejsonDatesToIso(node) : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** True for an EJSON date object {@code {"$date": ...}}. */
    public static boolean isEjsonDate(JsonNode node) {
        return node != null && node.isObject() && node.size() == 1 && node.has("$date");
    }

    /**
     * The instant of an EJSON date ({@code $date} as millis or ISO string), or of an ISO string; a client's value
     * that is neither fails as invalid-params (a 400), never as a server error.
     */
    public static Instant toInstant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode value = isEjsonDate(node) ? node.get("$date") : node;
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw CaravanException.invalidParams("Invalid date: " + abbreviated(value.asText()));
            }
        }
        if (isEjsonDate(node)) {
            throw CaravanException.invalidParams("Invalid EJSON: $date must be a number of milliseconds");
        }
        return null;
    }

    /**
     * Checks that every EJSON tag in a client's value is well-formed, as Meteor's EJSON.parse would decode it:
     * {@code $date} (milliseconds, or an ISO-8601 string), {@code $binary} (base64), {@code $InfNaN} (1, -1 or 0),
     * {@code $escape} (an object), {@code $type}/{@code $value} (custom types: none are known here) and
     * {@code $regexp}/{@code $flags}. A malformed tag fails as invalid-params (a 400), so a client's mistake never
     * becomes a server error further on.
     */
    public static void requireValidEjson(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(CaravanJson::requireValidEjson);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (node.size() == 1) {
            String tag = node.fieldNames().next();
            JsonNode value = node.get(tag);
            switch (tag) {
                case "$date" -> {
                    try {
                        if (!value.isNumber()) {
                            Instant.parse(value.textValue() == null ? "" : value.textValue());
                        }
                    } catch (DateTimeParseException e) {
                        throw invalidEjson("$date must be a number of milliseconds");
                    }
                    return;
                }
                case "$binary" -> {
                    try {
                        if (!value.isTextual()) {
                            throw new IllegalArgumentException();
                        }
                        Base64.getDecoder().decode(value.asText());
                    } catch (IllegalArgumentException e) {
                        throw invalidEjson("$binary must be a base64 string");
                    }
                    return;
                }
                case "$InfNaN" -> {
                    if (!value.isNumber() || (value.asDouble() != 1 && value.asDouble() != -1 && value.asDouble() != 0)) {
                        throw invalidEjson("$InfNaN must be 1, -1 or 0");
                    }
                    return;
                }
                case "$escape" -> {
                    if (!value.isObject()) {
                        throw invalidEjson("$escape must be an object");
                    }
                    // the escaped keys are plain keys; their values are EJSON again
                    value.elements().forEachRemaining(CaravanJson::requireValidEjson);
                    return;
                }
                default -> {
                }
            }
        }
        if (node.size() == 2 && node.has("$type") && node.has("$value")) {
            throw invalidEjson("unknown custom type " + abbreviated(node.get("$type").asText()));
        }
        if (node.size() == 2 && node.has("$regexp") && node.has("$flags")) {
            if (!node.get("$regexp").isTextual() || !node.get("$flags").isTextual()) {
                throw invalidEjson("$regexp and $flags must be strings");
            }
            return;
        }
        node.elements().forEachRemaining(CaravanJson::requireValidEjson);
    }

    private static CaravanException invalidEjson(String problem) {
        return CaravanException.invalidParams("Invalid EJSON: " + problem);
    }

    private static String abbreviated(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    /** A copy of the tree with every EJSON date replaced by its ISO-8601 string, for REST. */
    public static JsonNode ejsonDatesToIso(JsonNode node) {
        if (isEjsonDate(node)) {
            try {
                Instant instant = toInstant(node);
                return instant == null ? node : TextNode.valueOf(iso(instant));
            } catch (CaravanException e) {
                // stored as it came: shown as it is rather than failing the reply
                return node;
            }
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), ejsonDatesToIso(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(child -> copy.add(ejsonDatesToIso(child)));
            return copy;
        }
        return node;
    }

    private static ObjectMapper configure(ObjectMapper mapper, StdSerializer<Date> dates) {
        SimpleModule module = new SimpleModule("caravan-json");
        module.addSerializer(Date.class, dates);
        module.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                dates.serialize(Date.from(value), gen, provider);
            }
        });
        module.addSerializer(ObjectId.class, new StdSerializer<>(ObjectId.class) {
            @Override
            public void serialize(ObjectId value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toHexString());
            }
        });
        mapper.registerModule(module);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(20_000_000).build());
        return mapper;
    }

    private static final class EjsonDateSerializer extends StdSerializer<Date> {
        EjsonDateSerializer() {
            super(Date.class);
        }

        @Override
        public void serialize(Date value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeNumberField("$date", value.getTime());
            gen.writeEndObject();
        }
    }

    private static final class IsoDateSerializer extends StdSerializer<Date> {
        IsoDateSerializer() {
            super(Date.class);
        }

        @Override
        public void serialize(Date value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(iso(value.toInstant()));
        }
    }
}
