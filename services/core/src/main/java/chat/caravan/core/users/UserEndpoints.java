package chat.caravan.core.users;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The users.* REST endpoints. Reads come straight from MongoDB; writes that touch identities and passwords go to
 * the accounts service. Every action asks authorization first.
 */
@Component("userEndpoints")
public class UserEndpoints {

    private final BusClient bus;
    private final Authorization authorization;
    private final UserLookup users;
    private final UserViews views;
    private final Settings settings;
    private final RestAuth restAuth;

    public UserEndpoints(BusClient bus, Authorization authorization, UserLookup users, UserViews views, Settings settings,
            RestAuth restAuth) {
        this.bus = bus;
        this.authorization = authorization;
        this.users = users;
        this.views = views;
        this.settings = settings;
        this.restAuth = restAuth;
    }

    public void create(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        if (!authorization.hasPermission(caller, "create-user")) {
            throw CaravanException.coded("error-action-not-allowed", "Adding user is not allowed",
                    Map.of("method", "insertOrUpdateUser", "action", "Adding_user"));
        }
        if (body.path("roles").isArray()) {
            for (JsonNode role : body.get("roles")) {
                if ("admin".equals(role.asText()) && !authorization.hasPermission(caller, "assign-admin-role")) {
                    throw CaravanException.coded("error-action-not-allowed", "Assigning admin is not allowed");
                }
            }
        }
        JsonNode created = bus.call("accounts.createUser", body);
        RestReplies.ok(exchange, Map.of("user", created.path("user")));
    }

    public void register(Exchange exchange) {
        if (restAuth.tryAuthenticate(exchange)) {
            throw CaravanException.plain("Logged in users can not register again.");
        }
        if (!"Public".equals(settings.string("Accounts_RegistrationForm", "Public"))) {
            throw CaravanException.coded("error-user-registration-disabled", "User registration is disabled");
        }
        JsonNode body = RestRequest.body(exchange);
        ObjectNode request = body.deepCopy();
        request.remove("pass");
        request.remove("secretURL");
        request.remove("reason");
        request.remove("customFields");
        request.remove("roles");
        request.remove("active");
        request.set("password", body.get("pass"));
        if (!body.hasNonNull("pass")) {
            throw CaravanException.invalidParams("must have required property 'pass'");
        }
        if (body.hasNonNull("username") && users.find(null, body.get("username").asText(), null) != null) {
            throw CaravanException.plain("Username is already in use");
        }
        JsonNode created = bus.call("accounts.createUser", request).path("user");
        Map<String, Object> user = new LinkedHashMap<>();
        for (String field : List.of("_id", "type", "status", "active", "name", "utcOffset", "username")) {
            if (created.has(field)) {
                user.put(field, created.get(field));
            }
        }
        RestReplies.ok(exchange, Map.of("user", user));
    }

    public void info(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        String userId = RestRequest.query(exchange, "userId");
        String username = RestRequest.query(exchange, "username");
        if ((userId == null || userId.isBlank()) && (username == null || username.isBlank())) {
            throw CaravanException.invalidParams("Invalid search query.");
        }
        Document user = users.find(userId, username, null);
        if (user == null) {
            throw CaravanException.plain("User not found.");
        }
        boolean self = caller.equals(user.getString(UserFields.ID));
        boolean full = self || authorization.hasPermission(caller, "view-full-other-user-info");
        Document view = views.forCaller(user, full);
        view.put("canViewAllInfo", full);
        RestReplies.ok(exchange, Map.of("user", view));
    }

    public void list(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        if (!authorization.hasPermission(caller, "view-d-room")) {
            throw new CaravanException(401, null, "unauthorized", null);
        }
        Pagination page = Pagination.of(exchange, settings, new Document(UserFields.USERNAME, 1));
        boolean full = authorization.hasPermission(caller, "view-full-other-user-info");
        if (!full) {
            page.sortableBy(UserFields.PUBLIC);
        }
        Document sort = new Document();
        page.sort().forEach((key, value) -> sort.put("name".equals(key) ? "name" : "status".equals(key) ? "active" : key, value));
        Document filter = new Document();
        var found = users.collection().find(filter).sort(sort).skip(page.offset());
        if (!page.unlimited()) {
            found = found.limit(page.count());
        }
        List<Document> result = new ArrayList<>();
        for (Document user : found) {
            result.add(views.forCaller(user, full));
        }
        long total = users.collection().countDocuments(filter);
        RestReplies.ok(exchange, Map.of("users", result, "count", result.size(), "offset", page.offset(), "total", total));
    }

    public void update(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        String userId = body.path("userId").asText("");
        if (userId.isBlank()) {
            throw CaravanException.invalidParams("must have required property 'userId'");
        }
        JsonNode data = body.path("data");
        boolean self = caller.equals(userId);
        if (!self && !authorization.hasPermission(caller, "edit-other-user-info")) {
            throw CaravanException.coded("error-action-not-allowed", "Editing user is not allowed");
        }
        if (data.has("password") && !self && !authorization.hasPermission(caller, "edit-other-user-password")) {
            throw CaravanException.coded("error-action-not-allowed", "Editing user is not allowed");
        }
        if (data.has("active") && !authorization.hasPermission(caller, "edit-other-user-active-status")) {
            throw CaravanException.coded("error-action-not-allowed", "Edit user active status is not allowed");
        }
        if (data.has("roles") && !authorization.hasPermission(caller, "assign-roles")) {
            throw CaravanException.coded("error-action-not-allowed", "Assigning roles is not allowed");
        }
        JsonNode updated = bus.call("accounts.updateUser", Map.of("userId", userId, "data", data));
        RestReplies.ok(exchange, Map.of("user", updated.path("user")));
    }

    public void delete(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        authorization.require(caller, "delete-user");
        JsonNode body = RestRequest.body(exchange);
        Document user = users.fromParams(text(body, "userId"), text(body, "username"), null);
        bus.call("accounts.deleteUser", Map.of("userId", user.getString(UserFields.ID)));
        RestReplies.ok(exchange, Map.of());
    }

    public void setActiveStatus(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        authorization.require(caller, "edit-other-user-active-status");
        JsonNode body = RestRequest.body(exchange);
        if (!body.path("activeStatus").isBoolean() || text(body, "userId") == null) {
            throw CaravanException.invalidParams("must have required properties 'userId' and 'activeStatus'");
        }
        JsonNode result = bus.call("accounts.setActiveStatus",
                Map.of("userId", text(body, "userId"), "activeStatus", body.get("activeStatus").asBoolean()));
        RestReplies.ok(exchange, Map.of("user", result.path("user")));
    }

    /**
     * {@code users.resetAvatar}: Caravan stores no uploaded avatars (clients fall back to the initials avatar), so
     * there is nothing to reset; the caller's rights are still checked and the call succeeds.
     */
    public void resetAvatar(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        Document target = text(body, "userId") == null && text(body, "username") == null
                ? users.byId(caller) : users.fromParams(text(body, "userId"), text(body, "username"), null);
        if (!caller.equals(target.getString(UserFields.ID))) {
            authorization.require(caller, "edit-other-user-avatar");
        }
        RestReplies.ok(exchange, Map.of());
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
