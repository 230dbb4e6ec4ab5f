package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** The paginated message lists of a room: deleted, pinned, mentioning the caller, starred by the caller. */
@Component("messageListEndpoints")
public class MessageListEndpoints {

    private final MessageQueries queries;
    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public MessageListEndpoints(MessageQueries queries, RoomStore store, Authorization authorization, Settings settings,
            RestAuth auth, MongoDatabase database) {
        this.queries = queries;
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    /** chat.getDeletedMessages: the ids of the room's messages deleted after {@code since}. */
    public void getDeletedMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Pagination page = Pagination.of(exchange, settings, new Document("_deletedAt", 1));
        String roomId = params.text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("The required \"roomId\" query param is missing.", null);
        }
        String since = params.text("since");
        if (since == null || since.isBlank()) {
            throw CaravanException.coded("The required \"since\" query param is missing.", null);
        }
        Date after;
        try {
            after = MessageQueries.date(since, "since");
        } catch (CaravanException e) {
            throw CaravanException.coded("The \"since\" query parameter must be a valid date.", null);
        }
        // Rocket.Chat answers any room; only ids leave, but still only to who may read the room
        if (!authorization.canReadRoom(caller.id(), roomId)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        Bson filter = Filters.and(Filters.eq("__collection__", Collections.MESSAGES), Filters.eq(MessageFields.ROOM_ID, roomId),
                Filters.gt("_deletedAt", after));
        var found = page.window(store.trash().find(filter).projection(new Document("_id", 1)).sort(page.sort()));
        List<Document> messages = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("messages", messages, "count", messages.size(), "offset", page.offset(),
                "total", store.trash().countDocuments(filter)));
    }

    /** chat.getPinnedMessages: the room's pinned messages, not deleted. */
    public void getPinnedMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        String roomId = params.text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-roomId-param-not-provided", "The required \"roomId\" query param is missing.");
        }
        if (!authorization.canAccessRoom(caller.id(), roomId)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId), Filters.eq(MessageFields.PINNED, true),
                Filters.ne(MessageFields.TYPE, "rm"), Filters.ne(MessageFields.HIDDEN, true));
        RestReplies.ok(exchange, queries.page(filter, page, "messages"));
    }

    /** chat.getMentionedMessages: the room's messages that mention the caller by username. */
    public void getMentionedMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String roomId = accessibleRoom(caller, exchange);
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId), Filters.eq(MessageFields.MENTIONS + ".username", caller.username()),
                Filters.ne(MessageFields.HIDDEN, true));
        RestReplies.ok(exchange, queries.page(filter, page, "messages"));
    }

    /** chat.getStarredMessages: the room's messages the caller starred. */
    public void getStarredMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String roomId = accessibleRoom(caller, exchange);
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId), Filters.eq(MessageFields.STARRED + "._id", caller.id()),
                Filters.ne(MessageFields.HIDDEN, true));
        RestReplies.ok(exchange, queries.page(filter, page, "messages"));
    }

    private String accessibleRoom(Caller caller, Exchange exchange) {
        String roomId = Params.of(exchange).text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-invalid-params", "The required \"roomId\" query param is missing.");
        }
        if (store.room(roomId) == null || !authorization.canAccessRoom(caller.id(), roomId)) {
            throw CaravanException.plain("error-not-allowed");
        }
        return roomId;
    }
}
