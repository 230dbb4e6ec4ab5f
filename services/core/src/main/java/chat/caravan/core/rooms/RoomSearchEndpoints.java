package chat.caravan.core.rooms;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** The rooms.* lists: administration (adminRooms), the autocompletes, and a room's images. */
@Component("roomSearchEndpoints")
public class RoomSearchEndpoints {

    /** Rocket.Chat's adminFields: what the room administration sees of a room. */
    static final Document ADMIN_FIELDS = fields("_id", "prid", "fname", "name", "t", "cl", "u", "usernames", "ts", "usersCount",
            "muted", "unmuted", "ro", "reactWhenReadOnly", "default", "favorite", "featured", "topic", "msgs", "archived",
            "teamId", "teamMain", "announcement", "description", "broadcast", "uids", "avatarETag", "federated");
    private static final Document AUTOCOMPLETE_FIELDS = fields("_id", "fname", "name", "t", "avatarETag");

    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public RoomSearchEndpoints(RoomStore store, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database) {
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void adminRooms(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        requireAdministration(caller, List.of("view-room-administration"));
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.DEFAULT, -1).append(RoomFields.NAME, 1));
        List<String> types = Params.of(exchange).list("types");
        String filter = Params.of(exchange).text("filter");
        boolean discussions = types.remove("discussions");
        boolean teams = types.remove("teams");
        List<Bson> query = new ArrayList<>();
        if (filter != null && !filter.isBlank()) {
            Pattern name = Pattern.compile(Pattern.quote(filter.trim()), Pattern.CASE_INSENSITIVE);
            query.add(Filters.or(Filters.and(Filters.regex(RoomFields.NAME, name), Filters.ne("federated", true)),
                    Filters.regex(RoomFields.FNAME, name),
                    Filters.and(Filters.eq(RoomFields.TYPE, RoomFields.DIRECT), Filters.regex(RoomFields.USERNAMES, name))));
        }
        if (!types.isEmpty() || discussions || teams) {
            List<Bson> kinds = new ArrayList<>(List.of(Filters.in(RoomFields.TYPE, types)));
            if (discussions) {
                kinds.add(Filters.exists(RoomFields.PARENT_ROOM_ID, true));
            }
            if (teams) {
                kinds.add(Filters.eq(RoomFields.TEAM_MAIN, true));
            }
            query.add(Filters.or(kinds));
        }
        if (!discussions) {
            query.add(Filters.exists(RoomFields.PARENT_ROOM_ID, false));
        }
        if (!teams) {
            query.add(Filters.ne(RoomFields.TEAM_MAIN, true));
        }
        Bson where = query.isEmpty() ? new Document() : Filters.and(query);
        FindIterable<Document> found = page.window(store.rooms().find(where).projection(ADMIN_FIELDS).sort(page.sort()));
        List<Document> rooms = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("rooms", rooms, "count", rooms.size(), "offset", page.offset(),
                "total", store.rooms().countDocuments(where)));
    }

    public void adminRoom(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        requireAdministration(caller, List.of("view-room-administration"));
        String rid = Params.of(exchange).text("rid");
        Document room = rid == null ? null : store.rooms().find(Filters.eq(RoomFields.ID, rid)).projection(ADMIN_FIELDS).first();
        if (room == null) {
            throw CaravanException.coded("not-allowed", "Not Allowed");
        }
        RestReplies.ok(exchange, room);
    }

    public void adminRoomsAutocomplete(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String name = selectorName(exchange);
        requireAdministration(caller, List.of("view-room-administration", "can-audit"));
        Pattern starting = Pattern.compile("^" + Pattern.quote(name), Pattern.CASE_INSENSITIVE);
        List<Document> items = store.rooms().find(Filters.or(Filters.regex(RoomFields.NAME, starting),
                Filters.regex(RoomFields.FNAME, starting))).projection(new Document(AUTOCOMPLETE_FIELDS).append("encrypted", 1))
                .sort(new Document(RoomFields.NAME, 1)).limit(10).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("items", items));
    }

    /** The caller's channels and groups (not discussions) whose name starts with the selector's. */
    public void channelAndPrivateAutocomplete(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String name = selectorName(exchange);
        List<Document> items = store.rooms().find(joinedRoomsNamed(caller, name)).projection(AUTOCOMPLETE_FIELDS)
                .sort(new Document(RoomFields.NAME, 1)).limit(10).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("items", items));
    }

    public void channelAndPrivateAutocompletePaged(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        String name = selectorName(exchange);
        Bson where = joinedRoomsNamed(caller, name);
        FindIterable<Document> found = page.window(store.rooms().find(where).projection(AUTOCOMPLETE_FIELDS).sort(page.sort()));
        RestReplies.ok(exchange, Map.of("items", found.into(new ArrayList<>()), "total", store.rooms().countDocuments(where)));
    }

    /** Channels and groups the caller owns that are in no team yet and not discussions: what may join a team. */
    public void availableForTeams(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String name = Params.of(exchange).text("name");
        List<String> owned = store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.USER_ID, caller.id()),
                Filters.eq(SubscriptionFields.ROLES, "owner"))).map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        Bson where = Filters.and(Filters.in(RoomFields.ID, owned), Filters.in(RoomFields.TYPE, RoomFields.CHANNEL, RoomFields.PRIVATE_GROUP),
                Filters.exists(RoomFields.TEAM_ID, false), Filters.exists(RoomFields.PARENT_ROOM_ID, false),
                Filters.regex(RoomFields.NAME, Pattern.compile("^" + Pattern.quote(name == null ? "" : name), Pattern.CASE_INSENSITIVE)));
        List<Document> items = store.rooms().find(where).projection(AUTOCOMPLETE_FIELDS).sort(new Document(RoomFields.NAME, 1))
                .limit(10).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("items", items));
    }

    /** The images uploaded to a room, newest first, optionally from one image on. */
    public void images(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        if (roomId == null || roomId.isBlank()) {
            throw CaravanException.invalidParams("must have required property 'roomId'");
        }
        if (store.room(roomId) == null || !authorization.canAccessRoom(caller.id(), roomId)) {
            throw CaravanException.forbidden("unauthorized");
        }
        Pagination page = Pagination.of(exchange, settings, new Document("uploadedAt", -1));
        var uploads = database.getCollection(Collections.UPLOADS);
        Document initial = params.text("startingFromId") == null ? null
                : uploads.find(Filters.eq("_id", params.text("startingFromId"))).first();
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq("rid", roomId), Filters.eq("complete", true),
                Filters.ne("uploading", true), Filters.eq("typeGroup", "image")));
        if (initial != null && initial.getDate("uploadedAt") != null) {
            filter.add(Filters.lte("uploadedAt", initial.getDate("uploadedAt")));
        }
        FindIterable<Document> found = page.window(uploads.find(Filters.and(filter)).sort(new Document("uploadedAt", -1)));
        List<Document> files = found.into(new ArrayList<>());
        if (initial != null && files.stream().noneMatch(f -> initial.get("_id").equals(f.get("_id")))) {
            files.add(0, initial);
        }
        RestReplies.ok(exchange, Map.of("files", files, "count", page.count(), "offset", page.offset(),
                "total", uploads.countDocuments(Filters.and(filter))));
    }

    private Bson joinedRoomsNamed(Caller caller, String name) {
        List<String> joined = store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, caller.id()))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        return Filters.and(Filters.in(RoomFields.ID, joined), Filters.in(RoomFields.TYPE, RoomFields.CHANNEL, RoomFields.PRIVATE_GROUP),
                Filters.exists(RoomFields.PARENT_ROOM_ID, false),
                Filters.regex(RoomFields.NAME, Pattern.compile("^" + Pattern.quote(name.trim()), Pattern.CASE_INSENSITIVE)));
    }

    private void requireAdministration(Caller caller, List<String> permissions) {
        if (!authorization.hasAtLeastOnePermission(caller.id(), permissions, null)) {
            throw CaravanException.plain("error-not-authorized");
        }
    }

    /** The {@code name} of the required JSON {@code selector} parameter ("" when it names none). */
    private static String selectorName(Exchange exchange) {
        String selector = Params.of(exchange).text("selector");
        if (selector == null || selector.isBlank()) {
            throw CaravanException.plain("The 'selector' param is required");
        }
        JsonNode parsed;
        try {
            parsed = CaravanJson.ejson().readTree(selector);
        } catch (IOException e) {
            throw CaravanException.invalidParams("The 'selector' param must be JSON");
        }
        JsonNode name = parsed == null ? null : parsed.get("name");
        return name != null && name.isTextual() ? name.asText() : "";
    }

    private static Document fields(String... names) {
        Document projection = new Document();
        for (String name : names) {
            projection.append(name, 1);
        }
        return projection;
    }
}
