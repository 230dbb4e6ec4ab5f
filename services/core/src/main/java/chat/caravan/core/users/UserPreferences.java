package chat.caravan.core.users;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * A user's preferences, stored as Rocket.Chat stores them ({@code settings.preferences.<key>} on the user, the
 * language also as {@code language}). /me shows them over the server's defaults, the
 * {@code Accounts_Default_User_Preferences_<key>} settings (read with Rocket.Chat's default values).
 */
@Component
public class UserPreferences {

    static final String DEFAULT_PREFIX = "Accounts_Default_User_Preferences_";

    /** Every preference with a server default, and Rocket.Chat's value for it. */
    static final Map<String, Object> DEFAULTS = defaults();

    /** The keys users.setPreferences takes, and the JSON type each must have (Rocket.Chat's saveUserPreferences check). */
    private static final Map<String, String> TYPES = types();

    private final Settings settings;
    private final UserLookup users;

    public UserPreferences(Settings settings, UserLookup users) {
        this.settings = settings;
        this.users = users;
    }

    /** The preferences /me shows: the server's defaults, overridden by what the user chose. */
    public Document effective(Document user) {
        Document result = new Document();
        DEFAULTS.forEach((key, fallback) -> {
            Object value = settings.value(DEFAULT_PREFIX + key);
            result.put(key, value != null ? value : fallback);
        });
        result.putAll(stored(user));
        return result;
    }

    /** What the user chose, as stored. */
    public static Document stored(Document user) {
        Object settings = user == null ? null : user.get("settings");
        if (settings instanceof Document s && s.get("preferences") instanceof Document preferences) {
            return new Document(preferences);
        }
        return new Document();
    }

    /** Stores the given preferences (each key checked against its type) for the user. */
    public void save(String userId, JsonNode data) {
        if (data == null || !data.isObject()) {
            throw CaravanException.invalidParams("must have required property 'data'");
        }
        Document set = new Document();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String type = TYPES.get(key);
            if (type != null && !value.isNull() && !hasType(value, type)) {
                throw CaravanException.invalidParams("must be " + type + " '" + key + "'");
            }
            if (key.startsWith("$") || key.contains(".")) {
                throw CaravanException.invalidParams("must NOT have additional properties '" + key + "'");
            }
            Object stored = CaravanJson.ejson().convertValue(value, Object.class);
            if ("emailNotificationMode".equals(key) && "all".equals(stored)) {
                stored = "mentions";
            } else if ("emailNotificationMode".equals(key) && "disabled".equals(stored)) {
                stored = "nothing";
            }
            if ("idleTimeLimit".equals(key) && value.isNumber() && value.asDouble() < 60) {
                throw CaravanException.coded("invalid-idle-time-limit-value", "Invalid idleTimeLimit");
            }
            set.put(UserFields.PREFERENCES + "." + key, stored);
            if ("language".equals(key) && stored != null) {
                set.put(UserFields.LANGUAGE, stored);
            }
        }
        if (!set.isEmpty()) {
            Bson update = Updates.combine(new Document("$set", set), Updates.currentDate(UserFields.UPDATED_AT));
            users.collection().updateOne(Filters.eq(UserFields.ID, userId), update);
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "array" -> value.isArray();
            default -> true;
        };
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("enableAutoAway", true);
        d.put("idleTimeLimit", 300);
        d.put("desktopNotificationRequireInteraction", false);
        d.put("desktopNotifications", "all");
        d.put("pushNotifications", "all");
        d.put("unreadAlert", true);
        d.put("useEmojis", true);
        d.put("convertAsciiEmoji", true);
        d.put("autoImageLoad", true);
        d.put("saveMobileBandwidth", true);
        d.put("collapseMediaByDefault", false);
        d.put("hideUsernames", false);
        d.put("hideRoles", false);
        d.put("hideFlexTab", false);
        d.put("displayAvatars", true);
        d.put("sidebarGroupByType", true);
        d.put("themeAppearence", "auto");
        d.put("sidebarViewMode", "medium");
        d.put("sidebarDisplayAvatar", true);
        d.put("sidebarShowUnread", false);
        d.put("sidebarSortby", "activity");
        d.put("showThreadsInMainChannel", false);
        d.put("alsoSendThreadToChannel", "default");
        d.put("sidebarShowFavorites", true);
        d.put("sendOnEnter", "normal");
        d.put("emailNotificationMode", "mentions");
        d.put("newRoomNotification", "door");
        d.put("newMessageNotification", "chime");
        d.put("muteFocusedConversations", true);
        d.put("notificationsSoundVolume", 100);
        d.put("omnichannelTranscriptEmail", false);
        d.put("notifyCalendarEvents", true);
        d.put("enableMobileRinging", true);
        d.put("sidebarSectionsOrder", List.of("Incoming_Calls", "Incoming_Livechats", "Open_Livechats", "On_Hold_Chats",
                "Unread", "Favorites", "Teams", "Discussions", "Channels", "Direct_Messages", "Conversations"));
        d.put("featuresPreview", "[]");
        return Map.copyOf(d);
    }

    private static Map<String, String> types() {
        Map<String, String> t = new LinkedHashMap<>();
        for (String key : List.of("language", "newRoomNotification", "newMessageNotification", "emailNotificationMode",
                "desktopNotifications", "pushNotifications", "sendOnEnter", "sidebarSortby", "sidebarViewMode",
                "themeAppearence", "fontSize")) {
            t.put(key, "string");
        }
        for (String key : List.of("clockMode", "notificationsSoundVolume", "idleTimeLimit")) {
            t.put(key, "number");
        }
        for (String key : List.of("useEmojis", "convertAsciiEmoji", "saveMobileBandwidth", "collapseMediaByDefault",
                "autoImageLoad", "unreadAlert", "enableAutoAway", "hideUsernames", "hideRoles", "displayAvatars",
                "hideFlexTab", "sidebarShowFavorites", "sidebarShowUnread", "sidebarDisplayAvatar", "sidebarGroupByType",
                "muteFocusedConversations", "omnichannelTranscriptEmail", "omnichannelTranscriptPDF",
                "omnichannelHideConversationAfterClosing", "notifyCalendarEvents", "enableMobileRinging",
                "mentionsWithSymbol", "desktopNotificationRequireInteraction")) {
            t.put(key, "boolean");
        }
        t.put("highlights", "array");
        return Map.copyOf(t);
    }
}
