package chat.caravan.core.users;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.settings.BlockedUsernames;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.settings.CoreSeeder;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.conversions.Bson;
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

    static final int AUTOCOMPLETE_LIMIT = 10;
    private static final Document AUTOCOMPLETE_FIELDS = new Document(UserFields.NAME, 1).append(UserFields.USERNAME, 1)
            .append(UserFields.NICKNAME, 1).append(UserFields.STATUS, 1).append("avatarETag", 1);
    private static final Document LIST_BY_STATUS_FIELDS = new Document(UserFields.NAME, 1).append(UserFields.USERNAME, 1)
            .append(UserFields.EMAILS, 1).append(UserFields.ROLES, 1).append(UserFields.STATUS, 1).append(UserFields.ACTIVE, 1)
            .append("avatarETag", 1).append(UserFields.LAST_LOGIN, 1).append(UserFields.TYPE, 1).append("reason", 1)
            .append("federated", 1);

    private final BusClient bus;
    private final Authorization authorization;
    private final UserLookup users;
    private final UserViews views;
    private final Settings settings;
    private final UserEditRules editRules;
    private final BlockedUsernames blockedUsernames;
    private final MongoCollection<Document> subscriptions;
    private final RoomOwnerships ownerships;
    private final RestAuth restAuth;
    private final UserIdentityReferences identityReferences;
    private final CoreSeeder defaultChannels;
    private final UserLifecycle lifecycle;

    public UserEndpoints(BusClient bus, Authorization authorization, UserLookup users, UserViews views, Settings settings,
            UserEditRules editRules, BlockedUsernames blockedUsernames, MongoDatabase database, RoomOwnerships ownerships,
            RestAuth restAuth, UserIdentityReferences identityReferences, CoreSeeder defaultChannels, UserLifecycle lifecycle) {
        this.identityReferences = identityReferences;
        this.defaultChannels = defaultChannels;
        this.lifecycle = lifecycle;
        this.bus = bus;
        this.authorization = authorization;
        this.users = users;
        this.views = views;
        this.settings = settings;
        this.editRules = editRules;
        this.blockedUsernames = blockedUsernames;
        this.subscriptions = database.getCollection(Collections.SUBSCRIPTIONS);
        this.ownerships = ownerships;
        this.restAuth = restAuth;
    }

    public void create(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        JsonNode body = RestRequest.body(exchange);
        UserEditRules.checkNameChars(body.get("name"));
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
        // the default channels are joined here, before answering, as Rocket.Chat's saveUser does: the new user's first
        // request finds the memberships there. The accounts.userCreated event is told not to join them a second time.
        boolean joinDefaultChannels = body.path("joinDefaultChannels").asBoolean(true);
        com.fasterxml.jackson.databind.node.ObjectNode request = body.deepCopy();
        request.put("joinDefaultChannels", false);
        JsonNode created = bus.call("accounts.createUser", request);
        if (joinDefaultChannels) {
            defaultChannels.joinDefaultChannels(created.path("user").path(UserFields.ID).asText(null));
        }
        lifecycle.created(created.path("user").path("_id").asText(null));
        RestReplies.ok(exchange, Map.of("user", created.path("user")));
    }

    /**
     * {@code users.register}: not an authenticated route in Rocket.Chat, so credentials sent with it are ignored and a
     * logged-in client registers like anyone else.
     */
    public void register(Exchange exchange) {
        if (!"Public".equals(settings.string("Accounts_RegistrationForm", "Public"))) {
            throw CaravanException.coded("error-user-registration-disabled", "User registration is disabled");
        }
        JsonNode body = RestRequest.body(exchange);
        if (!body.hasNonNull("pass")) {
            throw CaravanException.invalidParams("must have required property 'pass'");
        }
        if (!body.path("username").isTextual()) {
            throw CaravanException.invalidParams("must have required property 'username'");
        }
        if (body.hasNonNull("name") && !UserEditRules.validNameChars(body.path("name").asText())) {
            throw CaravanException.plain("Name contains invalid characters");
        }
        String username = body.get("username").asText();
        if (!validUsername(username)) {
            throw CaravanException.plain("The username provided is not valid");
        }
        blockedUsernames.check(username);
        if (users.find(null, username, null) != null) {
            throw CaravanException.plain("Username is already in use");
        }
        ObjectNode request = body.deepCopy();
        request.remove("pass");
        request.remove("secretURL");
        request.remove("reason");
        request.remove("roles");
        request.remove("active");
        request.set("password", body.get("pass"));
        JsonNode created = bus.call("accounts.createUser", request).path("user");
        lifecycle.created(created.path("_id").asText(null));
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
        if (self) {
            view.put(UserFields.SERVICES, views.ownServices(user));
        }
        if (requestsRooms(exchange) && (self || authorization.hasPermission(caller, "view-other-user-channels"))) {
            view.put("rooms", rooms(user.getString(UserFields.ID)));
        }
        RestReplies.ok(exchange, Map.of("user", view));
    }

    public void list(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        if (!authorization.hasPermission(caller, "view-d-room")
                || settings.bool("API_Apply_permission_view-outside-room_on_users-list", false)
                && !authorization.hasPermission(caller, "view-outside-room")) {
            throw CaravanException.forbidden("unauthorized");
        }
        Pagination page = Pagination.of(exchange, settings, new Document(UserFields.USERNAME, 1));
        boolean full = authorization.hasPermission(caller, "view-full-other-user-info");
        if (!full) {
            // Rocket.Chat accepts any sort here; one on a field the caller cannot see is dropped, so the order reveals nothing
            page = page.sortLimitedTo(UserFields.PUBLIC, new Document(UserFields.USERNAME, 1));
        }
        Document sort = new Document();
        page.sort().forEach((key, value) -> sort.put("name".equals(key) ? "name" : "status".equals(key) ? "active" : key, value));
        Document filter = new Document();
        var found = page.window(users.collection().find(filter).sort(sort));
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
        if (!data.isObject()) {
            throw CaravanException.invalidParams("must have required property 'data'");
        }
        UserEditRules.checkNameChars(data.get("name"));
        boolean self = caller.equals(userId);
        if (data.path("verified").asBoolean(false) && self) {
            throw CaravanException.coded("error-action-not-allowed", "Editing email verification is not allowed");
        }
        if (!self && !authorization.hasPermission(caller, "edit-other-user-info")) {
            throw CaravanException.coded("error-action-not-allowed", "Editing user is not allowed");
        }
        if (data.has("roles") && arrayContains(data.get("roles"), "admin") && !authorization.hasPermission(caller, "assign-admin-role")) {
            throw CaravanException.coded("error-action-not-allowed", "Assigning admin is not allowed");
        }
        if (data.has("active") && !authorization.hasPermission(caller, "edit-other-user-active-status")) {
            throw CaravanException.coded("error-action-not-allowed", "Edit user active status is not allowed");
        }
        Document target = users.byId(userId);
        if (target == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        editRules.checkEditing(caller, target, data);
        ObjectNode changes = data.deepCopy();
        // as Rocket.Chat's saveUser: another user's password changes only with edit-other-user-password
        if (!self && !authorization.hasPermission(caller, "edit-other-user-password")) {
            changes.remove("password");
        }
        JsonNode updated = bus.call("accounts.updateUser", Map.of("userId", userId, "data", changes));
        restAuth.forgetUser(userId);
        identityReferences.changed(target, users.byId(userId));
        RestReplies.ok(exchange, Map.of("user", updated.path("user")));
    }

    public void delete(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        if (!authorization.hasPermission(caller, "delete-user")) {
            throw CaravanException.forbidden("unauthorized");
        }
        JsonNode body = RestRequest.body(exchange);
        Document user = users.fromParams(text(body, "userId"), text(body, "username"), null);
        String userId = user.getString(UserFields.ID);
        ownerships.relinquish(userId, body.path("confirmRelinquish").asBoolean(false));
        bus.call("accounts.deleteUser", Map.of("userId", userId));
        restAuth.forgetUser(userId);
        ownerships.removeMemberships(userId);
        RestReplies.ok(exchange, Map.of());
    }

    public void setActiveStatus(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        if (!authorization.hasPermission(caller, "edit-other-user-active-status")
                && !authorization.hasPermission(caller, "manage-moderation-actions")) {
            throw CaravanException.forbidden("unauthorized");
        }
        JsonNode body = RestRequest.body(exchange);
        if (!body.path("activeStatus").isBoolean() || text(body, "userId") == null) {
            throw CaravanException.invalidParams("must have required properties 'userId' and 'activeStatus'");
        }
        if (!body.get("activeStatus").asBoolean()) {
            ownerships.relinquish(users.fromParams(text(body, "userId"), null, null).getString(UserFields.ID),
                    body.path("confirmRelinquish").asBoolean(false));
        }
        JsonNode result = bus.call("accounts.setActiveStatus",
                Map.of("userId", text(body, "userId"), "activeStatus", body.get("activeStatus").asBoolean()));
        restAuth.forgetUser(text(body, "userId"));
        RestReplies.ok(exchange, Map.of("user", result.path("user")));
    }

    /** {@code users.deactivateIdle}: {daysIdle, role = "user"} -> {count} of users deactivated. */
    public void deactivateIdle(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        if (!authorization.hasPermission(caller, "edit-other-user-active-status")) {
            throw CaravanException.forbidden("unauthorized");
        }
        JsonNode body = RestRequest.body(exchange);
        JsonNode days = body.get("daysIdle");
        if (days == null || !days.isNumber() || days.asDouble() < 0) {
            throw CaravanException.invalidParams("must have required property 'daysIdle'");
        }
        String role = body.hasNonNull("role") ? body.get("role").asText() : "user";
        Date before = Date.from(Instant.now().minus(Duration.ofDays(days.asLong())));
        JsonNode result = bus.call("accounts.deactivateIdle", Map.of("lastLoginBefore", before, "role", role));
        restAuth.forgetAll();
        RestReplies.ok(exchange, Map.of("count", result.path("count").asLong()));
    }

    /**
     * {@code users.resetAvatar}: Caravan stores no uploaded avatars (clients fall back to the initials avatar), so
     * there is nothing to reset; the caller's rights are still checked and the call succeeds.
     */
    /** {@code users.listByStatus}: users by active state, first login, type, roles and a search term. */
    public void listByStatus(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        authorization.require(caller, "view-d-room");
        if (settings.bool("API_Apply_permission_view-outside-room_on_users-list", false)
                && !authorization.hasPermission(caller, "view-outside-room")) {
            throw CaravanException.forbidden("unauthorized");
        }
        String status = RestRequest.query(exchange, "status");
        if (status != null && !status.equals("active") && !status.equals("deactivated")) {
            throw CaravanException.invalidParams("must be equal to one of the allowed values");
        }
        String hasLoggedIn = RestRequest.query(exchange, "hasLoggedIn");
        if (hasLoggedIn != null && !hasLoggedIn.equals("true") && !hasLoggedIn.equals("false")) {
            throw CaravanException.invalidParams("must be boolean");
        }
        Pagination page = Pagination.of(exchange, settings, new Document(UserFields.USERNAME, 1));
        Document sort = new Document();
        page.sort().forEach((key, value) -> sort.put("status".equals(key) ? UserFields.ACTIVE : key, value));
        boolean full = authorization.hasPermission(caller, "view-full-other-user-info");
        List<Bson> match = new ArrayList<>();
        if (status != null) {
            match.add(Filters.eq(UserFields.ACTIVE, status.equals("active")));
        }
        if (hasLoggedIn != null) {
            match.add(Filters.exists(UserFields.LAST_LOGIN, hasLoggedIn.equals("true")));
        }
        String type = RestRequest.query(exchange, "type");
        if (type != null && !type.isBlank()) {
            match.add(Filters.eq(UserFields.TYPE, type));
        }
        Pattern term = Pattern.compile(Pattern.quote(Objects.requireNonNullElse(RestRequest.query(exchange, "searchTerm"), "")),
                Pattern.CASE_INSENSITIVE);
        List<Bson> search = new ArrayList<>(List.of(Filters.regex(UserFields.USERNAME, term), Filters.regex(UserFields.NAME, term)));
        if (full) {
            search.add(Filters.regex(UserFields.EMAIL_ADDRESS, term));
        }
        match.add(Filters.or(search));
        List<String> roles = queryList(exchange, "roles");
        if (!roles.isEmpty() && !roles.contains("all")) {
            match.add(Filters.in(UserFields.ROLES, roles));
        }
        Bson filter = Filters.and(match);
        var found = page.window(users.collection().find(filter).sort(sort)).projection(LIST_BY_STATUS_FIELDS);
        List<Document> result = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("users", result, "count", result.size(), "offset", page.offset(),
                "total", users.collection().countDocuments(filter)));
    }

    /**
     * {@code users.autocomplete}: up to ten active users matching {@code selector.term}, people the caller shares a
     * direct message with first; without view-outside-room only people who share a room with the caller.
     */
    public void autocomplete(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        String raw = RestRequest.query(exchange, "selector");
        if (raw == null) {
            throw CaravanException.invalidParams("must have required property 'selector'");
        }
        JsonNode selector;
        try {
            selector = CaravanJson.ejson().readTree(raw);
        } catch (java.io.IOException e) {
            throw CaravanException.invalidParams("must be a JSON object 'selector'");
        }
        if (selector == null || !selector.isObject()) {
            throw CaravanException.invalidParams("must be a JSON object 'selector'");
        }
        Bson conditions = UserSearchConditions.parse(selector.get("conditions"));
        List<String> exceptions = new ArrayList<>();
        selector.path("exceptions").forEach(name -> exceptions.add(name.asText()));
        Pattern term = Pattern.compile(Pattern.quote(selector.path("term").asText("")), Pattern.CASE_INSENSITIVE);
        List<Bson> search = new ArrayList<>();
        for (String field : settings.string("Accounts_SearchFields", "username, name, bio, nickname").split(",")) {
            if (!field.isBlank()) {
                search.add(Filters.regex(field.trim(), term));
            }
        }
        Bson base = Filters.and(Filters.eq(UserFields.ACTIVE, true), Filters.ne(UserFields.ID, caller), conditions,
                search.isEmpty() ? new Document() : Filters.or(search));
        List<Document> items = new ArrayList<>(autocompleteAmong(base, contacts(caller, true), exceptions, AUTOCOMPLETE_LIMIT));
        items.forEach(user -> exceptions.add(user.getString(UserFields.USERNAME)));
        int left = AUTOCOMPLETE_LIMIT - items.size();
        if (left > 0) {
            Set<String> among = authorization.hasPermission(caller, "view-outside-room") ? null : contacts(caller, false);
            items.addAll(autocompleteAmong(base, among, exceptions, left));
        }
        RestReplies.ok(exchange, Map.of("items", items));
    }

    private List<Document> autocompleteAmong(Bson base, Set<String> ids, List<String> exceptions, int limit) {
        if (ids != null && ids.isEmpty()) {
            return List.of();
        }
        Bson filter = Filters.and(base, Filters.nin(UserFields.USERNAME, exceptions),
                ids == null ? new Document() : Filters.in(UserFields.ID, ids));
        return users.collection().find(filter).projection(AUTOCOMPLETE_FIELDS).sort(new Document(UserFields.USERNAME, 1))
                .limit(limit).into(new ArrayList<>());
    }

    /** The ids of the users who share a room (only direct messages, when asked) with the user. */
    private Set<String> contacts(String userId, boolean directOnly) {
        Bson mine = directOnly ? Filters.and(Filters.eq(SubscriptionFields.USER_ID, userId), Filters.eq(SubscriptionFields.TYPE, "d"))
                : Filters.eq(SubscriptionFields.USER_ID, userId);
        List<String> rids = subscriptions.find(mine).projection(new Document(SubscriptionFields.ROOM_ID, 1))
                .map(sub -> sub.getString(SubscriptionFields.ROOM_ID)).into(new ArrayList<>());
        Set<String> ids = new LinkedHashSet<>();
        if (!rids.isEmpty()) {
            subscriptions.find(Filters.and(Filters.in(SubscriptionFields.ROOM_ID, rids), Filters.ne(SubscriptionFields.USER_ID, userId)))
                    .projection(new Document(SubscriptionFields.USER_ID, 1))
                    .forEach(sub -> ids.add(sub.get(SubscriptionFields.USER, Document.class).getString("_id")));
        }
        return ids;
    }

    private List<Document> rooms(String userId) {
        return subscriptions.find(Filters.eq(SubscriptionFields.USER_ID, userId))
                .projection(new Document("rid", 1).append("name", 1).append("t", 1).append("roles", 1).append("unread", 1)
                        .append("federated", 1))
                .sort(new Document("t", 1).append("name", 1)).into(new ArrayList<>());
    }

    /** Whether {@code fields} (a JSON object) asks for {@code userRooms: 1}. */
    private static boolean requestsRooms(Exchange exchange) {
        String fields = RestRequest.query(exchange, "fields");
        if (fields == null) {
            return false;
        }
        try {
            return CaravanJson.ejson().readTree(fields).path("userRooms").asInt(0) == 1;
        } catch (java.io.IOException e) {
            throw CaravanException.coded("error-invalid-fields", "Invalid fields parameter provided: \"" + fields + "\"");
        }
    }

    /** A list query parameter, sent as {@code name[]=a&name[]=b} or {@code name=a}. */
    private static List<String> queryList(Exchange exchange, String name) {
        List<String> values = new ArrayList<>();
        for (String key : List.of(name + "[]", name)) {
            Object value = exchange.getIn().getHeader(key);
            if (value instanceof Iterable<?> many) {
                many.forEach(v -> values.add(String.valueOf(v)));
            } else if (value != null && !String.valueOf(value).isBlank()) {
                values.add(String.valueOf(value));
            }
        }
        return values;
    }

    private boolean validUsername(String username) {
        Pattern pattern;
        try {
            pattern = Pattern.compile("^" + settings.string("UTF8_User_Names_Validation", "[0-9a-zA-Z-_.]+") + "$");
        } catch (java.util.regex.PatternSyntaxException e) {
            pattern = Pattern.compile("^[0-9a-zA-Z-_.]+$");
        }
        return pattern.matcher(username).matches();
    }

    private static boolean arrayContains(JsonNode array, String value) {
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                if (value.equals(item.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
