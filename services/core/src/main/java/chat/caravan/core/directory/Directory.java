package chat.caravan.core.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Rocket.Chat's browseChannels (the directory): channels, teams or users matching a text, one page of them. Only
 * what the caller may see: channels of the workspace and of teams open to them, teams they may enter, and e-mail
 * addresses only for those with view-full-other-user-info.
 */
@Component
public class Directory {

    /** One page of a directory search; {@code sortBy} null means by name, {@code ascending} as Rocket.Chat defaults. */
    public record Search(String text, String type, String workspace, String sortBy, boolean ascending, int offset, int limit) {
    }

    public record Page(List<Document> results, long total) {
    }

    private static final List<String> TYPES = List.of("channels", "users", "teams");

    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;

    public Directory(RoomStore store, Authorization authorization, Settings settings) {
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
    }

    /** The page, or null when Rocket.Chat would answer nothing (unknown type or sort, or not allowed). */
    public Page browse(Caller caller, Search search) {
        String type = search.type() == null ? "channels" : search.type();
        String sortBy = search.sortBy() == null ? "name" : search.sortBy();
        if (!TYPES.contains(type)) {
            return null;
        }
        List<String> sortable = new ArrayList<>(List.of("name", "createdAt", "usersCount"));
        if (!"users".equals(type)) {
            sortable.addAll(List.of("usernames", "lastMessage"));
        } else {
            sortable.addAll(List.of("username", "email", "bio"));
        }
        if (!sortable.contains(sortBy)) {
            return null;
        }
        String text = search.text() == null ? "" : search.text().trim();
        Pattern term = text.isEmpty() ? null : Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE);
        int direction = search.ascending() ? 1 : -1;
        return switch (type) {
            case "channels" -> channels(caller, term, roomSort(sortBy, direction), search);
            case "teams" -> teams(caller, term, roomSort(sortBy, direction), search);
            default -> users(caller, text, search.workspace(), userSort(sortBy, direction), search);
        };
    }

    private Page channels(Caller caller, Pattern term, Document sort, Search search) {
        if (!authorization.hasPermission(caller.id(), "view-c-room")) {
            return null;
        }
        List<String> teamIds = store.teams().find(Filters.eq("type", 0)).map(t -> t.getString("_id")).into(new ArrayList<>());
        store.teamMembers().find(Filters.eq("userId", caller.id())).forEach(m -> teamIds.add(m.getString("teamId")));
        List<String> joined = joinedRooms(caller);
        List<Bson> filter = new ArrayList<>(List.of(Filters.ne(RoomFields.TEAM_MAIN, true), Filters.exists(RoomFields.PARENT_ROOM_ID, false),
                Filters.or(Filters.and(Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL), Filters.exists(RoomFields.TEAM_ID, false)),
                        Filters.and(Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL), Filters.in(RoomFields.TEAM_ID, teamIds)),
                        Filters.in(RoomFields.ID, joined))));
        if (term != null) {
            filter.add(Filters.or(Filters.regex(RoomFields.NAME, term), Filters.regex(RoomFields.FNAME, term)));
        }
        Document projection = fields("t", "description", "topic", "name", "fname", "lastMessage", "ts", "archived", "default",
                "featured", "usersCount", "prid", "teamId", "federated");
        List<Document> rooms = page(Filters.and(filter), projection, sort, search);
        Map<String, String> teamNames = new LinkedHashMap<>();
        for (Document room : rooms) {
            String teamId = room.getString(RoomFields.TEAM_ID);
            if (teamId != null) {
                String name = teamNames.computeIfAbsent(teamId, id -> {
                    Document team = store.team(id);
                    return team == null ? null : team.getString("name");
                });
                if (name != null) {
                    room.append("belongsTo", name);
                }
            }
        }
        return new Page(rooms, store.rooms().countDocuments(Filters.and(filter)));
    }

    private Page teams(Caller caller, Pattern term, Document sort, Search search) {
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(RoomFields.TEAM_MAIN, true),
                Filters.or(Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL), Filters.in(RoomFields.ID, joinedRooms(caller)))));
        if (term != null) {
            filter.add(Filters.or(Filters.regex(RoomFields.NAME, term), Filters.regex(RoomFields.FNAME, term)));
        }
        Document projection = fields("t", "description", "topic", "name", "fname", "lastMessage", "ts", "archived", "default",
                "featured", "usersCount", "prid", "teamId", "teamMain");
        List<Document> rooms = page(Filters.and(filter), projection, sort, search);
        rooms.forEach(room -> room.append("roomsCount", store.rooms().countDocuments(Filters.and(Filters.eq(RoomFields.TEAM_ID,
                room.getString(RoomFields.TEAM_ID)), Filters.ne(RoomFields.TEAM_MAIN, true)))));
        return new Page(rooms, store.rooms().countDocuments(Filters.and(filter)));
    }

    private Page users(Caller caller, String text, String workspace, Document sort, Search search) {
        if (!authorization.hasPermission(caller.id(), "view-outside-room") || !authorization.hasPermission(caller.id(), "view-d-room")) {
            return null;
        }
        boolean fullInfo = authorization.hasPermission(caller.id(), "view-full-other-user-info");
        List<String> searchFields = "all".equals(workspace) ? List.of("username", "name", "emails.address") : searchFields();
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(UserFields.ACTIVE, true), Filters.exists(UserFields.USERNAME, true),
                Filters.ne(UserFields.TYPE, "app")));
        if (!"all".equals(workspace)) {
            filter.add(Filters.ne("federated", true));
        }
        if (!text.isEmpty()) {
            Pattern term = Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE);
            filter.add(Filters.or(searchFields.stream().map(field -> Filters.regex(field, term)).toList()));
        }
        Document projection = fields("username", "name", "nickname", "bio", "createdAt", "federation", "avatarETag");
        if (fullInfo) {
            projection.append(UserFields.EMAILS, 1);
        }
        var found = store.users().find(Filters.and(filter)).projection(projection).sort(sort).skip(search.offset());
        if (search.limit() > 0) {
            found = found.limit(search.limit());
        }
        return new Page(found.into(new ArrayList<>()), store.users().countDocuments(Filters.and(filter)));
    }

    /** Accounts_SearchFields: the user fields a search by text looks in. */
    List<String> searchFields() {
        List<String> fields = new ArrayList<>();
        for (String field : settings.string("Accounts_SearchFields", "username, name, bio, nickname").split(",")) {
            if (!field.trim().isEmpty()) {
                fields.add(field.trim());
            }
        }
        return fields;
    }

    private List<Document> page(Bson filter, Document projection, Document sort, Search search) {
        Document withFeatured = new Document(RoomFields.FEATURED, -1);
        withFeatured.putAll(sort);
        var found = store.rooms().find(filter).projection(projection).sort(withFeatured).skip(search.offset());
        if (search.limit() > 0) {
            found = found.limit(search.limit());
        }
        return found.into(new ArrayList<>());
    }

    private List<String> joinedRooms(Caller caller) {
        return store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, caller.id()))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
    }

    private static Document roomSort(String field, int direction) {
        return switch (field) {
            case "createdAt" -> new Document("ts", direction);
            case "lastMessage" -> new Document("lastMessage.ts", direction);
            default -> new Document(field, direction);
        };
    }

    private static Document userSort(String field, int direction) {
        return "email".equals(field) ? new Document("emails.address", direction).append("username", direction)
                : new Document(field, direction);
    }

    static Document fields(String... names) {
        Document projection = new Document();
        for (String name : names) {
            projection.append(name, 1);
        }
        return projection;
    }
}
