package chat.caravan.core.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.Caller;
import chat.caravan.core.authz.RoleEndpoints;
import chat.caravan.common.authz.Authorization;
import chat.caravan.core.avatars.AvatarEndpoints;
import chat.caravan.core.rooms.AnyRoomEndpoints;
import chat.caravan.core.rooms.RoomLookup;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import chat.caravan.core.users.AccountEmails;
import chat.caravan.core.users.ProfileEndpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The DDP methods the official apps call that have a REST twin in newer releases (the apps take the method before
 * the version that added the endpoint): history paging, thread reading, muting, public roles, the forced password
 * change, the confirmation e-mail, adding members, blocking in a DM, and the (empty) list of enterprise modules.
 */
@Component
public class MobileMethods {

    /** Methods a caller not logged in may call (through {@code method.callAnon} or an anonymous connection). */
    static final Set<String> ANONYMOUS = Set.of("sendConfirmationEmail", "license:getModules");

    private static final Set<String> METHODS = Set.of("getThreadMessages", "readThreads", "loadSurroundingMessages",
            "loadNextMessages", "muteUserInRoom", "unmuteUserInRoom", "getUserRoles", "setUserPassword",
            "sendConfirmationEmail", "license:getModules", "addUsersToRoom",
            "getRoomByTypeAndName", "getAvatarSuggestion", "blockUser", "unblockUser");

    private final HistoryMethods history;
    private final AnyRoomEndpoints rooms;
    private final RoleEndpoints roles;
    private final ProfileEndpoints profile;
    private final AccountEmails confirmations;
    private final RoomStore store;
    private final RoomService roomService;
    private final Authorization authorization;
    private final AvatarEndpoints avatars;

    public MobileMethods(HistoryMethods history, AnyRoomEndpoints rooms, RoleEndpoints roles, ProfileEndpoints profile,
            AccountEmails confirmations, RoomStore store, RoomService roomService, Authorization authorization,
            AvatarEndpoints avatars) {
        this.authorization = authorization;
        this.avatars = avatars;
        this.store = store;
        this.roomService = roomService;
        this.history = history;
        this.rooms = rooms;
        this.roles = roles;
        this.profile = profile;
        this.confirmations = confirmations;
    }

    public boolean handles(String method) {
        return METHODS.contains(method);
    }

    /** Runs {@code method}; {@code caller} is null only for the {@link #ANONYMOUS} ones. */
    public Object call(String method, JsonNode params, Caller caller) {
        JsonNode first = params.path(0);
        return switch (method) {
            case "getThreadMessages" -> history.threadMessages(caller, first);
            case "readThreads" -> {
                history.readThread(caller, first);
                yield null;
            }
            case "loadSurroundingMessages" -> history.surrounding(caller, first, params.path(1));
            case "loadNextMessages" -> history.next(caller, first, params.path(1), params.path(2));
            case "muteUserInRoom", "unmuteUserInRoom" -> {
                rooms.setMuted(caller, first, "muteUserInRoom".equals(method));
                yield true;
            }
            case "getUserRoles" -> roles.usersInPublicRoles();
            case "setUserPassword" -> profile.setRequiredPassword(caller.id(), first);
            case "sendConfirmationEmail" -> {
                if (!first.isTextual()) {
                    throw CaravanException.invalidParams("Match error: expected a string");
                }
                yield confirmations.send(first.asText());
            }
            case "addUsersToRoom" -> {
                addUsers(caller, first);
                yield true;
            }
            case "getRoomByTypeAndName" -> roomByTypeAndName(caller, first, params.path(1));
            case "getAvatarSuggestion" -> avatars.suggestions(caller);
            case "blockUser", "unblockUser" -> {
                setBlocked(caller, first, "blockUser".equals(method));
                yield true;
            }
            // Rocket.Chat's enterprise modules: this server has no license, so none
            case "license:getModules" -> List.of();
            default -> throw new CaravanException(404, null, "Method '" + method + "' not found", null);
        };
    }

    /**
     * {@code getRoomByTypeAndName(type, name)}: a room by type and name (or id; for a DM, the other user's name), as the
     * app opens permalinks and mentions of rooms it has not synced.
     */
    private Object roomByTypeAndName(Caller caller, JsonNode type, JsonNode name) {
        if (!type.isTextual() || !name.isTextual()) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "getRoomByTypeAndName"));
        }
        String t = type.asText();
        String reference = name.asText();
        Bson named = RoomFields.DIRECT.equals(t)
                ? Filters.or(Filters.eq("_id", reference), Filters.and(Filters.all(RoomFields.USERNAMES,
                        List.of(caller.user().getString(UserFields.USERNAME), reference)), Filters.size(RoomFields.USERNAMES, 2)))
                : Filters.or(Filters.eq(RoomFields.NAME, reference), Filters.eq("_id", reference));
        Document room = store.rooms().find(Filters.and(Filters.eq(RoomFields.TYPE, t), named)).first();
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "getRoomByTypeAndName"));
        }
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.coded("error-no-permission", "No permission", Map.of("method", "getRoomByTypeAndName"));
        }
        return RoomLookup.view(room);
    }

    /**
     * {@code blockUser({rid, blocked})} / {@code unblockUser}: in a direct conversation, the caller's subscription is
     * marked {@code blocker} and the other's {@code blocked}; while either is set neither side can post.
     */
    private void setBlocked(Caller caller, JsonNode request, boolean block) {
        String method = block ? "blockUser" : "unblockUser";
        if (!request.path("rid").isTextual() || !request.path("blocked").isTextual()) {
            throw CaravanException.invalidParams("Match error: expected {rid, blocked}");
        }
        String rid = request.get("rid").asText();
        String blocked = request.get("blocked").asText();
        Document room = store.room(rid);
        if (room == null || !RoomFields.DIRECT.equals(room.getString(RoomFields.TYPE)) || blocked.equals(caller.id())
                || store.subscription(rid, blocked) == null || store.subscription(rid, caller.id()) == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", method));
        }
        java.util.Date now = new java.util.Date();
        store.subscriptions().updateOne(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid), Filters.eq(SubscriptionFields.USER_ID, blocked)),
                Updates.combine(block ? Updates.set("blocked", true) : Updates.unset("blocked"), Updates.set(SubscriptionFields.UPDATED_AT, now)));
        store.subscriptions().updateOne(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid), Filters.eq(SubscriptionFields.USER_ID, caller.id())),
                Updates.combine(block ? Updates.set("blocker", true) : Updates.unset("blocker"), Updates.set(SubscriptionFields.UPDATED_AT, now)));
    }

    /** {@code addUsersToRoom({rid, users: [username]})}: the room members screen's "add users" (members already in stay). */
    private void addUsers(Caller caller, JsonNode request) {
        if (!request.path("rid").isTextual()) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "addUsersToRoom"));
        }
        Document room = store.room(request.get("rid").asText());
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "addUsersToRoom"));
        }
        String type = room.getString(RoomFields.TYPE);
        if (RoomFields.DIRECT.equals(type)) {
            throw CaravanException.coded("error-cant-invite-for-direct-room", "Can't invite user to direct rooms",
                    Map.of("method", "addUsersToRoom"));
        }
        if (!request.path("users").isArray()) {
            throw CaravanException.coded("error-invalid-arguments", "Invalid arguments", Map.of("method", "addUsersToRoom"));
        }
        List<Document> users = new ArrayList<>();
        for (JsonNode username : request.get("users")) {
            Document user = username.isTextual() ? store.users().find(Filters.regex(UserFields.USERNAME,
                    Pattern.compile("^" + Pattern.quote(username.asText()) + "$", Pattern.CASE_INSENSITIVE))).first() : null;
            if (user == null) {
                throw CaravanException.coded("error-invalid-username", "Invalid username", Map.of("method", "addUsersToRoom"));
            }
            if (store.subscription(room.getString("_id"), user.getString("_id")) == null) {
                users.add(user);
            }
        }
        roomService.invite(caller, room, users, RoomFields.PRIVATE_GROUP.equals(type) ? RoomKind.GROUP : RoomKind.CHANNEL);
    }
}
