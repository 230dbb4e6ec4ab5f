package chat.caravan.core.teams;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
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

/** The teams.* endpoints, and channels.convertToTeam / groups.convertToTeam. */
@Component("teamEndpoints")
public class TeamEndpoints {

    private final TeamService teams;
    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public TeamEndpoints(TeamService teams, RoomStore store, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database) {
        this.teams = teams;
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        if (!authorization.hasPermission(caller.id(), "create-team")) {
            throw unauthorized();
        }
        JsonNode type = params.node("type");
        String name = params.text("name");
        if (name == null || type == null || !type.isInt() || (type.asInt() != TeamService.PUBLIC && type.asInt() != TeamService.PRIVATE)) {
            throw CaravanException.coded("error-invalid-params", "Match error: expected a name and a type of 0 or 1");
        }
        Document team = teams.create(caller, name, type.asInt(), strings(params.node("members")), null);
        RestReplies.ok(exchange, Map.of("team", team));
    }

    public void info(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document team = teamOf(Params.of(exchange), "Team not found");
        Document room = store.room(team.getString("roomId"));
        if (room == null) {
            throw CaravanException.plain("Room not found");
        }
        if (!authorization.canAccessRoom(caller.id(), room.getString(RoomFields.ID))
                && !authorization.hasPermission(caller.id(), "view-all-teams")) {
            throw unauthorized();
        }
        RestReplies.ok(exchange, Map.of("teamInfo", team));
    }

    /** The caller's teams. */
    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        List<String> ids = store.teamMembers().find(Filters.eq("userId", caller.id())).map(m -> m.getString("teamId"))
                .into(new ArrayList<>());
        replyTeams(exchange, Filters.in("_id", ids));
    }

    public void listAll(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasPermission(caller.id(), "view-all-teams")) {
            throw unauthorized();
        }
        replyTeams(exchange, new Document());
    }

    private void replyTeams(Exchange exchange, Bson filter) {
        Pagination page = Pagination.of(exchange, settings, new Document("name", 1));
        FindIterable<Document> found = page.window(store.teams().find(filter).sort(page.sort()));
        List<Document> result = found.map(teams::withCounts).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("teams", result, "total", store.teams().countDocuments(filter), "count", result.size(),
                "offset", page.offset()));
    }

    public void members(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Pagination page = Pagination.of(exchange, settings, new Document("createdAt", 1));
        Document team = teamOf(params, "team-does-not-exist");
        String teamId = team.getString("_id");
        boolean canSeeAll = authorization.hasPermission(caller.id(), "view-all-teams", team.getString("roomId"));
        if (!canSeeAll && !teams.isMember(teamId, caller.id())) {
            RestReplies.ok(exchange, Map.of("members", List.of(), "total", 0, "count", 0, "offset", page.offset()));
            return;
        }
        List<Bson> userFilter = new ArrayList<>(List.of(Filters.ne(UserFields.ACTIVE, false)));
        if (params.text("username") != null) {
            userFilter.add(Filters.regex(UserFields.USERNAME, Pattern.compile(Pattern.quote(params.text("username")), Pattern.CASE_INSENSITIVE)));
        }
        if (params.text("name") != null) {
            userFilter.add(Filters.regex(UserFields.NAME, Pattern.compile(Pattern.quote(params.text("name")), Pattern.CASE_INSENSITIVE)));
        }
        List<String> statuses = params.list("status");
        if (!statuses.isEmpty()) {
            userFilter.add(Filters.in(UserFields.STATUS, statuses));
        }
        Map<String, Document> users = new java.util.HashMap<>();
        store.users().find(Filters.and(userFilter)).forEach(u -> users.put(u.getString(UserFields.ID), u));
        Bson filter = Filters.and(Filters.eq("teamId", teamId), Filters.in("userId", users.keySet()));
        FindIterable<Document> found = page.window(store.teamMembers().find(filter));
        List<Document> records = new ArrayList<>();
        for (Document member : found) {
            Document user = users.get(member.getString("userId"));
            records.add(new Document("user", new Document("_id", user.get("_id")).append("username", user.get("username"))
                    .append("name", user.get("name")).append("status", user.get("status")).append("settings", user.get("settings")))
                    .append("roles", member.get("roles")).append("createdBy", member.get("createdBy"))
                    .append("createdAt", member.get("createdAt")));
        }
        RestReplies.ok(exchange, Map.of("members", records, "total", store.teamMembers().countDocuments(filter),
                "count", records.size(), "offset", page.offset()));
    }

    public void addMembers(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode members = params.node("members");
        if (members == null || !members.isArray() || members.isEmpty()) {
            throw CaravanException.invalidParams("must have required property 'members'");
        }
        List<Map.Entry<String, List<String>>> entries = new ArrayList<>();
        for (JsonNode member : members) {
            if (!member.path("userId").isTextual()) {
                throw CaravanException.invalidParams("must have required property 'userId'");
            }
            entries.add(new AbstractMap.SimpleEntry<>(member.get("userId").asText(), strings(member.get("roles"))));
        }
        Document team = teamOf(params, "team-does-not-exist");
        if (!authorization.hasAtLeastOnePermission(caller.id(), List.of("add-team-member", "edit-team-member"), team.getString("roomId"))) {
            throw unauthorized();
        }
        teams.addMembers(caller, team, entries);
        RestReplies.ok(exchange, Map.of());
    }

    public void removeMember(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String userId = params.requiredText("userId");
        Document team = teamOf(params, "team-does-not-exist");
        if (!authorization.hasPermission(caller.id(), "edit-team-member", team.getString("roomId"))) {
            throw unauthorized();
        }
        Document user = store.users().find(Filters.and(Filters.eq(UserFields.ID, userId), Filters.ne(UserFields.ACTIVE, false))).first();
        if (user == null) {
            throw CaravanException.plain("invalid-user");
        }
        teams.removeMember(caller, team, user, strings(params.node("rooms")));
        RestReplies.ok(exchange, Map.of());
    }

    public void leave(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document team = teamOf(params, "team-does-not-exist");
        teams.removeMember(caller, team, caller.user(), strings(params.node("rooms")));
        RestReplies.ok(exchange, Map.of());
    }

    public void addRooms(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        JsonNode rooms = params.node("rooms");
        if (rooms == null || !rooms.isArray()) {
            throw CaravanException.plain("Match error: Missing key 'rooms'");
        }
        Document team = teamOf(params, "team-does-not-exist");
        if (!authorization.hasPermission(caller.id(), "add-team-channel", team.getString("roomId"))) {
            throw CaravanException.forbidden("error-no-permission-team-channel");
        }
        List<Document> added = teams.addRooms(caller, team, strings(rooms));
        RestReplies.ok(exchange, Map.of("rooms", RoomLookup.views(added)));
    }

    public void removeRoom(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.requiredText("roomId");
        Document team = teamOf(params, "team-does-not-exist");
        if (!authorization.hasPermission(caller.id(), "remove-team-channel", team.getString("roomId"))) {
            throw unauthorized();
        }
        boolean canRemoveAny = authorization.hasPermission(caller.id(), "view-all-team-channels", team.getString("roomId"));
        RestReplies.ok(exchange, Map.of("room", RoomLookup.view(teams.removeRoom(caller, team, roomId, canRemoveAny))));
    }

    public void updateRoom(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.requiredText("roomId");
        Boolean isDefault = params.bool("isDefault");
        if (isDefault == null) {
            throw CaravanException.plain("Match error: Missing key 'isDefault'");
        }
        Document room = store.room(roomId);
        if (room == null) {
            throw CaravanException.plain("invalid-room");
        }
        Document team = store.team(room.getString(RoomFields.TEAM_ID));
        if (team == null) {
            throw CaravanException.plain("team-does-not-exist");
        }
        if (!authorization.hasPermission(caller.id(), "edit-team-channel", team.getString("roomId"))) {
            throw unauthorized();
        }
        boolean canUpdateAny = authorization.hasPermission(caller.id(), "view-all-team-channels", team.getString("roomId"));
        RestReplies.ok(exchange, Map.of("room", RoomLookup.view(teams.updateRoom(caller, roomId, isDefault, canUpdateAny))));
    }

    public void listRooms(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Pagination page = Pagination.of(exchange, settings, new Document(RoomFields.NAME, 1));
        Document team = teamOf(params, "team-does-not-exist");
        String teamId = team.getString("_id");
        boolean allowPrivateTeam = authorization.hasPermission(caller.id(), "view-all-teams", team.getString("roomId"));
        boolean allRooms = authorization.hasPermission(caller.id(), "view-all-team-channels", team.getString("roomId"));
        if (Integer.valueOf(TeamService.PRIVATE).equals(team.getInteger("type")) && !allowPrivateTeam
                && !teams.isMember(teamId, caller.id())) {
            throw CaravanException.plain("user-not-on-private-team");
        }
        List<String> visible = allRooms ? null : store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, caller.id()))
                .map(s -> s.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        Bson filter = teams.roomsFilter(teamId, params.text("filter"), "autoJoin".equals(params.text("type")), visible);
        FindIterable<Document> found = page.window(store.rooms().find(filter).sort(page.sort()));
        List<Document> result = RoomLookup.views(found.into(new ArrayList<>()));
        RestReplies.ok(exchange, Map.of("rooms", result, "total", store.rooms().countDocuments(filter), "count", result.size(),
                "offset", page.offset()));
    }

    public void delete(Exchange exchange) {
        dissolve(exchange, "delete-team", false);
    }

    public void convertToChannel(Exchange exchange) {
        dissolve(exchange, "convert-team", true);
    }

    /**
     * teams.delete and teams.convertToChannel: one request, told apart by the permission it needs and whether the
     * team's main room stays (as a channel or group) or goes.
     */
    private void dissolve(Exchange exchange, String permission, boolean keepMainRoom) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        requireOneTeamParam(params);
        Document team = teamOf(params, "team-does-not-exist");
        if (!authorization.hasPermission(caller.id(), permission, team.getString("roomId"))) {
            throw unauthorized();
        }
        teams.dissolve(caller, team, strings(params.node("roomsToRemove")), keepMainRoom);
        RestReplies.ok(exchange, Map.of());
    }

    /** channels.convertToTeam: by {@code channelId} or {@code channelName}, never both. */
    public void convertChannel(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String channelId = params.text("channelId");
        String channelName = params.text("channelName");
        if ((channelId == null) == (channelName == null)) {
            throw CaravanException.invalidParams("must match exactly one schema in oneOf");
        }
        if (!authorization.hasPermission(caller.id(), "create-team")) {
            throw unauthorized();
        }
        if (channelId != null && !authorization.hasPermission(caller.id(), "edit-room", channelId)) {
            throw unauthorized();
        }
        Document room = channelId != null ? store.room(channelId) : store.rooms().find(Filters.eq(RoomFields.NAME, channelName)).first();
        if (room == null || !RoomFields.CHANNEL.equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.coded("error-room-not-found",
                    "The required \"roomId\" or \"roomName\" param provided does not match any channel");
        }
        RestReplies.ok(exchange, Map.of("team", convert(caller, room, RoomFields.CHANNEL.equals(room.getString(RoomFields.TYPE))
                ? TeamService.PUBLIC : TeamService.PRIVATE)));
    }

    /** groups.convertToTeam: by {@code roomId} or {@code roomName}; needs create-team and edit-room in the group. */
    public void convertGroup(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String roomId = params.text("roomId");
        String roomName = params.text("roomName");
        if ((roomId == null || roomId.isBlank()) && (roomName == null || roomName.isBlank())) {
            throw CaravanException.plain("The parameter \"roomId\" or \"roomName\" is required");
        }
        Document room = roomId != null && !roomId.isBlank() ? store.room(roomId)
                : store.rooms().find(Filters.eq(RoomFields.NAME, roomName)).first();
        if (room == null || !RoomFields.PRIVATE_GROUP.equals(room.getString(RoomFields.TYPE))
                || store.subscription(room.getString(RoomFields.ID), caller.id()) == null) {
            throw CaravanException.coded("error-room-not-found",
                    "The required \"roomId\" or \"roomName\" param provided does not match any group");
        }
        if (!authorization.hasAllPermission(caller.id(), List.of("create-team", "edit-room"), room.getString(RoomFields.ID))) {
            throw unauthorized();
        }
        RestReplies.ok(exchange, Map.of("team", convert(caller, room, TeamService.PRIVATE)));
    }

    private Document convert(Caller caller, Document room, int type) {
        List<String> members = store.subscriptions().find(Filters.eq(SubscriptionFields.ROOM_ID, room.getString(RoomFields.ID)))
                .map(s -> s.get(SubscriptionFields.USER, Document.class).getString("_id")).into(new ArrayList<>());
        return teams.create(caller, room.getString(RoomFields.NAME), type, members, room);
    }

    private Document teamOf(Params params, String missing) {
        Document team = teams.byIdOrName(params.text("teamId"), params.text("teamName"));
        if (team == null) {
            throw CaravanException.plain(missing);
        }
        return team;
    }

    private static void requireOneTeamParam(Params params) {
        if ((params.text("teamId") == null) == (params.text("teamName") == null)) {
            throw CaravanException.invalidParams("must match exactly one schema in oneOf");
        }
    }

    private static CaravanException unauthorized() {
        return CaravanException.forbidden("unauthorized");
    }

    private static List<String> strings(JsonNode values) {
        List<String> result = new ArrayList<>();
        if (values != null && values.isArray()) {
            values.forEach(v -> {
                if (v.isTextual() && !v.asText().isEmpty()) {
                    result.add(v.asText());
                }
            });
        }
        return result;
    }
}
