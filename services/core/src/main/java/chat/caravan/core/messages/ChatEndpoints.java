package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.embed.UrlPreviews;
import chat.caravan.core.rooms.DirectRooms;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import chat.caravan.core.users.UserLookup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** The chat.* REST endpoints. */
@Component("chatEndpoints")
public class ChatEndpoints {

    private static final Pattern IGNORE_TRUE = Pattern.compile("true|1");

    private final MessageService messages;
    private final MessageQueries queries;
    private final RoomStore store;
    private final RoomService rooms;
    private final DirectRooms directs;
    private final UserLookup users;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;
    private final MessageReports reports;

    private final MessageSyncCursor syncCursor;
    private final UrlPreviews urlPreviews;

    public ChatEndpoints(MessageService messages, MessageQueries queries, RoomStore store, RoomService rooms,
            DirectRooms directs, UserLookup users, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database, MessageReports reports, MessageSyncCursor syncCursor, UrlPreviews urlPreviews) {
        this.urlPreviews = urlPreviews;
        this.reports = reports;
        this.syncCursor = syncCursor;
        this.messages = messages;
        this.queries = queries;
        this.store = store;
        this.rooms = rooms;
        this.directs = directs;
        this.users = users;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    /** Bots' favourite: to a room id, {@code #channel} (auto-joined) or {@code @user} (DM created as needed). */
    public void postMessage(Exchange exchange) {
        Caller caller = Caller.authenticated(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode body = params.body();
        String target = params.text("roomId");
        if (target == null) {
            JsonNode channel = body.get("channel");
            if (channel != null && channel.isArray() && !channel.isEmpty()) {
                channel = channel.get(0);
            }
            target = channel != null && channel.isTextual() ? channel.asText() : null;
        }
        if (target == null || target.isBlank()) {
            throw CaravanException.coded("invalid-channel", null);
        }
        Document room = resolveTarget(caller, target);
        ObjectNode message = ((ObjectNode) body).deepCopy();
        message.remove("roomId");
        message.remove("channel");
        if (body.has("text")) {
            message.set("msg", body.get("text"));
            message.remove("text");
        }
        Document sent = messages.send(caller, room.getString("_id"), message);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("ts", System.currentTimeMillis());
        reply.put("channel", target.startsWith("#") || target.startsWith("@") ? target.substring(1) : target);
        reply.put("message", sent);
        RestReplies.ok(exchange, reply);
    }

    public void sendMessage(Exchange exchange) {
        Caller caller = Caller.authenticated(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode message = params.node("message");
        if (message == null || !message.isObject()) {
            throw CaravanException.invalidParams("must have required property 'message'");
        }
        if (!message.path("rid").isTextual() || message.get("rid").asText().isBlank()) {
            throw CaravanException.plain("The 'rid' property on the message object is missing.");
        }
        List<String> previewUrls = previewUrls(params);
        RestReplies.ok(exchange, Map.of("message", messages.sendMessage(caller, message.get("rid").asText(), message, previewUrls)));
    }

    public void update(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.requiredText("roomId");
        Document updated = messages.update(caller, roomId, params.requiredText("msgId"), params.text("text"), null,
                params.node(MessageFields.CUSTOM_FIELDS), previewUrls(params));
        RestReplies.ok(exchange, Map.of("message", updated));
    }

    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.requiredText("roomId");
        String msgId = params.requiredText("msgId");
        if (Boolean.TRUE.equals(params.bool("asUser"))) {
            Document message = messages.existing(msgId);
            if (!roomId.equals(message.getString(MessageFields.ROOM_ID))) {
                throw CaravanException.plain("The room id provided does not match where the message is from.");
            }
            String author = message.get(MessageFields.USER, Document.class).getString("_id");
            if (!caller.id().equals(author) && !authorization.hasPermission(caller.id(), "force-delete-message", roomId)) {
                throw CaravanException.plain("Unauthorized. You must have the permission \"force-delete-message\" to delete other's message as them.");
            }
        }
        RestReplies.ok(exchange, messages.delete(caller, roomId, msgId));
    }

    public void getMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String msgId = Params.of(exchange).text("msgId");
        if (msgId == null || msgId.isBlank()) {
            throw CaravanException.plain("The \"msgId\" query parameter must be provided.");
        }
        Document message = store.messages().find(Filters.eq("_id", msgId)).first();
        if (message == null || !authorization.canReadRoom(caller.id(), message.getString(MessageFields.ROOM_ID))) {
            throw CaravanException.plain("Message not found");
        }
        RestReplies.ok(exchange, Map.of("message", message));
    }

    public void react(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String messageId = messageId(params);
        String emoji = params.body().has("emoji") ? params.text("emoji") : params.text("reaction");
        if (emoji == null || emoji.isEmpty()) {
            throw CaravanException.coded("error-emoji-param-not-provided", "The required \"emoji\" param is missing.");
        }
        messages.react(caller, messageId, emoji, params.bool("shouldReact"));
        RestReplies.ok(exchange, Map.of());
    }

    public void pinMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, Map.of("message", messages.pin(caller, messageId(Params.of(exchange)), true)));
    }

    public void unPinMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        messages.pin(caller, messageId(Params.of(exchange)), false);
        RestReplies.ok(exchange, Map.of());
    }

    public void starMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        messages.star(caller, messageId(Params.of(exchange)), true);
        RestReplies.ok(exchange, Map.of());
    }

    public void unStarMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        messages.star(caller, messageId(Params.of(exchange)), false);
        RestReplies.ok(exchange, Map.of());
    }

    public void search(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        String searchText = params.text("searchText");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-roomId-param-not-provided", "The required \"roomId\" query param is missing.");
        }
        if (searchText == null) {
            throw CaravanException.coded("error-searchText-param-not-provided", "The required \"searchText\" query param is missing.");
        }
        if (!authorization.canReadRoom(caller.id(), roomId)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        int count = MessageQueries.integer(params.text("count"), 20, "count");
        int offset = MessageQueries.integer(params.text("offset"), 0, "offset");
        List<Document> found = store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId),
                Filters.ne(MessageFields.HIDDEN, true), Filters.exists(MessageFields.TYPE, false),
                Filters.regex(MessageFields.TEXT, Pattern.compile(Pattern.quote(searchText), Pattern.CASE_INSENSITIVE))))
                .sort(new Document(MessageFields.TS, -1)).skip(offset).limit(Math.min(count, 100)).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("messages", found));
    }

    public void syncMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.coded("error-roomId-param-not-provided", "The required \"roomId\" query param is missing.");
        }
        String rawLastUpdate = params.text("lastUpdate");
        if (params.text("type") != null || params.text("next") != null || params.text("previous") != null) {
            if (rawLastUpdate != null && !rawLastUpdate.isBlank()) {
                throw CaravanException.coded("error-cursor-and-lastUpdate-conflict",
                        "The attributes \"next\", \"previous\" and \"lastUpdate\" cannot be used together");
            }
            if (!authorization.canReadRoom(caller.id(), roomId)) {
                throw CaravanException.coded("error-not-allowed", "Not allowed");
            }
            RestReplies.ok(exchange, Map.of("result", syncCursor.page(roomId, params.text("type"), params.text("next"),
                    params.text("previous"), MessageQueries.integer(params.text("count"), 20, "count"))));
            return;
        }
        if (rawLastUpdate == null || rawLastUpdate.isBlank()) {
            throw CaravanException.coded("error-lastUpdate-param-not-provided", "The required \"lastUpdate\" query param is missing.");
        }
        java.util.Date lastUpdate;
        try {
            lastUpdate = MessageQueries.date(rawLastUpdate, "lastUpdate");
        } catch (CaravanException e) {
            throw CaravanException.coded("error-roomId-param-invalid", "The \"lastUpdate\" query parameter must be a valid date.");
        }
        if (!authorization.canReadRoom(caller.id(), roomId)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        List<Document> updated = store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, roomId),
                Filters.gt(MessageFields.UPDATED_AT, lastUpdate), Filters.ne(MessageFields.HIDDEN, true)))
                .sort(new Document(MessageFields.TS, -1)).limit(500).into(new ArrayList<>());
        List<Document> deleted = store.trash().find(Filters.and(Filters.eq("__collection__", "rocketchat_message"),
                Filters.eq(MessageFields.ROOM_ID, roomId), Filters.gt("_deletedAt", lastUpdate)))
                .projection(new Document("_id", 1).append("_deletedAt", 1)).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("result", Map.of("updated", updated, "deleted", deleted)));
    }

    public void ignoreUser(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String rid = params.text("rid");
        if (rid == null || rid.isBlank()) {
            throw CaravanException.coded("error-room-id-param-not-provided", "The required \"rid\" param is missing.");
        }
        String userId = params.text("userId");
        if (userId == null || userId.isBlank()) {
            throw CaravanException.coded("error-user-id-param-not-provided", "The required \"userId\" param is missing.");
        }
        String ignore = params.text("ignore");
        messages.ignoreUser(caller, rid, userId, ignore == null || IGNORE_TRUE.matcher(ignore).find());
        RestReplies.ok(exchange, Map.of());
    }

    /** chat.reportMessage: files a report of the message for the moderators. */
    public void reportMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        JsonNode body = Params.of(exchange).body();
        Map<String, String> fields = strictStrings(body, List.of("messageId", "description"));
        reports.report(caller, fields.get("messageId"), fields.get("description"));
        RestReplies.ok(exchange, Map.of());
    }

    /**
     * chat.getURLPreview: the preview of a link (fetched now, or from the cache) as a message's {@code urls} entry
     * would hold it, marked not to be parsed again; a link that cannot be fetched (or any, with {@code API_Embed} off)
     * answers with empty metadata, as Rocket.Chat does.
     */
    public void getURLPreview(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Map<String, String> query = new LinkedHashMap<>();
        Params params = Params.of(exchange);
        for (String name : List.of("roomId", "url")) {
            String value = params.text(name);
            if (value == null) {
                throw CaravanException.invalidParams("must have required property '" + name + "'");
            }
            query.put(name, value);
        }
        if (!authorization.canAccessRoom(caller.id(), query.get("roomId"))) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        String url = query.get("url");
        Map<String, Object> preview = new LinkedHashMap<>();
        preview.put("url", url);
        preview.put("meta", Map.of());
        if (settings.bool("API_Embed", true)) {
            urlPreviews.preview(url).ifPresent(found -> preview.putAll(found.asUrlPreview()));
        }
        preview.put("ignoreParse", true);
        RestReplies.ok(exchange, Map.of("urlPreview", preview));
    }

    /** chat.getMessageReadReceipts: read receipts are an enterprise module, which this server does not have. */
    public void getMessageReadReceipts(Exchange exchange) {
        Caller.of(exchange, auth, database);
        throw CaravanException.coded("error-action-not-allowed", "This is an enterprise feature");
    }

    /** The {@code messageId} of a pin, star or reaction, naming a message that exists. */
    private String messageId(Params params) {
        String messageId = params.text("messageId");
        if (messageId == null || messageId.isBlank()) {
            throw CaravanException.coded("error-messageid-param-not-provided", "The required \"messageId\" param is missing.");
        }
        if (store.messages().find(Filters.eq("_id", messageId)).first() == null) {
            throw CaravanException.coded("error-message-not-found", "The provided \"messageId\" does not match any existing message.");
        }
        return messageId;
    }

    /** The links the sender chose to preview ({@code previewUrls}, an array of strings), or null for all of them. */
    private static List<String> previewUrls(Params params) {
        JsonNode node = params.node("previewUrls");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw CaravanException.invalidParams("must be array 'previewUrls'");
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode url : node) {
            if (!url.isTextual()) {
                throw CaravanException.invalidParams("must be string 'previewUrls'");
            }
            urls.add(url.asText());
        }
        return urls;
    }

    /** The body's named string properties, all required and no others, as Rocket.Chat's schema validation says. */
    private static Map<String, String> strictStrings(JsonNode body, List<String> names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            if (body == null || !body.has(name)) {
                throw CaravanException.invalidParams("must have required property '" + name + "'");
            }
            if (!body.get(name).isTextual()) {
                throw CaravanException.invalidParams("must be string '" + name + "'");
            }
            values.put(name, body.get(name).asText());
        }
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            if (!names.contains(it.next())) {
                throw CaravanException.invalidParams("must NOT have additional properties");
            }
        }
        return values;
    }

    /** {@code #name} or a room id or name (public channels are joined), {@code @user} or a user id (a DM). */
    public Document resolveTarget(Caller caller, String target) {
        if (target.startsWith("@")) {
            return directs.open(caller, List.of(requireUser(users.find(null, target.substring(1), null))), false);
        }
        String key = target.startsWith("#") ? target.substring(1) : target;
        Document room = store.room(key);
        if (room == null) {
            room = store.rooms().find(Filters.eq(RoomFields.NAME, key)).first();
        }
        if (room == null && !target.startsWith("#")) {
            Document user = users.find(key, null, null);
            if (user != null) {
                return directs.open(caller, List.of(user), false);
            }
        }
        if (room == null) {
            throw CaravanException.coded("invalid-channel", "");
        }
        if (RoomFields.CHANNEL.equals(room.getString(RoomFields.TYPE)) && store.subscription(room.getString("_id"), caller.id()) == null
                && authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            rooms.join(caller, room);
        }
        return room;
    }

    private static Document requireUser(Document user) {
        if (user == null) {
            throw CaravanException.coded("invalid-channel", "");
        }
        return user;
    }

    static String username(Document user) {
        return user.getString(UserFields.USERNAME);
    }
}
