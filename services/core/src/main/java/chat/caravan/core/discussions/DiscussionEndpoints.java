package chat.caravan.core.discussions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomLookup;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** rooms.createDiscussion, rooms.getDiscussions (the discussion rooms) and chat.getDiscussions (their messages). */
@Component("discussionEndpoints")
public class DiscussionEndpoints {

    private final DiscussionService discussions;
    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public DiscussionEndpoints(DiscussionService discussions, RoomStore store, Authorization authorization, Settings settings,
            RestAuth auth, MongoDatabase database) {
        this.discussions = discussions;
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String prid = text(params, "prid");
        if (prid == null) {
            throw CaravanException.plain("Body parameter \"prid\" is required.");
        }
        String name = text(params, "t_name");
        if (name == null) {
            throw CaravanException.plain("Body parameter \"t_name\" is required.");
        }
        JsonNode users = params.node("users");
        if (users != null && !users.isNull() && !users.isArray()) {
            throw CaravanException.plain("Body parameter \"users\" must be an array.");
        }
        JsonNode encrypted = params.node("encrypted");
        if (encrypted != null && !encrypted.isBoolean()) {
            throw CaravanException.plain("Body parameter \"encrypted\" must be a boolean when included.");
        }
        List<String> usernames = new ArrayList<>();
        if (users != null && users.isArray()) {
            users.forEach(u -> {
                if (u.isTextual() && !u.asText().isEmpty()) {
                    usernames.add(u.asText());
                }
            });
        }
        Document discussion = discussions.create(caller, new DiscussionService.Request(prid, text(params, "pmid"), name,
                text(params, "reply"), usernames, encrypted == null ? null : encrypted.asBoolean(), text(params, "topic")));
        RestReplies.ok(exchange, Map.of("discussion", discussion));
    }

    /** The discussion rooms of a room, by display name. */
    public void ofRoom(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
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
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.ARCHIVED))) {
            throw CaravanException.coded("error-room-archived", "The channel, " + room.getString(RoomFields.NAME) + ", is archived");
        }
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.FNAME, 1));
        if (!authorization.canAccessRoom(caller.id(), room.getString(RoomFields.ID))) {
            throw CaravanException.coded("not-allowed", "Not Allowed");
        }
        Bson filter = Filters.eq(RoomFields.PARENT_ROOM_ID, room.getString(RoomFields.ID));
        FindIterable<Document> found = page.window(store.rooms().find(filter).sort(page.sort()));
        List<Document> result = RoomLookup.views(found.into(new ArrayList<>()));
        RestReplies.ok(exchange, Map.of("discussions", result, "count", result.size(), "offset", page.offset(),
                "total", store.rooms().countDocuments(filter)));
    }

    /** The {@code discussion-created} messages of a room, optionally those whose text contains {@code text}. */
    public void messages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        if (blank(roomId)) {
            throw CaravanException.coded("error-invalid-params", "The required \"roomId\" query param is missing.");
        }
        if (store.room(roomId) == null || !authorization.canAccessRoom(caller.id(), roomId)) {
            throw CaravanException.plain("error-not-allowed");
        }
        String text = params.text("text");
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId), Filters.exists(MessageFields.DISCUSSION_ID, true));
        if (text != null && !text.isEmpty()) {
            filter = Filters.and(filter, Filters.regex(MessageFields.TEXT, Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE)));
        }
        FindIterable<Document> found = page.window(store.messages().find(filter).sort(page.sort()));
        List<Document> result = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("messages", result, "count", result.size(), "offset", page.offset(),
                "total", store.messages().countDocuments(filter)));
    }

    private static String text(Params params, String name) {
        JsonNode value = params.node(name);
        return value == null || value.isNull() || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
