package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.messages.MessageWriter;
import chat.caravan.core.users.UserLookup;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The rooms.* endpoints that act on one room of any type (info, membership, favourite, notifications, history,
 * muting, deletion, settings). Lists and searches are in {@link RoomSearchEndpoints}.
 */
@Component("anyRoomEndpoints")
public class AnyRoomEndpoints {

    private static final List<String> NOTIFICATION_FIELDS = List.of("desktopNotifications", "mobilePushNotifications",
            "emailNotifications", "unreadAlert", "disableNotifications", "hideUnreadStatus", "hideMentionStatus",
            "muteGroupMentions", "audioNotificationValue");
    private static final List<String> BASIC_NOTIFICATION_VALUES = List.of("all", "mentions", "nothing", "default");

    private final RoomStore store;
    private final chat.caravan.core.files.StoredFiles storedFiles;
    private final RoomService rooms;
    private final RoomSettingsService roomSettings;
    private final RoomExport export;
    private final MessageWriter messages;
    private final UserLookup users;
    private final Authorization authorization;
    private final RestAuth auth;
    private final MongoDatabase database;

    public AnyRoomEndpoints(RoomStore store, RoomService rooms, RoomSettingsService roomSettings, RoomExport export,
            MessageWriter messages, UserLookup users, Authorization authorization, RestAuth auth, MongoDatabase database,
            chat.caravan.core.files.StoredFiles storedFiles) {
        this.export = export;
        this.storedFiles = storedFiles;
        this.store = store;
        this.rooms = rooms;
        this.roomSettings = roomSettings;
        this.messages = messages;
        this.users = users;
        this.authorization = authorization;
        this.auth = auth;
        this.database = database;
    }

    /** The room {@code roomId} or {@code roomName} names, as Rocket.Chat's findRoomByIdOrName finds it. */
    Document byIdOrName(Params params, boolean refuseArchived) {
        String roomId = params.text("roomId");
        String roomName = params.text("roomName");
        if (blank(roomId) && blank(roomName)) {
            throw CaravanException.coded("error-roomid-param-not-provided", "The parameter \"roomId\" or \"roomName\" is required");
        }
        Document room = !blank(roomId) ? store.room(roomId) : store.rooms().find(Filters.eq(RoomFields.NAME, roomName)).first();
        if (room == null) {
            throw CaravanException.coded("error-room-not-found",
                    "The required \"roomId\" or \"roomName\" param provided does not match any channel");
        }
        if (refuseArchived && Boolean.TRUE.equals(room.getBoolean(RoomFields.ARCHIVED))) {
            throw CaravanException.coded("error-room-archived", "The channel, " + room.getString(RoomFields.NAME) + ", is archived");
        }
        return room;
    }

    public void info(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = byIdOrName(params, true);
        if (!authorization.canAccessRoom(caller.id(), room.getString(RoomFields.ID))) {
            throw CaravanException.coded("not-allowed", "Not Allowed");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("room", Projection.apply(RoomLookup.view(room), Projection.parse(params.text("fields"))));
        Document parent = null;
        String prid = room.getString(RoomFields.PARENT_ROOM_ID);
        if (prid != null) {
            parent = store.rooms().find(Filters.eq(RoomFields.ID, prid)).projection(new Document("name", 1).append("fname", 1)
                    .append("t", 1).append("prid", 1).append("u", 1).append("sidepanel", 1)).first();
        }
        Document team = store.team(room.getString(RoomFields.TEAM_ID));
        if (team != null) {
            reply.put("team", new Document("_id", team.get("_id")).append("name", team.get("name"))
                    .append("roomId", team.get("roomId")).append("type", team.get("type")));
            if (parent == null && !Boolean.TRUE.equals(room.getBoolean(RoomFields.TEAM_MAIN))) {
                parent = store.rooms().find(Filters.eq(RoomFields.ID, team.getString("roomId"))).projection(new Document("name", 1)
                        .append("fname", 1).append("t", 1).append("sidepanel", 1)).first();
            }
        }
        if (parent != null) {
            reply.put("parent", parent);
        }
        RestReplies.ok(exchange, reply);
    }

    public void nameExists(Exchange exchange) {
        Caller.of(exchange, auth, database);
        String roomName = Params.of(exchange).text("roomName");
        if (blank(roomName)) {
            throw CaravanException.invalidParams("must have required property 'roomName'");
        }
        RestReplies.ok(exchange, Map.of("exists", store.rooms().find(Filters.eq(RoomFields.NAME, roomName)).first() != null));
    }

    public void isMember(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        String userId = params.text("userId");
        String username = params.text("username");
        if (blank(roomId)) {
            throw CaravanException.invalidParams("must have required property 'roomId'");
        }
        if (blank(userId) && blank(username)) {
            throw CaravanException.invalidParams("must have required property 'userId'");
        }
        Document room = byIdOrName(params, true);
        Document user = !blank(userId) ? users.byId(userId) : users.find(null, username, null);
        if (user == null) {
            throw CaravanException.plain("error-user-not-found");
        }
        if (!authorization.canAccessRoom(caller.id(), room.getString(RoomFields.ID))) {
            throw CaravanException.forbidden("unauthorized");
        }
        RestReplies.ok(exchange, Map.of("isMember", store.subscription(room.getString(RoomFields.ID), user.getString("_id")) != null));
    }

    public void leave(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = byIdOrName(Params.of(exchange), true);
        String type = room.getString(RoomFields.TYPE);
        if (!RoomFields.CHANNEL.equals(type) && !RoomFields.PRIVATE_GROUP.equals(type)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "leaveRoom"));
        }
        rooms.leave(caller, room, RoomFields.PRIVATE_GROUP.equals(type) ? RoomKind.GROUP : RoomKind.CHANNEL);
        RestReplies.ok(exchange, Map.of());
    }

    public void favorite(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        if (params.node("favorite") == null) {
            throw CaravanException.plain("The 'favorite' param is required");
        }
        Boolean favorite = params.bool("favorite");
        Document room = byIdOrName(params, true);
        Document subscription = store.subscription(room.getString(RoomFields.ID), caller.id());
        if (subscription == null) {
            throw CaravanException.coded("error-invalid-subscription", "You must be part of a room to favorite it");
        }
        Bson change = favorite == null ? Updates.unset(SubscriptionFields.FAVORITE) : Updates.set(SubscriptionFields.FAVORITE, favorite);
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(change,
                Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
        RestReplies.ok(exchange, Map.of());
    }

    /** Each notification preference of the caller's membership: a value and its origin, or unset for default. */
    public void saveNotification(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        if (blank(roomId)) {
            throw CaravanException.plain("The 'roomId' param is required");
        }
        JsonNode notifications = params.node("notifications");
        if (notifications == null || !notifications.isObject() || notifications.isEmpty()) {
            throw CaravanException.plain("The 'notifications' param is required");
        }
        List<Bson> changes = new ArrayList<>();
        for (var it = notifications.fields(); it.hasNext(); ) {
            var entry = it.next();
            String field = entry.getKey();
            if (!NOTIFICATION_FIELDS.contains(field)) {
                throw CaravanException.coded("error-invalid-settings", "Invalid settings field");
            }
            if (!entry.getValue().isTextual()) {
                throw CaravanException.invalidParams("Match error: Expected string, got " + entry.getValue().getNodeType());
            }
            String value = entry.getValue().asText();
            changes.add(notificationChange(field, value));
        }
        Document subscription = store.subscription(roomId, caller.id());
        if (subscription == null) {
            throw CaravanException.coded("error-invalid-subscription", "Invalid subscription");
        }
        changes.add(Updates.set(SubscriptionFields.UPDATED_AT, new Date()));
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(changes));
        RestReplies.ok(exchange, Map.of());
    }

    private static Bson notificationChange(String field, String value) {
        String origin = switch (field) {
            case "desktopNotifications" -> "desktopPrefOrigin";
            case "mobilePushNotifications" -> "mobilePrefOrigin";
            case "emailNotifications" -> "emailPrefOrigin";
            default -> null;
        };
        if (origin != null) {
            if (!BASIC_NOTIFICATION_VALUES.contains(value)) {
                throw CaravanException.coded("error-invalid-settings", "Invalid settings value");
            }
            return "default".equals(value) ? Updates.combine(Updates.unset(field), Updates.unset(origin))
                    : Updates.combine(Updates.set(field, value), Updates.set(origin, "subscription"));
        }
        return switch (field) {
            case "unreadAlert" -> Updates.set(field, value);
            case "audioNotificationValue" -> "default".equals(value) ? Updates.unset(field) : Updates.set(field, value);
            default -> Updates.set(field, "1".equals(value));
        };
    }

    public void cleanHistory(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = byIdOrName(params, true);
        String rid = room.getString(RoomFields.ID);
        if (!authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-not-allowed", "User does not have access to the room");
        }
        String latest = params.text("latest");
        String oldest = params.text("oldest");
        if (blank(latest)) {
            throw CaravanException.plain("Body parameter \"latest\" is required.");
        }
        if (blank(oldest)) {
            throw CaravanException.plain("Body parameter \"oldest\" is required.");
        }
        if (!authorization.hasPermission(caller.id(), "clean-channel-history", rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "cleanRoomHistory"));
        }
        HistoryCleaning cleaning = new HistoryCleaning(rid, date(latest, "latest"), date(oldest, "oldest"),
                truthy(params.node("inclusive")), limit(params.node("limit")), truthy(params.node("excludePinned")),
                truthy(params.node("filesOnly")), truthy(params.node("ignoreThreads")),
                truthy(params.node("ignoreDiscussion")), usernames(params.node("users")));
        RestReplies.ok(exchange, Map.of("_id", rid, "count", clean(cleaning)));
    }

    record HistoryCleaning(String rid, Date latest, Date oldest, boolean inclusive, int limit, boolean excludePinned,
            boolean filesOnly, boolean ignoreThreads, boolean ignoreDiscussion, List<String> fromUsers) {
    }

    /** Rocket.Chat's cleanRoomHistory: hidden copies and deleted-message markers are neither removed nor counted. */
    int clean(HistoryCleaning cleaning) {
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(MessageFields.ROOM_ID, cleaning.rid()),
                cleaning.inclusive() ? Filters.gte(MessageFields.TS, cleaning.oldest()) : Filters.gt(MessageFields.TS, cleaning.oldest()),
                cleaning.inclusive() ? Filters.lte(MessageFields.TS, cleaning.latest()) : Filters.lt(MessageFields.TS, cleaning.latest()),
                Filters.ne(MessageFields.HIDDEN, true), Filters.ne(MessageFields.TYPE, "rm")));
        if (cleaning.excludePinned()) {
            filter.add(Filters.ne(MessageFields.PINNED, true));
        }
        if (cleaning.ignoreThreads()) {
            filter.add(Filters.exists(MessageFields.THREAD_ID, false));
        }
        if (!cleaning.fromUsers().isEmpty()) {
            filter.add(Filters.in("u.username", cleaning.fromUsers()));
        }
        if (cleaning.filesOnly()) {
            filter.add(Filters.exists("file._id", true));
        }
        if (cleaning.ignoreDiscussion()) {
            filter.add(Filters.exists(MessageFields.DISCUSSION_ID, false));
        } else {
            for (Document discussion : store.messages().find(Filters.and(Filters.and(filter),
                    Filters.exists(MessageFields.DISCUSSION_ID, true))).into(new ArrayList<>())) {
                rooms.erase(discussion.getString(MessageFields.DISCUSSION_ID));
            }
        }
        List<Object> ids = store.messages().find(Filters.and(filter)).sort(new Document(MessageFields.TS, 1))
                .limit(Math.max(cleaning.limit(), 0)).map(m -> m.get("_id")).into(new ArrayList<>());
        if (ids.isEmpty()) {
            return 0;
        }
        // the pruned messages' files go from the store too
        store.messages().find(Filters.in("_id", ids)).forEach(storedFiles::deleteFilesOf);
        if (cleaning.filesOnly()) {
            store.messages().updateMany(Filters.in("_id", ids), Updates.combine(Updates.unset("file"), Updates.unset("files"), Updates.set(
                    MessageFields.ATTACHMENTS, List.of(new Document("color", "#FD745E").append("text", "_File removed by prune_")))));
            return ids.size();
        }
        store.deleteWithTrash(store.messages(), Filters.in("_id", ids));
        store.rooms().updateOne(Filters.eq("_id", cleaning.rid()), Updates.combine(Updates.inc(RoomFields.MSGS, -ids.size()),
                Updates.set(RoomFields.UPDATED_AT, new Date())));
        messages.refreshLastMessage(cleaning.rid());
        return ids.size();
    }

    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String roomId = Params.of(exchange).text("roomId");
        if (blank(roomId)) {
            throw CaravanException.plain("The 'roomId' param is required");
        }
        erase(caller, roomId);
        RestReplies.ok(exchange, Map.of());
    }

    /** Rocket.Chat's eraseRoom: delete-c, delete-p or delete-d in the room, and a note in the team it belonged to. */
    public void erase(Caller caller, String rid) {
        Document room = store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "eraseRoom"));
        }
        String type = room.getString(RoomFields.TYPE);
        String permission = switch (type == null ? "" : type) {
            case RoomFields.CHANNEL -> "delete-c";
            case RoomFields.PRIVATE_GROUP -> "delete-p";
            case RoomFields.DIRECT -> "delete-d";
            default -> null;
        };
        if (permission == null || !authorization.hasPermission(caller.id(), permission, rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "eraseRoom"));
        }
        rooms.erase(rid);
        Document team = store.team(room.getString(RoomFields.TEAM_ID));
        Document teamMain = team == null ? null : store.room(team.getString("roomId"));
        if (teamMain != null && !teamMain.getString(RoomFields.ID).equals(rid)) {
            messages.insertSystemMessage(teamMain, "user-deleted-room-from-team", room.getString(RoomFields.NAME), caller.user(), null);
        }
    }

    public void saveRoomSettings(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String rid = params.text("rid");
        Document room = roomSettings.save(caller, rid, params.body());
        RestReplies.ok(exchange, Map.of("rid", room.getString(RoomFields.ID)));
    }

    public void export(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, export.export(caller, Params.of(exchange).body()));
    }

    public void changeArchivationState(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String rid = params.text("rid");
        Document room = store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room");
        }
        boolean archive = "archive".equals(params.text("action"));
        rooms.archive(caller, room, RoomFields.PRIVATE_GROUP.equals(room.getString(RoomFields.TYPE)) ? RoomKind.GROUP
                : RoomKind.CHANNEL, archive);
        RestReplies.ok(exchange, Map.of("result", true));
    }

    public void muteUser(Exchange exchange) {
        mute(exchange, true);
    }

    public void unmuteUser(Exchange exchange) {
        mute(exchange, false);
    }

    /**
     * Muting: in a read-only room only the {@code unmuted} may post, so muting takes a user off that list and
     * unmuting puts them on it; in any other room the {@code muted} list is the one changed.
     */
    private void mute(Exchange exchange, boolean mute) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String rid = params.text("roomId");
        if (blank(rid)) {
            throw CaravanException.invalidParams("must have required property 'roomId'");
        }
        Document user = users.fromParams(params.text("userId"), params.text("username"), null);
        setMuted(caller, rid, user, mute);
        RestReplies.ok(exchange, Map.of());
    }

    /**
     * The DDP {@code muteUserInRoom} / {@code unmuteUserInRoom}: {@code {rid, username}}, the older form of
     * rooms.muteUser the mobile app takes before 6.8.
     */
    public void setMuted(Caller caller, com.fasterxml.jackson.databind.JsonNode request, boolean mute) {
        String method = mute ? "muteUserInRoom" : "unmuteUserInRoom";
        if (!request.isObject() || !request.path("rid").isTextual() || !request.path("username").isTextual()) {
            throw CaravanException.invalidParams("Match error: expected {rid, username}");
        }
        Document user = database.getCollection(chat.caravan.common.model.Collections.USERS)
                .find(Filters.eq("username", request.get("username").asText())).first();
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", method));
        }
        setMuted(caller, request.get("rid").asText(), user, mute);
    }

    private void setMuted(Caller caller, String rid, Document user, boolean mute) {
        String method = mute ? "muteUserInRoom" : "unmuteUserInRoom";
        if (!authorization.hasPermission(caller.id(), "mute-user", rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", method));
        }
        Document room = store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", method));
        }
        String type = room.getString(RoomFields.TYPE);
        if (!RoomFields.CHANNEL.equals(type) && !RoomFields.PRIVATE_GROUP.equals(type)) {
            throw CaravanException.coded("error-invalid-room-type", type + " is not a valid room type", Map.of("method", method));
        }
        String username = user.getString("username");
        if (store.subscription(rid, user.getString("_id")) == null) {
            throw CaravanException.coded("error-user-not-in-room", "User is not in this room", Map.of("method", method));
        }
        boolean readOnly = Boolean.TRUE.equals(room.getBoolean(RoomFields.READ_ONLY));
        Bson change;
        if (readOnly) {
            change = mute ? Updates.pull(RoomFields.UNMUTED, username) : Updates.addToSet(RoomFields.UNMUTED, username);
        } else {
            change = mute ? Updates.addToSet(RoomFields.MUTED, username) : Updates.pull(RoomFields.MUTED, username);
        }
        store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(change, Updates.set(RoomFields.UPDATED_AT, new Date())));
        messages.insertSystemMessage(room, mute ? "user-muted" : "user-unmuted", username, caller.user(), null);
    }

    private static Date date(String value, String name) {
        try {
            return Date.from(java.time.Instant.parse(value));
        } catch (RuntimeException e) {
            try {
                return Date.from(java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            } catch (RuntimeException notADate) {
                throw CaravanException.invalidParams("The \"" + name + "\" parameter must be a valid date.");
            }
        }
    }

    private static boolean truthy(JsonNode value) {
        return value != null && (value.asBoolean(false) || "true".equals(value.asText()) || "1".equals(value.asText()));
    }

    private static int limit(JsonNode value) {
        return value == null || value.isNull() ? 0 : value.asInt(0);
    }

    private static List<String> usernames(JsonNode value) {
        List<String> names = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(v -> names.add(v.asText()));
        }
        return names;
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
