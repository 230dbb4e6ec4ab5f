package chat.caravan.common.settings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.common.model.Collections;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Reads Rocket.Chat settings ({@code rocketchat_settings}, {@code {_id, value}}) for any service, with the caller's
 * default when a setting is absent. Values are cached briefly so hot paths do not hit MongoDB on every request;
 * a change is seen within {@link #TTL}. As in Rocket.Chat, an environment variable {@code OVERWRITE_SETTING_<id>} forces
 * a setting's value in this process, whatever the database says.
 */
@Component
public class Settings {

    static final Duration TTL = Duration.ofSeconds(2);
    static final String OVERWRITE_PREFIX = "OVERWRITE_SETTING_";

    private final MongoCollection<Document> settings;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Environment environment;

    public Settings(MongoDatabase database, Environment environment) {
        this.settings = database.getCollection(Collections.SETTINGS);
        this.environment = environment;
    }

    public boolean bool(String id, boolean fallback) {
        Object value = value(id);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && !s.isBlank()) {
            return Boolean.parseBoolean(s);
        }
        return fallback;
    }

    public int integer(String id, int fallback) {
        Object value = value(id);
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    public String string(String id, String fallback) {
        Object value = value(id);
        return value == null ? fallback : String.valueOf(value);
    }

    /** The raw value, or null when the setting does not exist. */
    public Object value(String id) {
        long now = System.nanoTime();
        Cached cached = cache.get(id);
        if (cached != null && cached.expiresAt > now) {
            return cached.value;
        }
        // looked up with the database value, not on every read: settings sit on hot paths (every rate-limited call)
        Object value = environment.getProperty(OVERWRITE_PREFIX + id);
        if (value == null) {
            Document setting = settings.find(Filters.eq("_id", id)).first();
            value = setting == null ? null : setting.get("value");
        }
        cache.put(id, new Cached(value, now + TTL.toNanos()));
        return value;
    }

    /** Forgets cached values, e.g. after a settings change event. */
    public void invalidate() {
        cache.clear();
    }

    private record Cached(Object value, long expiresAt) {
    }
}
