package chat.caravan.core.presence;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.users.UserLookup;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** users.setStatus, users.getStatus, users.getPresence and users.presence; changes go to the presence service. */
@Component("presenceEndpoints")
public class PresenceEndpoints {

    private final BusClient bus;
    private final UserLookup users;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public PresenceEndpoints(BusClient bus, UserLookup users, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database) {
        this.bus = bus;
        this.users = users;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void setStatus(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        if (!settings.bool("Accounts_AllowUserStatusMessageChange", true)) {
            throw CaravanException.coded("error-not-allowed", "Change status is not allowed");
        }
        String status = params.text("status");
        String message = params.text("message");
        if (status == null && message == null) {
            // Rocket.Chat's check() failure: the bare Match message, no errorType
            throw CaravanException.plain("Match error: Failed Match.OneOf, Match.Maybe or Match.Optional validation");
        }
        Document target = caller.user();
        if (params.text("userId") != null || params.text("username") != null) {
            target = users.fromParams(params.text("userId"), params.text("username"), null);
            if (!target.getString("_id").equals(caller.id()) && !authorization.hasPermission(caller.id(), "edit-other-user-info")) {
                throw CaravanException.forbidden("unauthorized");
            }
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("userId", target.getString("_id"));
        if (status != null) {
            request.put("status", status);
        }
        if (message != null) {
            request.put("statusText", message);
        }
        bus.call("presence.setChosenStatus", request);
        RestReplies.ok(exchange, Map.of());
    }

    public void getStatus(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document target = users.find(params.text("userId"), params.text("username"), null);
        if (target == null && params.text("userId") == null && params.text("username") == null) {
            target = caller.user();
        }
        if (target == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("_id", target.getString("_id"));
        if (target.getString("_id").equals(caller.id())) {
            reply.put("connectionStatus", orOffline(target.getString(UserFields.STATUS_CONNECTION)));
        }
        reply.put("status", orOffline(target.getString(UserFields.STATUS)));
        RestReplies.ok(exchange, reply);
    }

    public void getPresence(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Document target = params.text("userId") == null && params.text("username") == null ? caller.user()
                : users.fromParams(params.text("userId"), params.text("username"), null);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("presence", orOffline(target.getString(UserFields.STATUS)));
        if (target.getString("_id").equals(caller.id())) {
            reply.put("connectionStatus", orOffline(target.getString(UserFields.STATUS_CONNECTION)));
            if (target.get(UserFields.LAST_LOGIN) != null) {
                reply.put("lastLogin", target.get(UserFields.LAST_LOGIN));
            }
        }
        RestReplies.ok(exchange, reply);
    }

    /**
     * Users who are not offline, as Rocket.Chat answers: the listed {@code ids}; or, for a {@code from} less than ten
     * minutes ago, the others whose document changed since then ({@code full: false}); otherwise all ({@code full}).
     */
    public void presence(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String from = params.text("from");
        String ids = params.text("ids");
        Bson filter = Filters.ne(UserFields.STATUS, "offline");
        boolean full = true;
        if (ids != null && !ids.isBlank()) {
            filter = Filters.and(filter, Filters.in("_id", List.of(ids.split(","))));
            full = false;
        } else if (from != null && !from.isBlank()) {
            java.time.Instant since;
            try {
                since = java.time.Instant.parse(from);
            } catch (RuntimeException e) {
                throw CaravanException.invalidParams("The \"from\" query parameter must be a valid date.");
            }
            if (since.isAfter(java.time.Instant.now().minus(java.time.Duration.ofMinutes(10)))) {
                filter = Filters.and(Filters.ne("_id", caller.id()), Filters.gte(UserFields.UPDATED_AT, Date.from(since)));
                full = false;
            }
        }
        List<Document> found = users.collection().find(filter)
                .projection(new Document("username", 1).append("name", 1).append("status", 1).append("utcOffset", 1)
                        .append("statusText", 1).append("avatarETag", 1)).limit(5000).into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("users", found, "full", full));
    }

    private static String orOffline(String status) {
        return status == null ? "offline" : status;
    }
}
