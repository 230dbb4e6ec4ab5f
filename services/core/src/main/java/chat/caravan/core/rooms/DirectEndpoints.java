package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.messages.MessageQueries;
import chat.caravan.core.users.UserLookup;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** The im.* (and dm.*) REST endpoints. */
@Component("directEndpoints")
public class DirectEndpoints {

    private final DirectRooms directs;
    private final RoomStore store;
    private final RoomService rooms;
    private final MessageQueries queries;
    private final UserLookup users;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public DirectEndpoints(DirectRooms directs, RoomStore store, RoomService rooms, MessageQueries queries,
            UserLookup users, Authorization authorization, Settings settings, RestAuth auth, MongoDatabase database) {
        this.directs = directs;
        this.store = store;
        this.rooms = rooms;
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
        List<Document> others = new ArrayList<>();
        String username = params.text("username");
        String usernames = params.text("usernames");
        if (username != null && !username.isBlank()) {
            others.add(requireUser(users.find(null, username, null)));
        } else if (usernames != null && !usernames.isBlank()) {
            for (String name : usernames.split(",")) {
                if (!name.isBlank()) {
                    others.add(requireUser(users.find(null, name.trim(), null)));
                }
            }
        } else {
            throw CaravanException.invalidParams("must have required property 'username' or 'usernames'");
        }
        Document room = directs.open(caller, others, Boolean.TRUE.equals(params.bool("excludeSelf")));
        Document view = RoomLookup.view(room);
        view.put("rid", room.getString("_id"));
        RestReplies.ok(exchange, Map.of("room", view));
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        List<String> joined = store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.USER_ID, caller.id()),
                Filters.eq(SubscriptionFields.TYPE, RoomFields.DIRECT))).map(s -> s.getString("rid")).into(new ArrayList<>());
        Bson filter = Filters.and(Filters.eq(RoomFields.TYPE, RoomFields.DIRECT), Filters.in("_id", joined));
        FindIterable<Document> found = page.window(store.rooms().find(filter).sort(page.sort()));
        List<Document> ims = RoomLookup.views(found.into(new ArrayList<>()));
        RestReplies.ok(exchange, Map.of("ims", ims, "count", ims.size(), "offset", page.offset(),
                "total", store.rooms().countDocuments(filter)));
    }

    public void history(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = direct(caller, params);
        RestReplies.ok(exchange, queries.history(room, params, false));
    }

    public void messages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = direct(caller, Params.of(exchange));
        RestReplies.ok(exchange, queries.roomMessages(exchange, room));
    }

    /** The DM's members, optionally only those with one of the statuses in {@code status[]}. */
    public void members(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = direct(caller, Params.of(exchange));
        Pagination page = Pagination.of(exchange, settings, new Document(UserFields.USERNAME, 1));
        List<Bson> conditions = new ArrayList<>(List.of(Filters.in("_id", room.getList(RoomFields.UIDS, String.class, List.of())),
                Filters.eq("active", true)));
        List<String> statuses = queryList(exchange, "status[]");
        statuses.addAll(queryList(exchange, "status"));
        if (!statuses.isEmpty()) {
            conditions.add(Filters.in(UserFields.STATUS, statuses));
        }
        Bson filter = Filters.and(conditions);
        Object usernameOrder = page.sort().get(UserFields.USERNAME);
        Document sort = new Document(UserFields.UPDATED_AT, -1).append(UserFields.USERNAME, usernameOrder == null ? 1 : usernameOrder);
        FindIterable<Document> found = page.window(store.users().find(filter).sort(sort))
                .projection(new Document("username", 1).append("name", 1).append("status", 1).append("statusText", 1)
                        .append("utcOffset", 1).append("federated", 1));
        List<Document> members = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("members", members, "count", members.size(), "offset", page.offset(),
                "total", store.users().countDocuments(filter)));
    }

    public void setTopic(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-room-param-not-provided", "Body param \"roomId\" is required");
        }
        Document room = direct(caller, params);
        String topic = params.text("topic");
        rooms.saveText(caller, room, RoomFields.TOPIC, topic == null ? "" : topic);
        Map<String, Object> reply = new HashMap<>();
        reply.put("topic", topic);
        RestReplies.ok(exchange, reply);
    }

    /** Erases a DM with its messages: whoever may see it and holds delete-d. */
    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = find(caller, params);
        String rid = room.getString("_id");
        if (!authorization.canAccessRoom(caller.id(), rid) && !authorization.hasPermission(caller.id(), "view-room-administration")) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        if (!authorization.hasPermission(caller.id(), "delete-d", rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "eraseRoom"));
        }
        rooms.delete(caller, room, "delete-d");
        RestReplies.ok(exchange, Map.of());
    }

    /** im.list.everyone: every DM on the server, for room administrators. */
    public void listEveryone(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasPermission(caller.id(), "view-room-administration")) {
            throw CaravanException.forbidden("unauthorized");
        }
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        Document filter = JsonQueryParam.of(exchange);
        filter.put(RoomFields.TYPE, RoomFields.DIRECT);
        FindIterable<Document> found = page.window(store.rooms().find(filter).sort(page.sort()));
        List<Document> ims = RoomLookup.views(found.into(new ArrayList<>()));
        RestReplies.ok(exchange, Map.of("ims", ims, "count", ims.size(), "offset", page.offset(),
                "total", store.rooms().countDocuments(filter)));
    }

    /**
     * im.messages.others: any DM's messages, for room administrators, when API_Enable_Direct_Message_History_EndPoint
     * is on.
     */
    public void messagesOthers(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!settings.bool("API_Enable_Direct_Message_History_EndPoint", false)) {
            throw CaravanException.coded("error-endpoint-disabled", "This endpoint is disabled",
                    Map.of("route", "/api/v1/im.messages.others"));
        }
        if (!authorization.hasPermission(caller.id(), "view-room-administration")) {
            throw CaravanException.forbidden("unauthorized");
        }
        String roomId = Params.of(exchange).text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-roomid-param-not-provided", "The parameter \"roomId\" is required");
        }
        Document room = store.room(roomId);
        if (room == null || !RoomFields.DIRECT.equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.coded("error-room-not-found", "No direct message room found by the id of: " + roomId);
        }
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        RestReplies.ok(exchange, queries.page(Filters.eq(MessageFields.ROOM_ID, roomId), page, "messages"));
    }

    public void open(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-room-param-not-provided", "Body param \"roomId\" is required");
        }
        if (!authorization.canAccessRoom(caller.id(), roomId)) {
            throw CaravanException.forbidden("unauthorized");
        }
        Document room = direct(caller, params);
        Document subscription = store.subscription(room.getString("_id"), caller.id());
        if (!Boolean.TRUE.equals(subscription.getBoolean(SubscriptionFields.OPEN))) {
            rooms.setOpen(caller, room, true, RoomKind.CHANNEL);
        }
        RestReplies.ok(exchange, Map.of());
    }

    public void close(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = direct(caller, Params.of(exchange));
        Document subscription = store.subscription(room.getString("_id"), caller.id());
        if (!Boolean.TRUE.equals(subscription.getBoolean(SubscriptionFields.OPEN))) {
            throw CaravanException.plain("The direct message room, is already closed to the sender");
        }
        rooms.setOpen(caller, room, false, RoomKind.CHANNEL);
        RestReplies.ok(exchange, Map.of());
    }

    public void counters(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = direct(caller, Params.of(exchange));
        Document subscription = store.subscription(room.getString("_id"), caller.id());
        Map<String, Object> counters = new java.util.LinkedHashMap<>();
        counters.put("joined", subscription != null);
        counters.put("members", room.get(RoomFields.USERS_COUNT));
        counters.put("unreads", subscription == null ? null : subscription.get(SubscriptionFields.UNREAD));
        counters.put("unreadsFrom", subscription == null ? null : subscription.get(SubscriptionFields.LAST_SEEN));
        counters.put("msgs", room.get(RoomFields.MSGS));
        counters.put("latest", room.get(RoomFields.LAST_MESSAGE_AT));
        counters.put("userMentions", subscription == null ? 0 : subscription.get(SubscriptionFields.USER_MENTIONS));
        RestReplies.ok(exchange, counters);
    }

    /** The DM named by {@code roomId}, or the one with {@code username} (created if missing); the caller must be in it. */
    private Document direct(Caller caller, Params params) {
        Document room = find(caller, params);
        if (store.subscription(room.getString("_id"), caller.id()) == null
                || !authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.forbidden("forbidden");
        }
        return room;
    }

    /** The DM named by {@code roomId}, or the one with {@code username} (created if missing), whoever asks. */
    private Document find(Caller caller, Params params) {
        String roomId = params.text("roomId");
        String username = params.text("username");
        Document room;
        if (roomId != null && !roomId.isBlank()) {
            room = store.room(roomId);
            if (room == null) {
                // as Rocket.Chat, a roomId that is no room may name a user: the DM with them
                Document other = users.find(roomId, null, null);
                if (other == null) {
                    other = users.find(null, roomId, null);
                }
                if (other == null) {
                    throw CaravanException.coded("invalid-channel", "");
                }
                room = directs.open(caller, List.of(other), false);
            }
        } else if (username != null && !username.isBlank()) {
            Document other = users.find(null, username, null);
            if (other == null) {
                other = users.find(username, null, null);
            }
            room = directs.open(caller, List.of(requireUser(other)), false);
        } else {
            throw CaravanException.coded("error-room-param-not-provided", "Body param \"roomId\" or \"username\" is required");
        }
        if (room == null || !RoomFields.DIRECT.equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.coded("error-room-not-found", "The required \"roomId\" param provided does not match any direct message");
        }
        return room;
    }

    /** Every value of a repeated query parameter. */
    private static List<String> queryList(Exchange exchange, String name) {
        Object value = exchange.getIn().getHeader(name);
        List<String> values = new ArrayList<>();
        if (value instanceof Iterable<?> many) {
            many.forEach(v -> values.add(String.valueOf(v)));
        } else if (value != null) {
            values.add(value.toString());
        }
        return values;
    }

    private static Document requireUser(Document user) {
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", "createDirectMessage"));
        }
        return user;
    }

    static String name(Document user) {
        return user.getString(UserFields.USERNAME);
    }
}
