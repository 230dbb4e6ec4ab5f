package chat.caravan.core.authz;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.messages.MessageWriter;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomLookup;
import chat.caravan.core.rooms.RoomStore;
import chat.caravan.core.users.UserLookup;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * permissions.* and roles.* REST endpoints, and the room-scoped roles of channels.* / groups.*
 * (addOwner, removeModerator, ...). Changes land in MongoDB; stream-hub's events make every authorization replica
 * drop its cache, so they apply everywhere within a second.
 */
@Component("roleEndpoints")
public class RoleEndpoints {

    private final MongoCollection<Document> roles;
    private final MongoCollection<Document> permissions;
    private final MongoDatabase database;
    private final Authorization authorization;
    private final BusClient bus;
    private final RestAuth auth;
    private final UserLookup users;
    private final RoomStore store;
    private final RoomLookup lookup;
    private final MessageWriter messages;
    private final Settings settings;

    public RoleEndpoints(MongoDatabase database, Authorization authorization, BusClient bus, RestAuth auth,
            UserLookup users, RoomStore store, RoomLookup lookup, MessageWriter messages, Settings settings) {
        this.roles = database.getCollection(Collections.ROLES);
        this.permissions = database.getCollection(Collections.PERMISSIONS);
        this.database = database;
        this.authorization = authorization;
        this.bus = bus;
        this.auth = auth;
        this.users = users;
        this.store = store;
        this.lookup = lookup;
        this.messages = messages;
        this.settings = settings;
    }

    public void listPermissions(Exchange exchange) {
        Caller.of(exchange, auth, database);
        String updatedSince = Params.of(exchange).text("updatedSince");
        Map<String, Object> request = updatedSince == null ? Map.of() : Map.of("updatedSince", updatedSince);
        JsonNode result = bus.call("authorization.permissions", request);
        RestReplies.ok(exchange, Map.of("update", result.path("update"), "remove", result.path("remove")));
    }

    /** {permissions: [{_id, roles: [...]}]}: replaces the roles of each named permission. */
    public void updatePermissions(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "access-permissions");
        JsonNode list = Params.of(exchange).node("permissions");
        if (list == null || !list.isArray()) {
            throw CaravanException.invalidParams("must have required property 'permissions'");
        }
        List<Document> known = roles.find().into(new ArrayList<>());
        for (JsonNode permission : list) {
            String id = permission.path("_id").asText("");
            Document existing = id.isEmpty() ? null : permissions.find(Filters.eq("_id", id)).first();
            if (existing == null || !permission.path("roles").isArray()) {
                throw CaravanException.coded("error-invalid-permission", "Invalid permission");
            }
            List<String> current = existing.getList("roles", String.class, List.of());
            for (JsonNode role : permission.get("roles")) {
                // roles the permission already names may be defined elsewhere (federated-external); new ones must exist
                if (!current.contains(role.asText()) && known.stream()
                        .noneMatch(r -> role.asText().equals(r.getString("_id")) || role.asText().equals(r.getString("name")))) {
                    throw CaravanException.coded("error-invalid-role", "Invalid role");
                }
            }
        }
        for (JsonNode permission : list) {
            List<String> granted = new ArrayList<>();
            permission.get("roles").forEach(r -> granted.add(r.asText()));
            permissions.updateOne(Filters.eq("_id", permission.get("_id").asText()), Updates.combine(
                    Updates.set("roles", granted), Updates.set("_updatedAt", new Date())));
        }
        RestReplies.ok(exchange, Map.of("permissions", permissions.find().into(new ArrayList<>())));
    }

    public void listRoles(Exchange exchange) {
        Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, Map.of("roles", roles.find().into(new ArrayList<>())));
    }

    public void createRole(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "access-permissions");
        Params params = Params.of(exchange);
        String name = params.requiredText("name");
        String scope = params.text("scope") == null ? "Users" : params.text("scope");
        if (!scope.equals("Users") && !scope.equals("Subscriptions")) {
            throw CaravanException.coded("error-invalid-scope", "Invalid scope");
        }
        if (roles.find(Filters.or(Filters.eq("_id", name), Filters.eq("name", name))).first() != null) {
            throw CaravanException.coded("error-duplicate-role-names-not-allowed", "Role name already exists");
        }
        Document role = new Document("_id", Ids.random()).append("name", name).append("scope", scope)
                .append("description", params.text("description") == null ? "" : params.text("description"))
                .append("protected", false).append("mandatory2fa", Boolean.TRUE.equals(params.bool("mandatory2fa")))
                .append("_updatedAt", new Date());
        roles.insertOne(role);
        RestReplies.ok(exchange, Map.of("role", role));
    }

    public void updateRole(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "access-permissions");
        Params params = Params.of(exchange);
        Document role = role(params.requiredText("roleId"));
        List<org.bson.conversions.Bson> changes = new ArrayList<>(List.of(Updates.set("_updatedAt", new Date())));
        if (params.text("name") != null) {
            if (Boolean.TRUE.equals(role.getBoolean("protected")) && !params.text("name").equals(role.getString("name"))) {
                throw CaravanException.coded("error-role-protected", "Cannot rename a protected role");
            }
            changes.add(Updates.set("name", params.text("name")));
        }
        if (params.text("description") != null) {
            changes.add(Updates.set("description", params.text("description")));
        }
        roles.updateOne(Filters.eq("_id", role.getString("_id")), Updates.combine(changes));
        RestReplies.ok(exchange, Map.of("role", role(role.getString("_id"))));
    }

    public void deleteRole(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "access-permissions");
        Document role = role(Params.of(exchange).requiredText("roleId"));
        if (Boolean.TRUE.equals(role.getBoolean("protected"))) {
            throw CaravanException.coded("error-role-protected", "Cannot delete a protected role");
        }
        String id = role.getString("_id");
        boolean used = database.getCollection(Collections.USERS).find(Filters.eq(UserFields.ROLES, id)).first() != null
                || store.subscriptions().find(Filters.eq(SubscriptionFields.ROLES, id)).first() != null;
        if (used) {
            throw CaravanException.coded("error-role-in-use", "Cannot delete role because it's in use");
        }
        roles.deleteOne(Filters.eq("_id", id));
        RestReplies.ok(exchange, Map.of());
    }

    public void addUserToRole(Exchange exchange) {
        changeUserRole(exchange, true);
    }

    public void removeUserFromRole(Exchange exchange) {
        changeUserRole(exchange, false);
    }

    public void getUsersInRole(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "access-permissions");
        Params params = Params.of(exchange);
        Document role = role(params.requiredText("role"));
        Pagination page = Pagination.of(exchange, settings, new Document(UserFields.USERNAME, 1));
        String rid = params.text("roomId");
        List<Document> found;
        long total;
        if (rid != null) {
            List<String> ids = store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                    Filters.eq(SubscriptionFields.ROLES, role.getString("_id"))))
                    .map(s -> s.get("u", Document.class).getString("_id")).into(new ArrayList<>());
            found = users.collection().find(Filters.in("_id", ids)).skip(page.offset()).limit(page.count())
                    .projection(new Document("username", 1).append("name", 1)).into(new ArrayList<>());
            total = ids.size();
        } else {
            found = users.collection().find(Filters.eq(UserFields.ROLES, role.getString("_id"))).sort(page.sort())
                    .skip(page.offset()).limit(page.count()).projection(new Document("username", 1).append("name", 1))
                    .into(new ArrayList<>());
            total = users.collection().countDocuments(Filters.eq(UserFields.ROLES, role.getString("_id")));
        }
        RestReplies.ok(exchange, Map.of("users", found, "total", total));
    }

    /** roles.getUsersInPublicRoles (7.10 and later; the DDP getUserRoles before): who holds a public role. */
    public void getUsersInPublicRoles(Exchange exchange) {
        Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, Map.of("users", usersInPublicRoles()));
    }

    /**
     * The users holding a public role (a user-scoped role with a description, such as admin), each with only those
     * roles, by username: what the apps show as role tags beside names.
     */
    public List<Document> usersInPublicRoles() {
        List<String> publicRoles = roles.find(Filters.and(Filters.eq("scope", "Users"), Filters.exists("description", true),
                Filters.ne("description", ""))).map(r -> r.getString("_id")).into(new ArrayList<>());
        List<Document> found = users.collection().find(Filters.in(UserFields.ROLES, publicRoles))
                .projection(new Document(UserFields.USERNAME, 1).append(UserFields.ROLES, 1))
                .sort(new Document(UserFields.USERNAME, 1)).into(new ArrayList<>());
        found.forEach(user -> user.put(UserFields.ROLES, user.getList(UserFields.ROLES, String.class, List.of()).stream()
                .filter(publicRoles::contains).toList()));
        return found;
    }

    /** channels.addOwner and its siblings: a room-scoped role on a member's subscription, announced in the room. */
    public void setRoomRole(Exchange exchange, RoomKind kind, String role, boolean add) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document room = lookup.named(params, kind, caller);
        String rid = room.getString("_id");
        String permission = "set-" + role;
        if (!authorization.hasPermission(caller.id(), permission, rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        Document user = users.fromParams(params.text("userId"), params.text("username"), null);
        Document subscription = store.subscription(rid, user.getString("_id"));
        if (subscription == null) {
            throw CaravanException.coded("error-user-not-in-room", "User is not in this room");
        }
        List<String> current = subscription.getList(SubscriptionFields.ROLES, String.class, List.of());
        if (add && current.contains(role)) {
            throw CaravanException.coded("error-user-already-" + role, "User is already " + article(role) + " " + role);
        }
        if (!add && !current.contains(role)) {
            throw CaravanException.coded("error-user-not-" + role, "User is not " + article(role) + " " + role);
        }
        if (!add && "owner".equals(role) && store.subscriptions().countDocuments(Filters.and(
                Filters.eq(SubscriptionFields.ROOM_ID, rid), Filters.eq(SubscriptionFields.ROLES, "owner"))) <= 1) {
            throw CaravanException.coded("error-remove-last-owner", "This is the last owner. Please set a new owner before removing this one.");
        }
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(
                add ? Updates.addToSet(SubscriptionFields.ROLES, role) : Updates.pull(SubscriptionFields.ROLES, role),
                Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
        messages.insertSystemMessage(room, add ? "subscription-role-added" : "subscription-role-removed",
                user.getString(UserFields.USERNAME), caller.user(), new Document("role", role));
        bus.publish("stream.notify", Map.of("stream", "notify-logged", "eventName", "roles-change", "args", List.of(Map.of(
                "type", add ? "added" : "removed", "_id", role, "scope", rid,
                "u", Map.of("_id", user.getString("_id"), "username", user.getString(UserFields.USERNAME))))));
        RestReplies.ok(exchange, Map.of());
    }

    /** channels.roles / groups.roles: members holding a room role. */
    public void roomRoles(Exchange exchange, RoomKind kind) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = lookup.named(Params.of(exchange), kind, caller);
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "getRoomRoles"));
        }
        List<Document> withRoles = store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")),
                Filters.exists(SubscriptionFields.ROLES + ".0"))).projection(new Document("rid", 1).append("u", 1).append("roles", 1))
                .sort(new Document("u.username", 1)).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("roles", withRoles));
    }

    private void changeUserRole(Exchange exchange, boolean add) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "access-permissions");
        Params params = Params.of(exchange);
        // Rocket.Chat's clients send roleId since 6.x, older ones roleName; either names the role
        String roleId = params.text("roleId");
        Document role = role(roleId != null && !roleId.isBlank() ? roleId : params.requiredText("roleName"));
        Document user = users.fromParams(params.text("userId"), params.text("username"), null);
        roleId = role.getString("_id");
        if ("admin".equals(roleId) && !authorization.hasPermission(caller.id(), "assign-admin-role")) {
            throw CaravanException.coded("error-action-not-allowed", "Assigning admin is not allowed");
        }
        String rid = params.text("roomId");
        if ("Subscriptions".equals(role.getString("scope"))) {
            if (rid == null) {
                throw CaravanException.invalidParams("must have required property 'roomId'");
            }
            Document subscription = store.subscription(rid, user.getString("_id"));
            if (subscription == null) {
                throw CaravanException.coded("error-user-not-in-room", "User is not in this room");
            }
            store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")),
                    add ? Updates.addToSet(SubscriptionFields.ROLES, roleId) : Updates.pull(SubscriptionFields.ROLES, roleId));
        } else {
            List<String> current = user.getList(UserFields.ROLES, String.class, List.of());
            if (add && current.contains(roleId)) {
                throw CaravanException.coded("error-user-already-in-role", "User already in role");
            }
            if (!add && !current.contains(roleId)) {
                throw CaravanException.coded("error-user-not-in-role", "User is not in this role");
            }
            database.getCollection(Collections.USERS).updateOne(Filters.eq("_id", user.getString("_id")), Updates.combine(
                    add ? Updates.addToSet(UserFields.ROLES, roleId) : Updates.pull(UserFields.ROLES, roleId),
                    Updates.set(UserFields.UPDATED_AT, new Date())));
        }
        bus.publish("stream.notify", Map.of("stream", "notify-logged", "eventName", "roles-change", "args", List.of(Map.of(
                "type", add ? "added" : "removed", "_id", roleId,
                "u", Map.of("_id", user.getString("_id"), "username", user.getString(UserFields.USERNAME))))));
        RestReplies.ok(exchange, add ? Map.of("role", role) : Map.of());
    }

    private Document role(String idOrName) {
        Document role = roles.find(Filters.or(Filters.eq("_id", idOrName), Filters.eq("name", idOrName))).first();
        if (role == null) {
            throw CaravanException.coded("error-role-not-found", "Role not found");
        }
        return role;
    }

    private static String article(String role) {
        return "owner".equals(role) ? "an" : "a";
    }
}
