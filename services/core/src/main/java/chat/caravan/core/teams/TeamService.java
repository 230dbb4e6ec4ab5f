package chat.caravan.core.teams;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.Caller;
import chat.caravan.core.messages.MessageWriter;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Teams as Rocket.Chat keeps them: a {@code rocketchat_team} document (name, type 0 public / 1 private, roomId of its
 * main room), one {@code rocketchat_team_member} per member (roles, owner first), the main room marked
 * {@code teamMain}, and the team's other rooms carrying its {@code teamId}. Errors are Rocket.Chat's plain ones.
 */
@Component
public class TeamService {

    public static final int PUBLIC = 0;
    public static final int PRIVATE = 1;

    private final RoomStore store;
    private final RoomService rooms;
    private final MessageWriter messages;
    private final Authorization authorization;

    public TeamService(RoomStore store, RoomService rooms, MessageWriter messages, Authorization authorization) {
        this.store = store;
        this.rooms = rooms;
        this.messages = messages;
        this.authorization = authorization;
    }

    /**
     * Creates a team with a new main room, or with an existing room (a channel or group converted to a team),
     * its members (user ids or usernames) and the creator as owner.
     */
    public Document create(Caller caller, String name, int type, List<String> members, Document existingRoom) {
        if (name == null || name.isBlank()) {
            throw CaravanException.plain("team-name-already-exists");
        }
        Pattern exact = Pattern.compile("^" + Pattern.quote(name.trim()) + "$", Pattern.CASE_INSENSITIVE);
        if (store.users().find(Filters.regex(UserFields.USERNAME, exact)).first() != null
                || store.teams().find(Filters.regex("name", exact)).first() != null) {
            throw CaravanException.plain("team-name-already-exists");
        }
        Document sameName = store.rooms().find(Filters.eq(RoomFields.NAME, name)).first();
        if (sameName != null && (existingRoom == null || !sameName.getString(RoomFields.ID).equals(existingRoom.getString(RoomFields.ID)))) {
            throw CaravanException.plain("room-name-already-exists");
        }
        List<Document> memberUsers = members == null || members.isEmpty() ? List.of()
                : store.users().find(Filters.and(Filters.ne(UserFields.ACTIVE, false), Filters.or(Filters.in(UserFields.ID, members),
                        Filters.in(UserFields.USERNAME, members)))).into(new ArrayList<>());
        String roomId;
        if (existingRoom != null) {
            roomId = existingRoom.getString(RoomFields.ID);
        } else {
            List<String> usernames = memberUsers.stream().map(u -> u.getString(UserFields.USERNAME)).toList();
            roomId = rooms.create(caller, type == PRIVATE ? RoomKind.GROUP : RoomKind.CHANNEL, name, new ArrayList<>(usernames),
                    false, false, new Document(RoomFields.CUSTOM_FIELDS, new Document())).getString(RoomFields.ID);
        }
        Date now = new Date();
        Document creator = new Document("_id", caller.id()).append("username", caller.username());
        Document team = new Document("_id", Ids.random()).append("name", name).append("type", type).append("createdAt", now)
                .append("createdBy", creator).append("_updatedAt", now).append("roomId", roomId);
        store.teams().insertOne(team);
        String teamId = team.getString("_id");
        for (Document member : memberUsers) {
            if (!member.getString(UserFields.ID).equals(caller.id())) {
                store.addTeamMember(teamId, member.getString(UserFields.ID), caller.user(), null);
            }
        }
        store.addTeamMember(teamId, caller.id(), caller.user(), List.of("owner"));
        store.rooms().updateOne(Filters.eq(RoomFields.ID, roomId), Updates.combine(Updates.set(RoomFields.TEAM_MAIN, true),
                Updates.set(RoomFields.TEAM_ID, teamId), Updates.set(RoomFields.UPDATED_AT, now)));
        if (existingRoom != null) {
            messages.insertSystemMessage(store.room(roomId), "user-converted-to-team", name, caller.user(), null);
        }
        return team;
    }

    public Document byIdOrName(String teamId, String teamName) {
        if (teamId != null && !teamId.isBlank()) {
            return store.team(teamId);
        }
        if (teamName != null && !teamName.isBlank()) {
            return store.teams().find(Filters.eq("name", teamName)).first();
        }
        return null;
    }

    public boolean isMember(String teamId, String userId) {
        return store.teamMembers().find(Filters.and(Filters.eq("teamId", teamId), Filters.eq("userId", userId))).first() != null;
    }

    /** Moves rooms into the team: each must exist, be visible to the caller, be in no team yet and be owned by them. */
    public List<Document> addRooms(Caller caller, Document team, List<String> rids) {
        List<Document> found = store.rooms().find(Filters.in(RoomFields.ID, rids)).into(new ArrayList<>());
        if (found.size() < rids.size()) {
            throw CaravanException.plain("invalid-room");
        }
        for (Document room : found) {
            if (!authorization.canAccessRoom(caller.id(), room.getString(RoomFields.ID))) {
                throw CaravanException.plain("invalid-room");
            }
        }
        Document main = store.room(team.getString("roomId"));
        for (Document room : found) {
            if (room.getString(RoomFields.TEAM_ID) != null) {
                throw CaravanException.plain("room-already-on-team");
            }
            Document subscription = store.subscription(room.getString(RoomFields.ID), caller.id());
            if (subscription == null || !subscription.getList(SubscriptionFields.ROLES, String.class, List.of()).contains("owner")) {
                throw CaravanException.plain("error-no-owner-channel");
            }
            if (RoomFields.CHANNEL.equals(room.getString(RoomFields.TYPE)) && main != null) {
                messages.insertSystemMessage(main, "user-added-room-to-team", room.getString(RoomFields.NAME), caller.user(), null);
            }
            room.put(RoomFields.TEAM_ID, team.getString("_id"));
        }
        store.rooms().updateMany(Filters.in(RoomFields.ID, rids), Updates.combine(Updates.set(RoomFields.TEAM_ID, team.getString("_id")),
                Updates.set(RoomFields.UPDATED_AT, new Date())));
        return found;
    }

    public Document removeRoom(Caller caller, Document team, String rid, boolean canRemoveAny) {
        Document room = store.room(rid);
        if (room == null || (!canRemoveAny && !authorization.canAccessRoom(caller.id(), rid))) {
            throw CaravanException.plain("invalid-room");
        }
        if (!team.getString("_id").equals(room.getString(RoomFields.TEAM_ID))) {
            throw CaravanException.plain("room-not-on-that-team");
        }
        store.rooms().updateOne(Filters.eq(RoomFields.ID, rid), Updates.combine(Updates.unset(RoomFields.TEAM_ID),
                Updates.unset(RoomFields.TEAM_DEFAULT), Updates.set(RoomFields.UPDATED_AT, new Date())));
        room.remove(RoomFields.TEAM_ID);
        room.remove(RoomFields.TEAM_DEFAULT);
        Document main = store.room(team.getString("roomId"));
        if (RoomFields.CHANNEL.equals(room.getString(RoomFields.TYPE)) && main != null) {
            messages.insertSystemMessage(main, "user-removed-room-from-team", room.getString(RoomFields.NAME), caller.user(), null);
        }
        return room;
    }

    /** Marks a team room as auto-join (or not); an auto-join room gets every team member. */
    public Document updateRoom(Caller caller, String rid, boolean isDefault, boolean canUpdateAny) {
        Document room = store.room(rid);
        if (room == null || (!canUpdateAny && !authorization.canAccessRoom(caller.id(), rid))) {
            throw CaravanException.plain("invalid-room");
        }
        if (room.getString(RoomFields.TEAM_ID) == null) {
            throw CaravanException.plain("room-not-on-team");
        }
        store.rooms().updateOne(Filters.eq(RoomFields.ID, rid), Updates.combine(Updates.set(RoomFields.TEAM_DEFAULT, isDefault),
                Updates.set(RoomFields.UPDATED_AT, new Date())));
        if (isDefault) {
            for (Document member : store.teamMembers().find(Filters.eq("teamId", room.getString(RoomFields.TEAM_ID)))) {
                Document user = store.users().find(Filters.and(Filters.eq(UserFields.ID, member.getString("userId")),
                        Filters.ne(UserFields.ACTIVE, false))).first();
                if (user != null) {
                    rooms.addMember(store.room(rid), user, caller);
                }
            }
        }
        return store.room(rid);
    }

    /** Adds users to the team through its main room (which records the membership), then their roles. */
    public void addMembers(Caller caller, Document team, List<Map.Entry<String, List<String>>> members) {
        Document main = store.room(team.getString("roomId"));
        for (Map.Entry<String, List<String>> member : members) {
            Document user = store.users().find(Filters.eq(UserFields.ID, member.getKey())).first();
            if (user == null) {
                throw CaravanException.plain("invalid-user");
            }
            if (main != null) {
                rooms.addMember(main, user, caller);
            }
            store.addTeamMember(team.getString("_id"), member.getKey(), caller.user(), null);
            addToDefaultRooms(caller, team, user);
            if (member.getValue() != null && !member.getValue().isEmpty()) {
                store.teamMembers().updateOne(Filters.and(Filters.eq("teamId", team.getString("_id")),
                        Filters.eq("userId", member.getKey())), Updates.combine(Updates.addEachToSet("roles", member.getValue()),
                        Updates.set("_updatedAt", new Date())));
            }
        }
    }

    private void addToDefaultRooms(Caller caller, Document team, Document user) {
        for (Document room : store.rooms().find(Filters.and(Filters.eq(RoomFields.TEAM_ID, team.getString("_id")),
                Filters.eq(RoomFields.TEAM_DEFAULT, true))).into(new ArrayList<>())) {
            rooms.addMember(room, user, caller);
        }
    }

    /** Removes a member (refusing the last owner) from the team and its main room, and from the named team rooms. */
    public void removeMember(Caller caller, Document team, Document user, List<String> alsoFromRooms) {
        String teamId = team.getString("_id");
        String userId = user.getString(UserFields.ID);
        Document member = store.teamMembers().find(Filters.and(Filters.eq("teamId", teamId), Filters.eq("userId", userId))).first();
        Document main = store.room(team.getString("roomId"));
        Document subscription = main == null ? null : store.subscription(main.getString(RoomFields.ID), userId);
        if (member == null && subscription == null) {
            throw CaravanException.plain("member-does-not-exist");
        }
        if (member != null && member.getList("roles", String.class, List.of()).contains("owner")
                && store.teamMembers().countDocuments(Filters.and(Filters.eq("teamId", teamId), Filters.eq("roles", "owner"))) == 1) {
            throw CaravanException.plain("last-owner-can-not-be-removed");
        }
        store.teamMembers().deleteMany(Filters.and(Filters.eq("teamId", teamId), Filters.eq("userId", userId)));
        boolean self = caller.id().equals(userId);
        if (subscription != null) {
            rooms.removeMember(main, user, self ? "ul" : "ru", caller.user());
        }
        for (String rid : teamRooms(teamId, alsoFromRooms)) {
            Document room = store.room(rid);
            if (room != null && store.subscription(rid, userId) != null) {
                rooms.removeMember(room, user, self ? "ul" : "ru", caller.user());
            }
        }
    }

    /** Of the given room ids, those in the team. */
    public List<String> teamRooms(String teamId, List<String> rids) {
        if (rids == null || rids.isEmpty()) {
            return List.of();
        }
        return store.rooms().find(Filters.and(Filters.eq(RoomFields.TEAM_ID, teamId), Filters.in(RoomFields.ID, rids)))
                .map(r -> r.getString(RoomFields.ID)).into(new ArrayList<>());
    }

    /**
     * Ends a team: the rooms named are deleted, the others go back to the workspace, memberships and the team
     * document go; with {@code keepMainRoom} (teams.convertToChannel) its main room stays as a plain room.
     */
    public void dissolve(Caller caller, Document team, List<String> roomsToRemove, boolean keepMainRoom) {
        String teamId = team.getString("_id");
        String mainId = team.getString("roomId");
        for (String rid : teamRooms(teamId, roomsToRemove)) {
            if (!rid.equals(mainId)) {
                rooms.erase(rid);
            }
        }
        Document main = store.room(mainId);
        if (main != null) {
            messages.insertSystemMessage(main, "user-converted-to-channel", main.getString(RoomFields.NAME), caller.user(), null);
        }
        store.rooms().updateMany(Filters.eq(RoomFields.TEAM_ID, teamId), Updates.combine(Updates.unset(RoomFields.TEAM_ID),
                Updates.unset(RoomFields.TEAM_DEFAULT), Updates.unset(RoomFields.TEAM_MAIN), Updates.set(RoomFields.UPDATED_AT, new Date())));
        if (!keepMainRoom && main != null) {
            rooms.erase(mainId);
        }
        store.teamMembers().deleteMany(Filters.eq("teamId", teamId));
        store.teams().deleteOne(Filters.eq("_id", teamId));
    }

    /** A team as teams.list answers it: the document with its room and member counts. */
    public Document withCounts(Document team) {
        String teamId = team.getString("_id");
        return new Document(team).append("rooms", store.rooms().countDocuments(Filters.and(Filters.eq(RoomFields.TEAM_ID, teamId),
                        Filters.ne(RoomFields.TEAM_MAIN, true))))
                .append("numberOfUsers", store.teamMembers().countDocuments(Filters.eq("teamId", teamId)));
    }

    /** Rooms of the team other than its main room: all, or the public ones and those the user is in. */
    public Bson roomsFilter(String teamId, String name, boolean onlyDefault, List<String> visibleRooms) {
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(RoomFields.TEAM_ID, teamId), Filters.ne(RoomFields.TEAM_MAIN, true)));
        if (name != null && !name.isBlank()) {
            filter.add(Filters.regex(RoomFields.NAME, Pattern.compile(Pattern.quote(name.trim()), Pattern.CASE_INSENSITIVE)));
        }
        if (onlyDefault) {
            filter.add(Filters.eq(RoomFields.TEAM_DEFAULT, true));
        }
        if (visibleRooms != null) {
            filter.add(Filters.or(Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL), Filters.in(RoomFields.ID, visibleRooms)));
        }
        return Filters.and(filter);
    }
}
