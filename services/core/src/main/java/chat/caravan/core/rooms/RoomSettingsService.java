package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.core.Caller;
import chat.caravan.core.avatars.AvatarService;
import chat.caravan.core.messages.MessageWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's saveRoomSettings: every setting named is validated first (permissions, allowed values), then each is
 * saved with the system message Rocket.Chat posts for it. Used by rooms.saveRoomSettings and the DDP method.
 */
@Component
public class RoomSettingsService {

    static final List<String> SETTINGS = List.of("roomAvatar", "featured", "roomName", "roomTopic", "roomAnnouncement",
            "roomCustomFields", "roomDescription", "roomType", "readOnly", "reactWhenReadOnly", "systemMessages", "default",
            "joinCode", "retentionEnabled", "retentionMaxAge", "retentionExcludePinned", "retentionFilesOnly",
            "retentionIgnoreThreads", "retentionOverrideGlobal", "encrypted", "favorite", "sidepanel");
    private static final Set<String> SIDEPANEL_ITEMS = Set.of("channels", "discussions");

    private final RoomStore store;
    private final RoomNames names;
    private final MessageWriter messages;
    private final Authorization authorization;
    private final AvatarService avatars;

    public RoomSettingsService(RoomStore store, RoomNames names, MessageWriter messages, Authorization authorization,
            AvatarService avatars) {
        this.avatars = avatars;
        this.store = store;
        this.names = names;
        this.messages = messages;
        this.authorization = authorization;
    }

    /** Saves the settings named in {@code body} (other keys: {@code rid}) and answers the room as it is now. */
    public Document save(Caller caller, String rid, JsonNode body) {
        if (rid == null || rid.isBlank()) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "saveRoomSettings"));
        }
        Document settings = new Document();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!"rid".equals(field.getKey())) {
                settings.append(field.getKey(), bson(field.getValue()));
            }
        }
        if (!SETTINGS.containsAll(settings.keySet())) {
            throw CaravanException.coded("error-invalid-settings", "Invalid settings provided", Map.of("method", "saveRoomSettings"));
        }
        Document room = store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "saveRoomSettings"));
        }
        String type = room.getString(RoomFields.TYPE);
        if (!authorization.hasPermission(caller.id(), "edit-room", rid)) {
            if (!(settings.containsKey("encrypted") && RoomFields.DIRECT.equals(type))) {
                throw CaravanException.coded("error-action-not-allowed", "Editing room is not allowed",
                        Map.of("method", "saveRoomSettings", "action", "Editing_room"));
            }
            settings = new Document("encrypted", settings.get("encrypted"));
        }
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.BROADCAST))
                && (Boolean.TRUE.equals(settings.get("readOnly")) || Boolean.TRUE.equals(settings.get("reactWhenReadOnly")))) {
            throw CaravanException.coded("error-action-not-allowed",
                    "Editing readOnly/reactWhenReadOnly are not allowed for broadcast rooms", Map.of("method", "saveRoomSettings"));
        }
        if (Boolean.FALSE.equals(settings.get("retentionOverrideGlobal"))) {
            List.of("retentionMaxAge", "retentionExcludePinned", "retentionFilesOnly", "retentionIgnoreThreads")
                    .forEach(settings::remove);
        }
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            validate(caller, room, setting.getKey(), setting.getValue());
        }
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            apply(caller, store.room(rid), setting.getKey(), setting.getValue());
        }
        return store.room(rid);
    }

    private void validate(Caller caller, Document room, String setting, Object value) {
        String rid = room.getString(RoomFields.ID);
        switch (setting) {
            case "default", "featured" -> {
                if (!authorization.hasPermission(caller.id(), "view-room-administration")) {
                    throw notAllowed("Viewing room administration is not allowed");
                }
            }
            case "sidepanel" -> {
                if (!Boolean.TRUE.equals(room.getBoolean(RoomFields.TEAM_MAIN))) {
                    throw notAllowed("Invalid room");
                }
                if (!authorization.hasPermission(caller.id(), "edit-team", rid)) {
                    throw notAllowed("You do not have permission to change sidepanel items");
                }
                if (!validSidepanel(value)) {
                    throw CaravanException.coded("error-invalid-sidepanel", null);
                }
            }
            case "roomType" -> {
                if (value != null && !value.equals(room.getString(RoomFields.TYPE))) {
                    if (RoomFields.CHANNEL.equals(value) && !authorization.hasPermission(caller.id(), "create-c")) {
                        throw notAllowed("Changing a private group to a public channel is not allowed");
                    }
                    if (RoomFields.PRIVATE_GROUP.equals(value) && !authorization.hasPermission(caller.id(), "create-p")) {
                        throw notAllowed("Changing a public channel to a private room is not allowed");
                    }
                }
            }
            case "encrypted" -> {
                if (Boolean.TRUE.equals(value) != Boolean.TRUE.equals(room.getBoolean(RoomFields.ENCRYPTED))) {
                    String type = room.getString(RoomFields.TYPE);
                    if (!RoomFields.PRIVATE_GROUP.equals(type) && !RoomFields.DIRECT.equals(type)) {
                        throw notAllowed("Only groups or direct channels can enable encryption");
                    }
                    if (!RoomFields.DIRECT.equals(type) && !authorization.hasPermission(caller.id(), "toggle-room-e2e-encryption", rid)) {
                        throw notAllowed("You do not have permission to toggle E2E encryption");
                    }
                }
            }
            case "retentionEnabled", "retentionMaxAge", "retentionExcludePinned", "retentionFilesOnly", "retentionIgnoreThreads" -> {
                Document retention = room.get("retention", Document.class);
                String key = Character.toLowerCase(setting.charAt(9)) + setting.substring(10);
                boolean unchanged = retention != null && java.util.Objects.equals(retention.get(key), value);
                if (!unchanged && !authorization.hasPermission(caller.id(), "edit-room-retention-policy", rid)) {
                    throw notAllowed("Editing room retention policy is not allowed");
                }
            }
            case "roomAvatar" -> {
                if (!authorization.hasPermission(caller.id(), "edit-room-avatar", rid)) {
                    throw notAllowed("Editing a room avatar is not allowed");
                }
            }
            default -> {
            }
        }
    }

    private void apply(Caller caller, Document room, String setting, Object value) {
        String rid = room.getString(RoomFields.ID);
        switch (setting) {
            case "roomName" -> saveName(caller, room, value == null ? null : value.toString());
            case "roomTopic" -> saveText(caller, room, RoomFields.TOPIC, value, "room_changed_topic");
            case "roomAnnouncement" -> saveText(caller, room, RoomFields.ANNOUNCEMENT, value, "room_changed_announcement");
            case "roomDescription" -> saveText(caller, room, RoomFields.DESCRIPTION, value, "room_changed_description");
            case "sidepanel" -> set(rid, Updates.set(RoomFields.SIDEPANEL, value));
            case "roomCustomFields" -> {
                if (!(value instanceof Document)) {
                    throw CaravanException.coded("invalid-room", "Invalid room", Map.of("function", "RocketChat.saveRoomCustomFields"));
                }
                set(rid, Updates.set(RoomFields.CUSTOM_FIELDS, value));
            }
            case "roomType" -> saveType(caller, room, value);
            case "readOnly" -> {
                boolean readOnly = Boolean.TRUE.equals(value);
                if (readOnly != Boolean.TRUE.equals(room.getBoolean(RoomFields.READ_ONLY))) {
                    set(rid, Updates.set(RoomFields.READ_ONLY, readOnly));
                    messages.insertSystemMessage(room, readOnly ? "room-set-read-only" : "room-removed-read-only", "",
                            caller.user(), null);
                }
            }
            case "reactWhenReadOnly" -> {
                boolean react = Boolean.TRUE.equals(value);
                if (!java.util.Objects.equals(value, room.get(RoomFields.REACT_WHEN_READ_ONLY))) {
                    set(rid, Updates.set(RoomFields.REACT_WHEN_READ_ONLY, react));
                    messages.insertSystemMessage(room, react ? "room-allowed-reacting" : "room-disallowed-reacting", "",
                            caller.user(), null);
                }
            }
            case "systemMessages" -> {
                if (value != null && !(value instanceof List<?> list && list.stream().allMatch(String.class::isInstance))) {
                    throw CaravanException.coded("invalid-room", "Invalid option", Map.of("function", "RocketChat.saveRoomSystemMessages"));
                }
                set(rid, Updates.set(RoomFields.SYSTEM_MESSAGES, value));
            }
            case "joinCode" -> set(rid, Updates.set(RoomFields.JOIN_CODE, String.valueOf(value)));
            case "default" -> set(rid, Updates.set(RoomFields.DEFAULT, Boolean.TRUE.equals(value)));
            case "featured" -> set(rid, Updates.set(RoomFields.FEATURED, Boolean.TRUE.equals(value)));
            case "retentionEnabled", "retentionMaxAge", "retentionExcludePinned", "retentionFilesOnly", "retentionIgnoreThreads",
                    "retentionOverrideGlobal" -> set(rid, Updates.set("retention."
                    + Character.toLowerCase(setting.charAt(9)) + setting.substring(10), value));
            case "encrypted" -> {
                boolean encrypted = Boolean.TRUE.equals(value);
                boolean changed = encrypted != Boolean.TRUE.equals(room.getBoolean(RoomFields.ENCRYPTED));
                set(rid, Updates.set(RoomFields.ENCRYPTED, encrypted));
                if (changed) {
                    messages.insertSystemMessage(room, encrypted ? "room_e2e_enabled" : "room_e2e_disabled", caller.username(),
                            caller.user(), null);
                }
            }
            case "favorite" -> {
                Document favorite = value instanceof Document d ? d : new Document();
                boolean marked = Boolean.TRUE.equals(favorite.get("favorite")) && Boolean.TRUE.equals(favorite.get("defaultValue"));
                set(rid, marked ? Updates.set(RoomFields.FAVORITE, true) : Updates.unset(RoomFields.FAVORITE));
            }
            case "roomAvatar" -> saveAvatar(room, value);
            default -> {
            }
        }
    }

    /** Rocket.Chat's saveRoomName: a discussion changes only its display name; other rooms get a new unique name. */
    private void saveName(Caller caller, Document room, String displayName) {
        String rid = room.getString(RoomFields.ID);
        if (RoomFields.DIRECT.equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("function", "RocketChat.saveRoomdisplayName"));
        }
        if (displayName == null || displayName.isBlank() || displayName.equals(room.getString(RoomFields.NAME))) {
            return;
        }
        Date now = new Date();
        Bson filter = Filters.eq(SubscriptionFields.ROOM_ID, rid);
        if (room.getString(RoomFields.PARENT_ROOM_ID) != null) {
            set(rid, Updates.set(RoomFields.FNAME, displayName));
            store.subscriptions().updateMany(filter, Updates.combine(Updates.set(SubscriptionFields.FNAME, displayName),
                    Updates.set(SubscriptionFields.UPDATED_AT, now)));
        } else {
            String name = names.valid(displayName, rid);
            if (store.users().find(Filters.regex("username", "^" + java.util.regex.Pattern.quote(name) + "$", "i")).first() != null
                    || store.teams().find(Filters.and(Filters.regex("name", "^" + java.util.regex.Pattern.quote(name) + "$", "i"),
                    Filters.ne("roomId", rid))).first() != null) {
                throw CaravanException.coded("error-duplicate-handle", "A room, team or user with name '" + name + "' already exists",
                        Map.of("function", "RocketChat.updateRoomName", "handle", name));
            }
            set(rid, Updates.combine(Updates.set(RoomFields.NAME, name), Updates.set(RoomFields.FNAME, displayName)));
            store.subscriptions().updateMany(filter, Updates.combine(Updates.set(SubscriptionFields.NAME, name),
                    Updates.set(SubscriptionFields.FNAME, displayName), Updates.set(SubscriptionFields.ALERT, true),
                    Updates.set(SubscriptionFields.UPDATED_AT, now)));
            // discussions show their parent's name as topic
            store.rooms().updateMany(Filters.and(Filters.eq(RoomFields.PARENT_ROOM_ID, rid),
                    Filters.eq(RoomFields.TOPIC, room.getString(RoomFields.NAME))), Updates.set(RoomFields.TOPIC, displayName));
            if (Boolean.TRUE.equals(room.getBoolean(RoomFields.TEAM_MAIN)) && room.getString(RoomFields.TEAM_ID) != null) {
                store.teams().updateOne(Filters.eq("_id", room.getString(RoomFields.TEAM_ID)), Updates.combine(
                        Updates.set("name", name), Updates.set("_updatedAt", now)));
            }
        }
        messages.insertSystemMessage(room, "r", displayName, caller.user(), null);
    }

    private void saveText(Caller caller, Document room, String field, Object value, String messageType) {
        String text = value == null ? null : value.toString();
        String current = room.getString(field);
        if ((text == null || text.isEmpty()) && (current == null || current.isEmpty())) {
            return;
        }
        if (!java.util.Objects.equals(text, current)) {
            set(room.getString(RoomFields.ID), Updates.set(field, text));
            messages.insertSystemMessage(room, messageType, text == null ? "" : text, caller.user(), null);
        }
    }

    private void saveType(Caller caller, Document room, Object value) {
        String rid = room.getString(RoomFields.ID);
        if (value == null || value.equals(room.getString(RoomFields.TYPE))) {
            return;
        }
        if (!RoomFields.CHANNEL.equals(value) && !RoomFields.PRIVATE_GROUP.equals(value)) {
            throw CaravanException.coded("error-invalid-room-type", "error-invalid-room-type", Map.of("type", value.toString()));
        }
        String type = room.getString(RoomFields.TYPE);
        if (!RoomFields.CHANNEL.equals(type) && !RoomFields.PRIVATE_GROUP.equals(type)) {
            throw CaravanException.coded("error-direct-room", "Can't change type of direct rooms");
        }
        Date now = new Date();
        set(rid, Updates.set(RoomFields.TYPE, value));
        store.subscriptions().updateMany(Filters.eq(SubscriptionFields.ROOM_ID, rid), Updates.combine(
                Updates.set(SubscriptionFields.TYPE, value), Updates.set(SubscriptionFields.UPDATED_AT, now)));
        messages.insertSystemMessage(room, "room_changed_privacy", RoomFields.CHANNEL.equals(value) ? "public" : "private",
                caller.user(), null);
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.TEAM_MAIN)) && room.getString(RoomFields.TEAM_ID) != null) {
            store.teams().updateOne(Filters.eq("_id", room.getString(RoomFields.TEAM_ID)), Updates.combine(
                    Updates.set("type", RoomFields.CHANNEL.equals(value) ? 0 : 1), Updates.set("_updatedAt", now)));
        }
    }

    /** A data URI image kept as the room's avatar ({@code rocketchat_avatars}), its new etag on the room. */
    private void saveAvatar(Document room, Object value) {
        String rid = room.getString(RoomFields.ID);
        if (value == null || "".equals(value)) {
            avatars.resetRoomAvatar(rid);
            set(rid, Updates.unset("avatarETag"));
            return;
        }
        String uri = value.toString();
        java.util.regex.Matcher data = java.util.regex.Pattern.compile("^data:(image/[\\w.+-]+);base64,(.+)$", java.util.regex.Pattern.DOTALL)
                .matcher(uri);
        byte[] image;
        try {
            image = data.matches() ? Base64.getMimeDecoder().decode(data.group(2)) : null;
        } catch (IllegalArgumentException e) {
            image = null;
        }
        if (image == null || image.length == 0) {
            throw CaravanException.coded("error-invalid-image", "Invalid image", Map.of("method", "setRoomAvatar"));
        }
        set(rid, Updates.set("avatarETag", avatars.setRoomAvatar(rid, image, data.group(1))));
    }

    private void set(String rid, Bson change) {
        store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(change, Updates.set(RoomFields.UPDATED_AT, new Date())));
    }

    /** Rocket.Chat's isValidSidepanel: {@code {items: [...]}} of at most two distinct known items. */
    static boolean validSidepanel(Object value) {
        if (!(value instanceof Document sidepanel) || !(sidepanel.get("items") instanceof List<?> items)) {
            return false;
        }
        if (items.isEmpty() || items.size() > 2) {
            return false;
        }
        Set<Object> seen = new HashSet<>(new ArrayList<>(items));
        return seen.size() == items.size() && items.stream().allMatch(SIDEPANEL_ITEMS::contains);
    }

    /** A JSON value as BSON stores it: objects as documents, arrays as lists. */
    static Object bson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Document document = new Document();
            node.fields().forEachRemaining(field -> document.append(field.getKey(), bson(field.getValue())));
            return document;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(bson(item)));
            return list;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.asInt() : (Object) node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asText();
    }

    private static CaravanException notAllowed(String reason) {
        return CaravanException.coded("error-action-not-allowed", reason, Map.of("method", "saveRoomSettings"));
    }
}
