package chat.caravan.core.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

/**
 * Rocket.Chat's settings catalogue ({@code settings/catalogue.json}): every setting Rocket.Chat defines, with its id,
 * type, default, group and public flag, so clients and admin tools read and set the ids they know. Settings of features
 * Caravan does not implement carry a {@code description} saying so; they keep Rocket.Chat's default. Entries marked
 * {@code generated} get a per-installation value at first start (uniqueID, the registration secret URL).
 */
public final class SettingsCatalogue {

    static final String RESOURCE = "/settings/catalogue.json";

    private static final List<Map<String, Object>> ENTRIES = load();
    private static final Map<String, Map<String, Object>> BY_ID = index(ENTRIES);

    private SettingsCatalogue() {
    }

    /** Every catalogue entry, in file order (grouped). */
    public static List<Map<String, Object>> entries() {
        return ENTRIES;
    }

    /** The entry of one setting id, or null when Rocket.Chat has no such setting. */
    public static Map<String, Object> entry(String id) {
        return BY_ID.get(id);
    }

    /**
     * The settings document stored for an entry at first start: Rocket.Chat's fields ({@code packageValue} is the
     * default, {@code valueSource} says where the value came from, selects list their values as {@code {key, i18nLabel}}).
     */
    static Document document(Map<String, Object> entry, Object value, int sorter, java.util.Date now) {
        Document doc = new Document("_id", entry.get("_id"))
                .append("type", entry.get("type"))
                .append("value", value)
                .append("packageValue", entry.get("value"))
                .append("valueSource", "packageValue")
                .append("public", Boolean.TRUE.equals(entry.get("public")))
                .append("group", entry.get("group"))
                .append("i18nLabel", entry.getOrDefault("i18nLabel", entry.get("_id")))
                .append("i18nDescription", entry.getOrDefault("i18nDescription", entry.get("_id") + "_Description"))
                .append("blocked", false)
                .append("hidden", Boolean.TRUE.equals(entry.get("hidden")))
                .append("secret", "password".equals(entry.get("type")))
                .append("sorter", sorter)
                .append("ts", now)
                .append("createdAt", now)
                .append("_updatedAt", now);
        if (entry.get("section") != null) {
            doc.append("section", entry.get("section"));
        }
        if (Boolean.TRUE.equals(entry.get("enterprise"))) {
            doc.append("enterprise", true);
        }
        if (entry.get("description") != null) {
            doc.append("description", entry.get("description"));
        }
        if (entry.get("values") instanceof List<?> keys) {
            List<Document> values = new ArrayList<>();
            for (Object key : keys) {
                values.add(new Document("key", key).append("i18nLabel", key));
            }
            doc.append("values", values);
        }
        return doc;
    }

    private static List<Map<String, Object>> load() {
        try (InputStream in = SettingsCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            List<Map<String, Object>> entries = new ObjectMapper().readValue(in, new TypeReference<>() {
            });
            return Collections.unmodifiableList(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Map<String, Object>> index(List<Map<String, Object>> entries) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Map<String, Object> entry : entries) {
            byId.put((String) entry.get("_id"), entry);
        }
        return Collections.unmodifiableMap(byId);
    }
}
