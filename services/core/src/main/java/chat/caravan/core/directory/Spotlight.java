package chat.caravan.core.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's spotlight: users and rooms matching a typed text ({@code @text} users only, {@code #text} rooms only)
 * that the caller is not already in. Rooms are only those the caller may open (public channels, public team rooms,
 * teams they may see); users only those they may list (anyone with view-outside-room, else people they share a
 * room with).
 */
@Component
public class Spotlight {

    private static final int ROOM_LIMIT = 5;

    private final RoomStore store;
    private final Directory directory;
    private final Authorization authorization;
    private final Settings settings;

    public Spotlight(RoomStore store, Directory directory, Authorization authorization, Settings settings) {
        this.store = store;
        this.directory = directory;
        this.authorization = authorization;
        this.settings = settings;
    }

    public Map<String, Object> search(Caller caller, String query) {
        return search(caller, query, true, true);
    }

    /** As the DDP method takes it: {@code type} may leave out users or rooms. */
    public Map<String, Object> search(Caller caller, String query, boolean wantUsers, boolean wantRooms) {
        String text = query == null ? "" : query;
        boolean users = wantUsers;
        boolean rooms = wantRooms;
        if (text.startsWith("#")) {
            users = false;
            text = text.substring(1);
        } else if (text.startsWith("@")) {
            rooms = false;
            text = text.substring(1);
        }
        return Map.of("users", users ? users(caller, text.trim()) : List.of(), "rooms", rooms ? rooms(caller, text.trim()) : List.of());
    }

    List<Document> rooms(Caller caller, String text) {
        if (!authorization.hasPermission(caller.id(), "view-outside-room") || !authorization.hasPermission(caller.id(), "view-c-room")) {
            return List.of();
        }
        List<String> joined = store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, caller.id()))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        Pattern term = Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE);
        Bson filter = Filters.and(Filters.nin(RoomFields.ID, joined), Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL),
                Filters.ne("federated", true), Filters.or(Filters.regex(RoomFields.NAME, term), Filters.regex(RoomFields.FNAME, term)));
        Document projection = Directory.fields("t", "name", "fname", "teamMain", "joinCodeRequired", "lastMessage", "federated", "prid");
        List<Document> found = new ArrayList<>();
        for (Document room : store.rooms().find(filter).projection(projection).sort(new Document(RoomFields.NAME, 1))) {
            if (authorization.canAccessRoom(caller.id(), room.getString(RoomFields.ID))) {
                if (settings.bool("Store_Last_Message", true) && !authorization.hasPermission(caller.id(), "preview-c-room")) {
                    room.remove(RoomFields.LAST_MESSAGE);
                }
                found.add(room);
                if (found.size() == ROOM_LIMIT) {
                    break;
                }
            }
        }
        return found;
    }

    List<Document> users(Caller caller, String text) {
        int limit = Math.max(1, settings.integer("Number_of_users_autocomplete_suggestions", 5));
        Document projection = Directory.fields("username", "nickname", "name", "status", "statusText", "avatarETag");
        Document sort = new Document(settings.bool("UI_Use_Real_Name", false) ? UserFields.NAME : UserFields.USERNAME, 1);
        boolean outsiders = authorization.hasPermission(caller.id(), "view-outside-room")
                && authorization.hasPermission(caller.id(), "view-d-room");
        List<Document> users = new ArrayList<>();
        List<String> seen = new ArrayList<>(List.of(caller.username()));
        if (outsiders && !text.isEmpty()) {
            Document exact = store.users().find(Filters.regex(UserFields.USERNAME, Pattern.compile("^" + Pattern.quote(text) + "$",
                    Pattern.CASE_INSENSITIVE))).projection(projection).first();
            if (exact != null) {
                users.add(exact.append("outside", true));
                seen.add(exact.getString(UserFields.USERNAME));
            }
        }
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(UserFields.ACTIVE, true), Filters.nin(UserFields.USERNAME, seen),
                Filters.exists(UserFields.USERNAME, true)));
        if (!text.isEmpty()) {
            Pattern term = Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE);
            filter.add(Filters.or(directory.searchFields().stream().map(field -> Filters.regex(field, term)).toList()));
        }
        if (!outsiders) {
            filter.add(Filters.in(UserFields.ID, roomMates(caller)));
        }
        if (users.size() < limit) {
            store.users().find(Filters.and(filter)).projection(projection).sort(sort).limit(limit - users.size())
                    .forEach(user -> users.add(outsiders ? user.append("outside", true) : user));
        }
        return users;
    }

    /** Users who share a room with the caller. */
    private List<String> roomMates(Caller caller) {
        List<String> rooms = store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, caller.id()))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        return store.subscriptions().find(Filters.in(SubscriptionFields.ROOM_ID, rooms))
                .map(s -> s.get(SubscriptionFields.USER, Document.class).getString("_id")).into(new ArrayList<>());
    }
}
