package chat.caravan.core.subscriptions;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomLookup;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** The subscriptions.* endpoints and rooms.get: what a client syncs at start-up and marks as read. */
@Component("subscriptionEndpoints")
public class SubscriptionEndpoints {

    private final RoomStore store;
    private final RestAuth auth;
    private final MongoDatabase database;

    public SubscriptionEndpoints(RoomStore store, RestAuth auth, MongoDatabase database) {
        this.store = store;
        this.auth = auth;
        this.database = database;
    }

    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, subscriptionsOf(caller.id(), Params.of(exchange).text("updatedSince")));
    }

    /** {update, remove} of the user's subscriptions, all or changed since {@code updatedSince}. */
    public Map<String, Object> subscriptionsOf(String uid, String updatedSince) {
        Date since = since(updatedSince, "error-roomId-param-invalid");
        Bson filter = Filters.eq(SubscriptionFields.USER_ID, uid);
        if (since != null) {
            filter = Filters.and(filter, Filters.gt(SubscriptionFields.UPDATED_AT, since));
        }
        List<Document> update = store.subscriptions().find(filter).into(new ArrayList<>());
        List<Document> remove = since == null ? List.of() : store.trash().find(Filters.and(
                Filters.eq("__collection__", "rocketchat_subscription"), Filters.eq(SubscriptionFields.USER_ID, uid),
                Filters.gt("_deletedAt", since))).projection(new Document("_id", 1).append("_deletedAt", 1)).into(new ArrayList<>());
        return Map.of("update", update, "remove", remove);
    }

    public void getOne(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String roomId = Params.of(exchange).requiredText("roomId");
        Document subscription = store.subscription(roomId, caller.id());
        RestReplies.ok(exchange, java.util.Collections.singletonMap("subscription", subscription));
    }

    /** Body {rid} or {roomId} (not both), optionally readThreads; a number is taken as its text, as Rocket.Chat coerces. */
    public void read(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode rid = params.node("rid");
        JsonNode roomId = params.node("roomId");
        if ((rid == null) == (roomId == null)) {
            throw CaravanException.invalidParams(rid == null ? "must have required property 'rid'"
                    : "must match exactly one schema in anyOf");
        }
        JsonNode named = rid != null ? rid : roomId;
        if (!named.isValueNode() || named.isNull()) {
            throw CaravanException.invalidParams("must be string '" + (rid != null ? "rid" : "roomId") + "'");
        }
        markRead(caller.id(), named.asText(), Boolean.TRUE.equals(params.bool("readThreads")));
        RestReplies.ok(exchange, Map.of());
    }

    public void markRead(String uid, String rid) {
        markRead(uid, rid, false);
    }

    /**
     * Marks the room read for the user; unread thread replies stay unread (and the room alerted) unless
     * {@code readThreads}.
     */
    public void markRead(String uid, String rid, boolean readThreads) {
        if (rid == null || rid.isBlank()) {
            throw CaravanException.invalidParams("must have required property 'rid'");
        }
        Document subscription = store.subscription(rid, uid);
        if (subscription == null) {
            throw CaravanException.plain("error-invalid-subscription");
        }
        boolean threadsLeft = !readThreads && Boolean.TRUE.equals(subscription.getBoolean(SubscriptionFields.ALERT))
                && !subscription.getList(SubscriptionFields.THREAD_UNREAD, Object.class, List.of()).isEmpty();
        Date now = new Date();
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.set(SubscriptionFields.OPEN, true), Updates.set(SubscriptionFields.ALERT, threadsLeft),
                Updates.set(SubscriptionFields.UNREAD, 0), Updates.set(SubscriptionFields.USER_MENTIONS, 0),
                Updates.set(SubscriptionFields.GROUP_MENTIONS, 0), Updates.set(SubscriptionFields.LAST_SEEN, now),
                Updates.set(SubscriptionFields.UPDATED_AT, now)));
        if (readThreads) {
            updates.add(Updates.unset(SubscriptionFields.THREAD_UNREAD));
            updates.add(Updates.unset(SubscriptionFields.THREAD_UNREAD_USER));
            updates.add(Updates.unset(SubscriptionFields.THREAD_UNREAD_GROUP));
        }
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(updates));
    }

    /**
     * Body {roomId}: the room's last message becomes the first unread; or {firstUnreadMessage: {_id}}: that message
     * (someone else's, in a room the caller is in) does.
     */
    public void unread(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode roomId = params.node("roomId");
        JsonNode first = params.node("firstUnreadMessage");
        if ((roomId == null) == (first == null)) {
            throw CaravanException.invalidParams(roomId == null ? "must have required property 'roomId'"
                    : "must match exactly one schema in anyOf");
        }
        Document message;
        if (roomId != null) {
            if (!roomId.isTextual()) {
                throw CaravanException.invalidParams("must be string 'roomId'");
            }
            message = store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId.asText()),
                    Filters.ne(MessageFields.HIDDEN, true))).sort(new Document(MessageFields.TS, -1)).first();
            if (message == null) {
                throw new CaravanException(400, "error-no-message-for-unread", "There are no messages to mark unread",
                        Map.of("method", "unreadMessages", "action", "Unread_messages"));
            }
        } else {
            JsonNode id = first.path("_id");
            message = id.isTextual() ? store.messages().find(Filters.eq("_id", id.asText())).first() : null;
            if (message == null || caller.id().equals(message.get(MessageFields.USER, Document.class).getString("_id"))) {
                throw new CaravanException(400, "error-action-not-allowed", "Not allowed",
                        Map.of("method", "unreadMessages", "action", "Unread_messages"));
            }
        }
        String rid = message.getString(MessageFields.ROOM_ID);
        Date from = message.getDate(MessageFields.TS);
        Document subscription = store.subscription(rid, caller.id());
        if (subscription == null || (roomId == null && subscription.getDate(SubscriptionFields.LAST_SEEN) == null)) {
            throw new CaravanException(400, "error-subscription-not-found", "Subscription not found",
                    Map.of("method", "unreadMessages", "action", "Unread_messages"));
        }
        long unread = store.messages().countDocuments(Filters.and(Filters.eq(MessageFields.ROOM_ID, rid),
                Filters.gte(MessageFields.TS, from), Filters.ne("u._id", caller.id())));
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(
                Updates.set(SubscriptionFields.UNREAD, (int) Math.max(1, unread)), Updates.set(SubscriptionFields.ALERT, true),
                Updates.set(SubscriptionFields.OPEN, true), Updates.set(SubscriptionFields.LAST_SEEN, from),
                Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
        RestReplies.ok(exchange, Map.of());
    }

    public void roomsGet(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, roomsOf(caller.id(), Params.of(exchange).text("updatedSince")));
    }

    /** {update, remove} of the rooms the user belongs to, all or changed since {@code updatedSince}. */
    public Map<String, Object> roomsOf(String uid, String updatedSince) {
        Date since = since(updatedSince, "error-updatedSince-param-invalid");
        List<String> rids = store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, uid))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        Bson filter = Filters.in("_id", rids);
        if (since != null) {
            filter = Filters.and(filter, Filters.gt(RoomFields.UPDATED_AT, since));
        }
        List<Document> update = RoomLookup.views(store.rooms().find(filter).into(new ArrayList<>()));
        List<Document> remove = since == null ? List.of() : store.trash().find(Filters.and(
                Filters.eq("__collection__", "rocketchat_room"), Filters.gt("_deletedAt", since)))
                .projection(new Document("_id", 1).append("_deletedAt", 1)).into(new ArrayList<>());
        return Map.of("update", update, "remove", remove);
    }

    private static Date since(String value, String errorType) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Date.from(java.time.Instant.parse(value));
        } catch (RuntimeException e) {
            throw CaravanException.coded(errorType, "The \"updatedSince\" query parameter must be a valid date.");
        }
    }
}
