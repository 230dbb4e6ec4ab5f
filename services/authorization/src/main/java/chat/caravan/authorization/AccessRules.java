package chat.caravan.authorization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's authorization decisions (spec 4.10): permissions from global roles on the user plus room-scoped
 * roles on the subscription; read access to rooms; whether a user may post in a room now.
 */
@Component("accessRules")
public class AccessRules {

    private final AuthorizationCache cache;
    private final MongoDatabase database;

    public AccessRules(AuthorizationCache cache, MongoDatabase database) {
        this.cache = cache;
        this.database = database;
    }

    public boolean hasPermission(JsonNode request) {
        return granted(uid(request), text(request, "permission"), scope(request));
    }

    public boolean hasAllPermission(JsonNode request) {
        String uid = uid(request);
        String scope = scope(request);
        for (String permission : permissions(request)) {
            if (!granted(uid, permission, scope)) {
                return false;
            }
        }
        return true;
    }

    public boolean hasAtLeastOnePermission(JsonNode request) {
        String uid = uid(request);
        String scope = scope(request);
        for (String permission : permissions(request)) {
            if (granted(uid, permission, scope)) {
                return true;
            }
        }
        return false;
    }

    public boolean canAccessRoom(JsonNode request) {
        String uid = uid(request);
        Document room = room(text(request, "rid"));
        return room != null && canAccess(uid, room);
    }

    /** Reading a room's messages: the same rule as access. */
    public boolean canReadRoom(JsonNode request) {
        return canAccessRoom(request);
    }

    /** The room when the user may post in it now, else Rocket.Chat's error for why not. */
    public Document canSendMessage(JsonNode request) {
        String uid = uid(request);
        Document room = room(text(request, "rid"));
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room");
        }
        Set<String> roles = cache.userRoles(uid);
        if (!roles.contains("app") && !canAccess(uid, room)) {
            throw CaravanException.plain("error-not-allowed");
        }
        if (Boolean.TRUE.equals(room.getBoolean("archived"))) {
            throw CaravanException.coded("error-room-archived", "Room is archived");
        }
        // a direct conversation one side blocked: both subscriptions carry it (blocker on one, blocked on the other);
        // only a direct conversation can be blocked (rooms.blockUser / blockUser), so other rooms skip the read
        if (Boolean.TRUE.equals(room.getBoolean("blocked")) || Boolean.TRUE.equals(room.getBoolean("blocker"))
                || ("d".equals(room.getString("t")) && blocked(uid, room.getString("_id")))) {
            throw CaravanException.plain("room_is_blocked");
        }
        String username = cache.username(uid);
        if (Boolean.TRUE.equals(room.getBoolean("ro")) && !granted(uid, "post-readonly", room.getString("_id"))
                && !room.getList("unmuted", String.class, List.of()).contains(username)) {
            throw CaravanException.plain("You can't send messages because the room is readonly.");
        }
        if (room.getList("muted", String.class, List.of()).contains(username)) {
            throw CaravanException.plain("You_have_been_muted");
        }
        return room;
    }

    /** {@code authorization.permissions}: all permissions, or those changed since {@code updatedSince}. */
    public Map<String, Object> permissionList(JsonNode request) {
        var filter = new Document();
        JsonNode since = request == null ? null : request.get("updatedSince");
        if (since != null && !since.isNull()) {
            java.time.Instant instant = chat.caravan.common.json.CaravanJson.toInstant(since);
            if (instant == null) {
                throw CaravanException.coded("error-updatedSince-param-invalid",
                        "The \"updatedSince\" query parameter must be a valid date.");
            }
            filter.append("_updatedAt", new Document("$gt", java.util.Date.from(instant)));
        }
        List<Document> update = database.getCollection(Collections.PERMISSIONS).find(filter).into(new ArrayList<>());
        return Map.of("update", update, "remove", List.of());
    }

    boolean granted(String uid, String permission, String scope) {
        if (uid == null || permission == null) {
            return false;
        }
        List<String> granting = cache.rolesGranting(permission);
        if (granting.isEmpty()) {
            return false;
        }
        Set<String> global = cache.userRoles(uid);
        for (String role : granting) {
            if (global.contains(role) && !"Subscriptions".equals(cache.scopeOf(role))) {
                return true;
            }
        }
        if (scope != null) {
            Set<String> roomRoles = cache.membership(uid, scope).roles();
            for (String role : granting) {
                if (roomRoles.contains(role)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean canAccess(String uid, Document room) {
        return canAccess(uid, room, 0);
    }

    /**
     * Rocket.Chat's room access validators in order: a public channel of a team (public team: anyone with
     * view-c-room; private team: its members), any other public channel (view-c-room), a member, and a discussion
     * through its parent room.
     */
    private boolean canAccess(String uid, Document room, int depth) {
        String type = room.getString("t");
        String rid = room.getString("_id");
        String teamId = room.getString("teamId");
        if ("c".equals(type) && teamId != null) {
            Document team = database.getCollection(Collections.TEAMS).find(Filters.eq("_id", teamId))
                    .projection(new Document("type", 1)).first();
            if (team != null && Integer.valueOf(0).equals(team.getInteger("type"))) {
                if (granted(uid, "view-c-room", null)) {
                    return true;
                }
            } else if (uid != null && database.getCollection(Collections.TEAM_MEMBERS).find(Filters.and(
                    Filters.eq("teamId", teamId), Filters.eq("userId", uid))).first() != null) {
                return true;
            }
        } else if ("c".equals(type) && granted(uid, "view-c-room", null)) {
            return true;
        }
        boolean member = uid != null && cache.membership(uid, rid).member();
        if (member && (granted(uid, "view-joined-room", null) || granted(uid, "view-" + type + "-room", null))) {
            return true;
        }
        String parentId = room.getString("prid");
        Document parent = parentId == null || depth > 2 ? null : room(parentId);
        return parent != null && canAccess(uid, parent, depth + 1);
    }

    private Document room(String rid) {
        return rid == null ? null : database.getCollection(Collections.ROOMS).find(Filters.eq("_id", rid)).first();
    }

    private boolean blocked(String uid, String rid) {
        Document subscription = database.getCollection(Collections.SUBSCRIPTIONS).find(Filters.and(
                Filters.eq("rid", rid), Filters.eq("u._id", uid))).projection(new Document("blocked", 1)
                .append("blocker", 1)).first();
        return subscription != null && (Boolean.TRUE.equals(subscription.getBoolean("blocked"))
                || Boolean.TRUE.equals(subscription.getBoolean("blocker")));
    }

    private static String uid(JsonNode request) {
        return text(request, "uid");
    }

    private static String scope(JsonNode request) {
        String scope = text(request, "scope");
        return scope != null ? scope : text(request, "rid");
    }

    private static List<String> permissions(JsonNode request) {
        List<String> result = new ArrayList<>();
        JsonNode permissions = request == null ? null : request.get("permissions");
        if (permissions == null || !permissions.isArray()) {
            throw CaravanException.invalidParams("permissions must be an array");
        }
        permissions.forEach(p -> result.add(p.asText()));
        return result;
    }

    private static String text(JsonNode request, String name) {
        JsonNode value = request == null ? null : request.get(name);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}
