package chat.caravan.core.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.Caller;
import chat.caravan.core.avatars.AvatarEndpoints;
import chat.caravan.core.directory.Spotlight;
import chat.caravan.core.embed.UrlPreviews;
import chat.caravan.core.messages.MessageService;
import chat.caravan.core.messages.ThreadService;
import chat.caravan.core.rooms.DirectRooms;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomLookup;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import chat.caravan.core.users.UserPreferences;
import chat.caravan.core.settings.SettingsEndpoints;
import chat.caravan.core.subscriptions.SubscriptionEndpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The DDP methods core owns ({@code core.method} on the bus, and the {@code method.call} REST tunnel), run by the
 * same services as the REST endpoints. Parameters and results are EJSON, as DDP carries them.
 */
@Component("coreMethods")
public class CoreMethods {

    private final MongoDatabase database;
    private final RoomStore store;
    private final RoomService rooms;
    private final DirectRooms directs;
    private final MessageService messages;
    private final SubscriptionEndpoints subscriptions;
    private final SettingsEndpoints settings;
    private final Authorization authorization;
    private final ThreadService threads;
    private final Spotlight spotlight;
    private final UserPreferences preferences;
    private final RoomMethods roomMethods;
    private final AvatarEndpoints avatars;
    private final MobileMethods mobile;
    private final UrlPreviews urlPreviews;

    public CoreMethods(MongoDatabase database, RoomStore store, RoomService rooms, DirectRooms directs,
            MessageService messages, SubscriptionEndpoints subscriptions, SettingsEndpoints settings,
            Authorization authorization, ThreadService threads, Spotlight spotlight, UserPreferences preferences,
            RoomMethods roomMethods, AvatarEndpoints avatars, MobileMethods mobile, UrlPreviews urlPreviews) {
        this.urlPreviews = urlPreviews;
        this.mobile = mobile;
        this.preferences = preferences;
        this.avatars = avatars;
        this.threads = threads;
        this.spotlight = spotlight;
        this.roomMethods = roomMethods;
        this.database = database;
        this.store = store;
        this.rooms = rooms;
        this.directs = directs;
        this.messages = messages;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.authorization = authorization;
    }

    /** {@code core.method}: {method, params, userId, connectionId} -> the method's result. */
    public Object call(JsonNode request) {
        String method = request.path("method").asText("");
        JsonNode params = request.path("params").isArray() ? request.get("params") : JsonNodeFactory.instance.arrayNode();
        String userId = request.hasNonNull("userId") ? request.get("userId").asText() : null;
        return call(method, params, userId);
    }

    public Object call(String method, JsonNode params, String userId) {
        if ("public-settings/get".equals(method)) {
            return publicSettings(params.path(0));
        }
        if (userId == null && MobileMethods.ANONYMOUS.contains(method)) {
            return mobile.call(method, params, null);
        }
        Caller caller = caller(userId, method);
        JsonNode first = params.path(0);
        return switch (method) {
            case "sendMessage" -> {
                if (!first.isObject() || !first.path("rid").isTextual()) {
                    throw CaravanException.invalidParams("Match error: the message needs a rid");
                }
                yield messages.sendMessage(caller, first.get("rid").asText(), first, null);
            }
            case "updateMessage" -> {
                messages.update(caller, text(first.path("rid")), text(first.path("_id")), text(first.path("msg")),
                        first.get(MessageFields.ATTACHMENTS), first.get(MessageFields.CUSTOM_FIELDS));
                yield null;
            }
            case "deleteMessage" -> {
                messages.delete(caller, null, text(first.path("_id")));
                yield null;
            }
            case "loadHistory" -> loadHistory(caller, params);
            case "getRoomRoles" -> roomRoles(caller, text(first));
            case "saveUserPreferences" -> {
                preferences.save(caller.id(), first);
                yield true;
            }
            case "rooms/get" -> {
                Map<String, Object> found = subscriptions.roomsOf(caller.id(), dateParam(first));
                yield first.isMissingNode() || first.isNull() ? found.get("update") : found;
            }
            case "subscriptions/get" -> {
                Map<String, Object> found = subscriptions.subscriptionsOf(caller.id(), dateParam(first));
                yield first.isMissingNode() || first.isNull() ? found.get("update") : found;
            }
            case "readMessages" -> {
                subscriptions.markRead(caller.id(), text(first));
                yield null;
            }
            case "joinRoom" -> {
                Document room = requireRoom(text(first));
                if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
                    throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "joinRoom"));
                }
                rooms.join(caller, room, params.path(1).isTextual() ? params.path(1).asText() : null);
                yield true;
            }
            case "leaveRoom" -> {
                Document room = requireRoom(text(first));
                rooms.leave(caller, room, RoomFields.PRIVATE_GROUP.equals(room.getString(RoomFields.TYPE)) ? RoomKind.GROUP : RoomKind.CHANNEL);
                yield null;
            }
            case "createChannel", "createPrivateGroup" -> create(caller, method.equals("createChannel") ? RoomKind.CHANNEL : RoomKind.GROUP, params);
            case "createDirectMessage" -> createDirect(caller, params);
            case "setReaction" -> {
                Boolean shouldReact = params.path(2).isBoolean() ? params.get(2).asBoolean() : null;
                messages.react(caller, text(params.path(1)), text(first), shouldReact);
                yield true;
            }
            case "getUsersOfRoom" -> usersOfRoom(caller, params);
            case "followMessage" -> {
                threads.follow(caller, text(first.path("mid")));
                yield null;
            }
            case "unfollowMessage" -> {
                threads.unfollow(caller, text(first.path("mid")));
                yield null;
            }
            case "setAvatarFromService" -> avatars.setAvatarFromService(caller, params);
            case "resetAvatar" -> avatars.resetAvatar(caller, params);
            case "OEmbedCacheCleanup" -> {
                // the administration's "clear cache now" (API_Embed_clear_cache_now): what the daily cleanup does, now
                if (!authorization.hasPermission(caller.id(), "clear-oembed-cache")) {
                    throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", method));
                }
                urlPreviews.removeExpired();
                yield Map.of("message", "cache_cleared");
            }
            case "spotlight" -> spotlight.search(caller, first.isTextual() ? first.asText() : "",
                    params.path(2).path("users").asBoolean(true), params.path(2).path("rooms").asBoolean(true));
            default -> mobile.handles(method) ? mobile.call(method, params, caller) : roomMethods.call(method, params, caller);
        };
    }

    private Object loadHistory(Caller caller, JsonNode params) {
        String rid = text(params.path(0));
        if (store.room(rid) == null || !authorization.canReadRoom(caller.id(), rid)) {
            return false;
        }
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq("rid", rid), Filters.ne("_hidden", true)));
        java.time.Instant end = CaravanJson.toInstant(params.path(1));
        if (end != null) {
            filter.add(Filters.lt("ts", java.util.Date.from(end)));
        }
        int limit = params.path(2).isNumber() ? Math.min(params.get(2).asInt(), 500) : 20;
        boolean threads = !params.path(4).isBoolean() || params.get(4).asBoolean();
        if (!threads) {
            filter.add(Filters.or(Filters.exists("tmid", false), Filters.eq("tshow", true)));
        }
        List<Document> found = store.messages().find(Filters.and(filter)).sort(new Document("ts", -1)).limit(limit)
                .into(new ArrayList<>());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("messages", found);
        result.put("unreadNotLoaded", 0);
        return result;
    }

    private Object roomRoles(Caller caller, String rid) {
        if (!authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "getRoomRoles"));
        }
        return store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                Filters.exists(SubscriptionFields.ROLES + ".0")))
                .projection(new Document("rid", 1).append("u", 1).append("roles", 1)).sort(new Document("u.username", 1))
                .into(new ArrayList<>());
    }

    private Object create(Caller caller, RoomKind kind, JsonNode params) {
        if (!authorization.hasPermission(caller.id(), kind.createPermission)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", kind == RoomKind.CHANNEL
                    ? "createChannel" : "createPrivateGroup"));
        }
        List<String> members = new ArrayList<>();
        params.path(1).forEach(m -> members.add(m.asText()));
        Document room = rooms.create(caller, kind, text(params.path(0)), members, params.path(2).asBoolean(false), false);
        Document created = RoomLookup.view(store.room(room.getString("_id")));
        created.put("rid", room.getString("_id"));
        created.put("inserted", true);
        return created;
    }

    private Object createDirect(Caller caller, JsonNode params) {
        List<Document> others = new ArrayList<>();
        for (JsonNode username : params) {
            Document user = store.users().find(Filters.eq(UserFields.USERNAME, username.asText())).first();
            if (user == null) {
                throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", "createDirectMessage"));
            }
            others.add(user);
        }
        Document room = directs.open(caller, others, false);
        Document result = new Document("rid", room.getString("_id")).append("_id", room.getString("_id"))
                .append("t", "d").append("usernames", room.get(RoomFields.USERNAMES));
        return result;
    }

    private Object usersOfRoom(Caller caller, JsonNode params) {
        String rid = text(params.path(0));
        if (!authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "getUsersOfRoom"));
        }
        boolean showAll = params.path(1).asBoolean(false);
        int limit = params.path(2).path("limit").asInt(100);
        int skip = params.path(2).path("skip").asInt(0);
        List<String> ids = store.subscriptions().find(Filters.eq(SubscriptionFields.ROOM_ID, rid))
                .map(s -> s.get("u", Document.class).getString("_id")).into(new ArrayList<>());
        Bson filter = showAll ? Filters.in("_id", ids)
                : Filters.and(Filters.in("_id", ids), Filters.in(UserFields.STATUS, "online", "away", "busy"));
        List<Document> records = store.users().find(filter).projection(new Document("username", 1).append("name", 1)
                .append("status", 1).append("statusText", 1).append("utcOffset", 1)).skip(skip).limit(Math.min(limit, 500))
                .into(new ArrayList<>());
        return Map.of("total", store.users().countDocuments(filter), "records", records);
    }

    private Object publicSettings(JsonNode updatedAt) {
        List<Document> all = settings.publicList();
        return updatedAt.isMissingNode() || updatedAt.isNull() ? all : Map.of("update", all, "remove", List.of());
    }

    private Caller caller(String userId, String method) {
        if (userId == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", method));
        }
        try {
            return Caller.byId(userId, database);
        } catch (CaravanException e) {
            throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", method));
        }
    }

    private Document requireRoom(String rid) {
        Document room = store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room");
        }
        return room;
    }

    private static String dateParam(JsonNode value) {
        java.time.Instant instant = value == null || value.isMissingNode() || value.isNull() ? null : CaravanJson.toInstant(value);
        return instant == null ? null : instant.toString();
    }

    private static String text(JsonNode value) {
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw CaravanException.invalidParams("Match error: expected a string");
        }
        return value.asText();
    }
}
