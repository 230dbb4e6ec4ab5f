package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.messages.MessageQueries;
import chat.caravan.core.users.UserLookup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The channels.* and groups.* REST endpoints (one instance per {@link RoomKind}, beans {@code channelEndpoints}
 * and {@code groupEndpoints}). Each call authenticates, looks the room up as Rocket.Chat does, asks authorization,
 * and hands the change to {@link RoomService}.
 */
public class RoomEndpoints {

    /** The user fields a members filter may match (of those Accounts_SearchFields names). */
    private static final Set<String> SEARCHABLE_MEMBER_FIELDS = Set.of("username", "name", "nickname", "bio");

    private final RoomKind kind;
    private final RoomStore store;
    private final RoomService rooms;
    private final RoomSettingsService roomSettings;
    private final RoomLookup lookup;
    private final MessageQueries queries;
    private final UserLookup users;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public RoomEndpoints(RoomKind kind, RoomStore store, RoomService rooms, RoomSettingsService roomSettings, RoomLookup lookup,
            MessageQueries queries, UserLookup users, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database) {
        this.roomSettings = roomSettings;
        this.kind = kind;
        this.store = store;
        this.rooms = rooms;
        this.lookup = lookup;
        this.queries = queries;
        this.users = users;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        if (!authorization.hasPermission(caller.id(), kind.createPermission)) {
            throw kind == RoomKind.CHANNEL ? CaravanException.forbidden("forbidden")
                    : new CaravanException(401, null, "unauthorized", null);
        }
        String name = params.text("name");
        if (name == null || name.isBlank()) {
            throw CaravanException.plain(kind == RoomKind.CHANNEL ? "Param \"name\" is required" : "Body param \"name\" is required");
        }
        JsonNode members = params.node("members");
        List<String> usernames = new ArrayList<>();
        if (members != null && !members.isNull()) {
            if (!members.isArray()) {
                throw CaravanException.plain("Param \"members\" must be an array if provided");
            }
            for (JsonNode member : members) {
                if (!member.isTextual()) {
                    throw CaravanException.plain("Param \"members\" must be an array of usernames");
                }
                usernames.add(member.asText());
            }
        }
        boolean readOnly = Boolean.TRUE.equals(params.bool("readOnly"));
        boolean excludeSelf = Boolean.TRUE.equals(params.bool("excludeSelf"));
        JsonNode customFields = params.node("customFields");
        if (customFields != null && !customFields.isNull() && !customFields.isObject()) {
            throw CaravanException.invalidParams("must be object 'customFields'");
        }
        JsonNode extraData = params.node("extraData");
        if (extraData != null && !extraData.isNull() && !extraData.isObject()) {
            throw CaravanException.plain("Body param \"extraData\" must be an object if provided");
        }
        Document extra = new Document(RoomFields.CUSTOM_FIELDS,
                customFields != null && customFields.isObject() ? customFieldsOf(customFields) : new Document());
        if (extraData != null && extraData.isObject()) {
            if (extraData.path(RoomFields.ENCRYPTED).isBoolean()) {
                extra.append(RoomFields.ENCRYPTED, extraData.get(RoomFields.ENCRYPTED).asBoolean());
            }
            // a teamId naming an existing team makes the room one of that team's rooms
            for (String text : List.of(RoomFields.TOPIC, RoomFields.DESCRIPTION, RoomFields.ANNOUNCEMENT, RoomFields.TEAM_ID)) {
                if (extraData.path(text).isTextual()) {
                    extra.append(text, extraData.get(text).asText());
                }
            }
        }
        Document room = rooms.create(caller, kind, name, usernames, readOnly, excludeSelf, extra);
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(store.room(room.getString("_id")))));
    }

    public void info(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = lookup.named(Params.of(exchange), kind, caller);
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(room)));
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        Bson filter;
        if (kind == RoomKind.CHANNEL && authorization.hasPermission(caller.id(), "view-c-room")) {
            filter = Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL);
        } else if (kind == RoomKind.CHANNEL && !authorization.hasPermission(caller.id(), "view-joined-room")) {
            throw CaravanException.forbidden("forbidden");
        } else {
            filter = Filters.and(Filters.eq(RoomFields.TYPE, kind.type), Filters.in("_id", joinedRoomIds(caller)));
        }
        replyPage(exchange, kind.listKey, filter, page);
    }

    public void listJoined(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        replyPage(exchange, kind.listKey, Filters.and(Filters.eq(RoomFields.TYPE, kind.type),
                Filters.in("_id", joinedRoomIds(caller))), page);
    }

    public void join(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        rooms.join(caller, room, params.text("joinCode"));
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(store.room(room.getString("_id")))));
    }

    public void leave(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = lookup.named(Params.of(exchange), kind, caller);
        rooms.leave(caller, room, kind);
        replyRoomOrSuccess(exchange, room);
    }

    public void invite(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        List<Document> targets = new ArrayList<>();
        JsonNode userIds = params.node("userIds");
        JsonNode usernames = params.node("usernames");
        if (userIds != null && userIds.isArray()) {
            userIds.forEach(id -> targets.add(requireUser(users.find(id.asText(), null, null))));
        } else if (usernames != null && usernames.isArray()) {
            usernames.forEach(name -> targets.add(requireUser(users.find(null, name.asText(), null))));
        } else {
            targets.add(users.fromParams(params.text("userId"), params.text("username"), null));
        }
        if (targets.isEmpty()) {
            throw CaravanException.coded("error-empty-invite-list", "Cannot invite if no valid users are provided");
        }
        rooms.invite(caller, room, targets, kind);
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(store.room(room.getString("_id")))));
    }

    public void kick(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        // a group is found for anyone here: whether the caller may see it is the kick's own check
        Document room = kind == RoomKind.GROUP ? lookup.named(params, kind, null) : lookup.named(params, kind, caller);
        Document user = users.fromParams(params.text("userId"), params.text("username"), null);
        rooms.kick(caller, room, user, kind);
        replyRoomOrSuccess(exchange, room);
    }

    public void history(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        if (!authorization.canReadRoom(caller.id(), room.getString("_id"))) {
            throw kind == RoomKind.CHANNEL ? CaravanException.forbidden("forbidden")
                    : new CaravanException(401, null, "unauthorized", null);
        }
        RestReplies.ok(exchange, queries.history(room, params, kind == RoomKind.GROUP));
    }

    public void messages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        if (!authorization.canReadRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.forbidden("forbidden");
        }
        RestReplies.ok(exchange, queries.roomMessages(exchange, room));
    }

    public void members(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = lookup.named(Params.of(exchange), kind, caller);
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.forbidden("forbidden");
        }
        Document shown = new Document("_id", 1).append("username", 1).append("name", 1).append("status", 1)
                .append("statusText", 1).append("utcOffset", 1).append("_updatedAt", 1).append("nickname", 1);
        Pagination page = Pagination.of(exchange, settings, new Document(UserFields.USERNAME, 1)).sortableBy(shown.keySet());
        List<String> ids = store.subscriptions().find(Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")))
                .map(s -> s.get("u", Document.class).getString("_id")).into(new ArrayList<>());
        List<Bson> conditions = new ArrayList<>(List.of(Filters.in("_id", ids)));
        String status = RestRequest.query(exchange, "status");
        if (status != null && !status.isBlank()) {
            conditions.add(Filters.eq(UserFields.STATUS, status));
        }
        String text = RestRequest.query(exchange, "filter");
        if (text != null && !text.isBlank()) {
            conditions.add(searchCondition(text.trim()));
        }
        Bson filter = Filters.and(conditions);
        FindIterable<Document> found = page.window(store.users().find(filter).sort(page.sort())).projection(shown);
        List<Document> members = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("members", members, "count", members.size(), "offset", page.offset(),
                "total", store.users().countDocuments(filter)));
    }

    /** A member whose name-like fields (Accounts_SearchFields, the ones a directory shows) contain the text. */
    private Bson searchCondition(String text) {
        Pattern contains = Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE);
        List<Bson> any = new ArrayList<>();
        for (String field : settings.string("Accounts_SearchFields", "username, name, bio").split(",")) {
            String name = field.trim();
            if (SEARCHABLE_MEMBER_FIELDS.contains(name)) {
                any.add(Filters.regex(name, contains));
            }
        }
        return any.isEmpty() ? Filters.regex(UserFields.USERNAME, contains) : Filters.or(any);
    }

    /** The room named by the {@code query} parameter ({"_id": ...} or {"name": ...}) and its members who are online. */
    public void online(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document query = JsonQueryParam.of(exchange);
        String roomId = Params.of(exchange).text("roomId");
        if (query.isEmpty() && roomId != null && !roomId.isBlank()) {
            // the form older clients send (and Caravan answered before Rocket.Chat moved to query)
            query.put("_id", roomId);
        }
        if (query.isEmpty()) {
            throw CaravanException.plain("Invalid query");
        }
        query.put(RoomFields.TYPE, kind.type);
        Document room = store.rooms().find(query).first();
        if (room == null) {
            throw CaravanException.plain(kind == RoomKind.CHANNEL ? "Channel does not exists" : "Group does not exists");
        }
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.coded("error-not-allowed", "Not Allowed");
        }
        List<String> ids = store.subscriptions().find(Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")))
                .map(s -> s.get("u", Document.class).getString("_id")).into(new ArrayList<>());
        List<Document> online = store.users().find(Filters.and(Filters.in("_id", ids), Filters.ne(UserFields.STATUS, "offline"),
                Filters.exists(UserFields.STATUS))).projection(new Document("username", 1)).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("online", online));
    }

    public void counters(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        String userId = params.text("userId");
        if (userId != null && !userId.equals(caller.id())) {
            authorization.require(caller.id(), "view-room-administration");
        } else {
            userId = caller.id();
        }
        Document subscription = store.subscription(room.getString("_id"), userId);
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("joined", subscription != null);
        counters.put("members", room.get(RoomFields.USERS_COUNT));
        counters.put("unreads", subscription == null ? null : subscription.get(SubscriptionFields.UNREAD));
        counters.put("unreadsFrom", subscription == null ? null
                : subscription.get(SubscriptionFields.LAST_SEEN) != null ? subscription.get(SubscriptionFields.LAST_SEEN)
                : subscription.get(SubscriptionFields.TS));
        counters.put("msgs", room.get(RoomFields.MSGS));
        counters.put("latest", room.get(RoomFields.LAST_MESSAGE_AT));
        counters.put("userMentions", subscription == null ? 0 : subscription.get(SubscriptionFields.USER_MENTIONS));
        RestReplies.ok(exchange, counters);
    }

    public void rename(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(rooms.rename(caller, room, params.text("name")))));
    }

    public void setTopic(Exchange exchange) {
        setText(exchange, "topic");
    }

    public void setDescription(Exchange exchange) {
        setText(exchange, "description");
    }

    public void setAnnouncement(Exchange exchange) {
        setText(exchange, "announcement");
    }

    public void setReadOnly(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        Boolean readOnly = params.bool("readOnly");
        if (readOnly == null) {
            throw CaravanException.plain("The bodyParam \"readOnly\" is required");
        }
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(rooms.setReadOnly(caller, room, readOnly, kind))));
    }

    public void setType(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        String type = params.text("type");
        if (type == null || type.isBlank()) {
            throw CaravanException.plain("The bodyParam \"type\" is required");
        }
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(rooms.setType(caller, room, type))));
    }

    public void archive(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        rooms.archive(caller, lookup.named(Params.of(exchange), kind, caller), kind, true);
        RestReplies.ok(exchange, Map.of());
    }

    public void unarchive(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        rooms.archive(caller, lookup.named(Params.of(exchange), kind, caller), kind, false);
        RestReplies.ok(exchange, Map.of());
    }

    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = lookup.named(Params.of(exchange), kind, caller);
        rooms.delete(caller, room, kind.deletePermission);
        RestReplies.ok(exchange, Map.of());
    }

    public void open(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        rooms.setOpen(caller, lookup.named(Params.of(exchange), kind, caller), true, kind);
        RestReplies.ok(exchange, Map.of());
    }

    public void close(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        rooms.setOpen(caller, lookup.named(Params.of(exchange), kind, caller), false, kind);
        RestReplies.ok(exchange, Map.of());
    }

    public void setPurpose(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        if (params.body() == null || !params.body().has("purpose")) {
            throw CaravanException.plain("The bodyParam \"purpose\" is required");
        }
        Document room = lookup.named(params, kind, caller);
        rooms.requireNotArchived(room, kind);
        String purpose = params.text("purpose") == null ? "" : params.text("purpose");
        if (kind == RoomKind.CHANNEL && purpose.equals(room.getString(RoomFields.DESCRIPTION))) {
            throw CaravanException.plain("The channel purpose (description) is the same as what it would be changed to.");
        }
        rooms.setDescription(caller, room, purpose);
        RestReplies.ok(exchange, Map.of("purpose", purpose));
    }

    public void setCustomFields(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode customFields = params.node("customFields");
        if (customFields == null || !customFields.isObject()) {
            throw CaravanException.plain("The bodyParam \"customFields\" is required with a type like object.");
        }
        Document room = lookup.named(params, kind, caller);
        rooms.requireNotArchived(room, kind);
        Document updated = rooms.setCustomFields(caller, room, customFieldsOf(customFields));
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(updated)));
    }

    /** groups.setEncrypted: end-to-end encryption on or off, through the room settings' own rules. */
    public void setEncrypted(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode encrypted = params.node("encrypted");
        if (encrypted == null || !encrypted.isBoolean()) {
            throw CaravanException.plain("The bodyParam \"encrypted\" is required");
        }
        Document room = lookup.named(params, kind, caller);
        rooms.requireNotArchived(room, kind);
        Document updated = roomSettings.save(caller, room.getString("_id"),
                JsonNodeFactory.instance.objectNode().put("encrypted", encrypted.asBoolean()));
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(updated)));
    }

    /** channels.setJoinCode: a code people must give to join (join-without-join-code lets them skip it). */
    public void setJoinCode(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String joinCode = params.text("joinCode");
        if (joinCode == null || joinCode.isBlank()) {
            throw CaravanException.plain("The bodyParam \"joinCode\" is required");
        }
        Document room = lookup.named(params, kind, caller);
        rooms.requireNotArchived(room, kind);
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(rooms.setJoinCode(caller, room, joinCode))));
    }

    /** channels.setDefault: {default: true|false|"true"|...}. */
    public void setDefault(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode value = params.node("default");
        if (value == null || value.isNull() || !value.isValueNode()) {
            throw CaravanException.coded("error-channels-setdefault-is-same", "The bodyParam \"default\" is required");
        }
        Document room = lookup.named(params, kind, caller);
        rooms.requireNotArchived(room, kind);
        boolean isDefault = List.of("true", "1").contains(value.asText().toLowerCase(Locale.ROOT));
        if (value.isBoolean() && room.get(RoomFields.DEFAULT) instanceof Boolean current && current == value.asBoolean()) {
            throw CaravanException.coded("error-channels-setdefault-missing-default-param",
                    "The channel default setting is the same as what it would be changed to.");
        }
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(rooms.setDefault(caller, room, isDefault))));
    }

    public void moderators(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = lookup.named(Params.of(exchange), kind, caller);
        rooms.requireNotArchived(room, kind);
        List<Object> moderators = store.subscriptions().find(Filters.and(
                Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")), Filters.eq(SubscriptionFields.ROLES, "moderator")))
                .map(s -> s.get(SubscriptionFields.USER)).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("moderators", moderators));
    }

    public void addAll(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        rooms.requireNotArchived(room, kind);
        rooms.addAll(caller, room, Boolean.TRUE.equals(params.bool("activeUsersOnly")));
        RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(store.room(room.getString("_id")))));
    }

    /** groups.listAll: every private group, for room administrators. */
    public void listAll(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasPermission(caller.id(), "view-room-administration")) {
            throw CaravanException.forbidden("unauthorized");
        }
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        Document filter = JsonQueryParam.of(exchange);
        filter.put(RoomFields.TYPE, kind.type);
        replyPage(exchange, kind.listKey, filter, page);
    }

    /** channels.getAllUserMentionsByChannel: the messages of a room that mention the caller. */
    public void mentions(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String roomId = Params.of(exchange).requiredText("roomId");
        Document room = store.room(roomId);
        if (room == null || !authorization.canAccessRoom(caller.id(), roomId)) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "getUserMentionsByChannel"));
        }
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, 1));
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId), Filters.ne(MessageFields.HIDDEN, true),
                Filters.eq(MessageFields.MENTIONS + ".username", caller.username()));
        RestReplies.ok(exchange, queries.page(filter, page, "mentions"));
    }

    /**
     * channels.anonymousread: a public channel's messages for anyone, signed in or not, when
     * Accounts_AllowAnonymousRead is on.
     */
    public void anonymousRead(Exchange exchange) {
        Document room = lookup.named(Params.of(exchange), kind, null);
        if (!settings.bool("Accounts_AllowAnonymousRead", false)) {
            throw CaravanException.coded("error-not-allowed", "Enable \"Allow Anonymous Read\"",
                    Map.of("method", "channels.anonymousread"));
        }
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, room.getString("_id")), Filters.ne(MessageFields.HIDDEN, true));
        RestReplies.ok(exchange, queries.page(filter, page, "messages"));
    }

    private void setText(Exchange exchange, String field) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        String value = params.text(field);
        rooms.setText(caller, room, field, value, kind);
        RestReplies.ok(exchange, Map.of(field, value));
    }

    private void replyRoomOrSuccess(Exchange exchange, Document room) {
        if (kind == RoomKind.CHANNEL) {
            RestReplies.ok(exchange, Map.of(kind.key, RoomLookup.view(store.room(room.getString("_id")))));
        } else {
            RestReplies.ok(exchange, Map.of());
        }
    }

    private List<String> joinedRoomIds(Caller caller) {
        return store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, caller.id()))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
    }

    private void replyPage(Exchange exchange, String key, Bson filter, Pagination page) {
        FindIterable<Document> found = page.window(store.rooms().find(filter).sort(page.sort()));
        List<Document> result = RoomLookup.views(found.into(new ArrayList<>()));
        RestReplies.ok(exchange, Map.of(key, result, "count", result.size(), "offset", page.offset(),
                "total", store.rooms().countDocuments(filter)));
    }

    /** Custom fields as stored: any JSON values, under names that are plain field names (no {@code $}, no dots). */
    private static Document customFieldsOf(JsonNode customFields) {
        requirePlainNames(customFields);
        return Document.parse(customFields.toString());
    }

    private static void requirePlainNames(JsonNode value) {
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> {
                String name = field.getKey();
                if (name.isEmpty() || name.startsWith("$") || name.contains(".")) {
                    throw CaravanException.invalidParams("Invalid custom field name '" + name + "'");
                }
                requirePlainNames(field.getValue());
            });
        } else if (value.isArray()) {
            value.forEach(RoomEndpoints::requirePlainNames);
        }
    }

    private static Document requireUser(Document user) {
        if (user == null) {
            throw CaravanException.coded("error-user-not-found", "User not found");
        }
        return user;
    }
}
