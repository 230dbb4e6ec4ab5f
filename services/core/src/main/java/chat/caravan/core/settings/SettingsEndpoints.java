package chat.caravan.core.settings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.Collections;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** settings.public, settings (admin read and write), statistics, and the lists clients ask for at start-up. */
@Component("settingsEndpoints")
public class SettingsEndpoints {

    private final MongoDatabase database;
    private final MongoCollection<Document> settingsCollection;
    private final Settings settings;
    private final Authorization authorization;
    private final RestAuth auth;

    public SettingsEndpoints(MongoDatabase database, Settings settings, Authorization authorization, RestAuth auth) {
        this.database = database;
        this.settingsCollection = database.getCollection(Collections.SETTINGS);
        this.settings = settings;
        this.authorization = authorization;
        this.auth = auth;
    }

    /**
     * settings.public: public, non-hidden settings; {@code _id=a,b} picks ids and {@code query} (a JSON object on
     * {@code _id}: a string, or {@code $in} / {@code $nin} of strings) narrows further.
     */
    public void publicSettings(Exchange exchange) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("public", true), Filters.ne("hidden", true)));
        String ids = exchange.getIn().getHeader("_id", String.class);
        if (ids != null && !ids.isBlank()) {
            filters.add(Filters.in("_id", Arrays.stream(ids.split(",")).map(String::trim).filter(id -> !id.isEmpty()).toList()));
        }
        Bson query = idQuery(exchange.getIn().getHeader("query", String.class));
        if (query != null) {
            filters.add(query);
        }
        replyPage(exchange, Filters.and(filters));
    }

    /** settings.oauth: the OAuth login services clients may offer; Caravan configures none, so an empty list. */
    public void oauthServices(Exchange exchange) {
        RestReplies.ok(exchange, Map.of("services", List.of()));
    }

    /** service.configurations: the login service configurations; none in Caravan. */
    public void serviceConfigurations(Exchange exchange) {
        RestReplies.ok(exchange, Map.of("configurations", List.of()));
    }

    /** {@code public-settings/get} over DDP: every public setting, {update, remove} style. */
    public List<Document> publicList() {
        return settingsCollection.find(Filters.eq("public", true)).projection(new Document("_id", 1).append("value", 1))
                .into(new ArrayList<>());
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasPermission(caller.id(), "view-privileged-setting")) {
            throw new CaravanException(403, "error-unauthorized", "User does not have the permissions required for this action", null);
        }
        replyPage(exchange, Filters.ne("hidden", true));
    }

    public void getOne(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "view-privileged-setting");
        Document setting = settingsCollection.find(Filters.eq("_id", exchange.getIn().getHeader("id", String.class))).first();
        if (setting == null) {
            throw CaravanException.notFound("Resource not found");
        }
        RestReplies.ok(exchange, new Document("_id", setting.get("_id")).append("value", setting.get("value")));
    }

    public void update(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        authorization.require(caller.id(), "edit-privileged-setting");
        String id = exchange.getIn().getHeader("id", String.class);
        JsonNode value = Params.of(exchange).node("value");
        if (value == null) {
            throw CaravanException.invalidParams("must have required property 'value'");
        }
        Document setting = settingsCollection.find(Filters.eq("_id", id)).first();
        if (setting == null || setting.getBoolean("hidden", false)) {
            throw CaravanException.notFound("Resource not found");
        }
        if (setting.getBoolean("blocked", false)) {
            throw CaravanException.coded("error-setting-blocked", "Setting " + id + " is blocked and cannot be changed");
        }
        Object parsed = CaravanJson.ejson().convertValue(value, Object.class);
        if (!compatible(setting.getString("type"), parsed)) {
            throw CaravanException.coded("error-invalid-setting-value", "Invalid setting value for " + id);
        }
        settingsCollection.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("value", parsed),
                Updates.set("valueSource", "value"), Updates.set("_updatedAt", new Date())));
        settings.invalidate();
        RestReplies.ok(exchange, Map.of());
    }

    public void statistics(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasPermission(caller.id(), "view-statistics")) {
            // Rocket.Chat's getLastStatistics throws a plain Error('error-not-allowed'): 400, its message as the error
            throw new CaravanException(400, null, "error-not-allowed", null);
        }
        MongoCollection<Document> rooms = database.getCollection(Collections.ROOMS);
        // totals from the collections' counts, not by reading every document (a million messages)
        Document stats = new Document("totalUsers", database.getCollection(Collections.USERS).estimatedDocumentCount())
                .append("activeUsers", database.getCollection(Collections.USERS).countDocuments(Filters.eq("active", true)))
                .append("onlineUsers", database.getCollection(Collections.USERS).countDocuments(Filters.eq("status", "online")))
                .append("totalRooms", rooms.estimatedDocumentCount())
                .append("totalChannels", rooms.countDocuments(Filters.eq("t", "c")))
                .append("totalPrivateGroups", rooms.countDocuments(Filters.eq("t", "p")))
                .append("totalDirect", rooms.countDocuments(Filters.eq("t", "d")))
                .append("totalMessages", database.getCollection(Collections.MESSAGES).estimatedDocumentCount())
                .append("process", new Document("uptime",
                        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)
                        .append("pid", ProcessHandle.current().pid()))
                .append("createdAt", new Date());
        RestReplies.ok(exchange, stats);
    }

    public void commandsList(Exchange exchange) {
        Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, Map.of("commands", List.of(), "count", 0, "offset", 0, "total", 0));
    }

    public void emojiCustomList(Exchange exchange) {
        Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, Map.of("emojis", Map.of("update", List.of(), "remove", List.of())));
    }

    private void replyPage(Exchange exchange, Bson filter) {
        Pagination page = Pagination.of(exchange, settings, new Document("_id", 1));
        FindIterable<Document> found = page.window(settingsCollection.find(filter).sort(page.sort()))
                .projection(new Document("_id", 1).append("value", 1).append("enterprise", 1).append("invalidValue", 1)
                        .append("modules", 1).append("requiredOnWizard", 1));
        List<Document> result = found.into(new ArrayList<>());
        RestReplies.ok(exchange, Map.of("settings", result, "count", result.size(), "offset", page.offset(),
                "total", settingsCollection.countDocuments(filter)));
    }

    private static Bson idQuery(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        JsonNode query;
        try {
            query = CaravanJson.ejson().readTree(raw);
        } catch (IOException e) {
            throw CaravanException.invalidParams("Invalid query parameter provided: \"" + raw + "\"");
        }
        if (query == null || !query.isObject()) {
            throw CaravanException.invalidParams("Invalid query parameter provided: \"" + raw + "\"");
        }
        List<Bson> filters = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!"_id".equals(field.getKey())) {
                throw CaravanException.invalidParams("Invalid query parameter provided: \"" + raw + "\"");
            }
            JsonNode condition = field.getValue();
            if (condition.isTextual()) {
                filters.add(Filters.eq("_id", condition.asText()));
            } else if (condition.isObject() && condition.size() == 1 && (condition.has("$in") || condition.has("$nin"))
                    && condition.elements().next().isArray()) {
                List<String> values = new ArrayList<>();
                condition.elements().next().forEach(value -> values.add(value.asText()));
                filters.add(condition.has("$in") ? Filters.in("_id", values) : Filters.nin("_id", values));
            } else {
                throw CaravanException.invalidParams("Invalid query parameter provided: \"" + raw + "\"");
            }
        }
        return filters.isEmpty() ? null : Filters.and(filters);
    }

    private static boolean compatible(String type, Object value) {
        if (type == null) {
            return true;
        }
        return switch (type) {
            case "boolean" -> value instanceof Boolean;
            case "int" -> value instanceof Number;
            case "string", "select", "language", "code", "color", "font", "relativeUrl" -> value instanceof String;
            default -> true;
        };
    }
}
