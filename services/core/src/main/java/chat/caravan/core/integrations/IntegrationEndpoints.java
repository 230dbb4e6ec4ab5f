package chat.caravan.core.integrations;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.JsonQueryParam;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomLookup;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's integrations.* REST endpoints: incoming and outgoing webhooks, created, listed, read, changed and
 * removed under the {@code manage-(own-)incoming-integrations} and {@code manage-(own-)outgoing-integrations}
 * permissions, and the history of an outgoing webhook's calls.
 */
@Component("integrationEndpoints")
public class IntegrationEndpoints {

    private static final List<String> ALL = List.of("manage-outgoing-integrations", "manage-own-outgoing-integrations",
            "manage-incoming-integrations", "manage-own-incoming-integrations");

    private final IntegrationStore store;
    private final IntegrationRules rules;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;
    private final RoomLookup rooms;

    public IntegrationEndpoints(IntegrationStore store, IntegrationRules rules, Authorization authorization,
            Settings settings, RestAuth auth, MongoDatabase database, RoomLookup rooms) {
        this.rooms = rooms;
        this.store = store;
        this.rules = rules;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        JsonNode body = Params.of(exchange).body();
        String type = body.path("type").asText("");
        Document integration = switch (type) {
            case IntegrationStore.INCOMING -> rules.newIncoming(caller, body);
            case IntegrationStore.OUTGOING -> rules.newOutgoing(caller, body);
            default -> throw CaravanException.plain("Invalid integration type.");
        };
        Date now = new Date();
        integration.put("_id", Ids.random());
        integration.put("_createdAt", now);
        integration.put("_updatedAt", now);
        integration.put("_createdBy", new Document("_id", caller.id()).append("username", caller.username()));
        store.integrations().insertOne(integration);
        store.changed();
        RestReplies.ok(exchange, Map.of("integration", integration));
    }

    public void update(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        JsonNode body = Params.of(exchange).body();
        String type = body.path("type").asText("");
        Document current;
        Document changes;
        switch (type) {
            case IntegrationStore.OUTGOING -> {
                current = byIdOrUrl(body);
                requireMayManage(caller, current, "outgoing");
                changes = rules.newOutgoing(caller, body);
            }
            case IntegrationStore.INCOMING -> {
                current = store.byId(body.path("integrationId").asText(null));
                if (current == null) {
                    throw CaravanException.plain("No integration found.");
                }
                requireMayManage(caller, current, "incoming");
                // as Rocket.Chat, an update keeps the user the webhook posts as
                com.fasterxml.jackson.databind.node.ObjectNode kept = body.deepCopy();
                kept.put("username", current.getString("username"));
                changes = rules.newIncoming(caller, kept);
                // the token and the user it posts as stay those of the integration
                changes.remove("token");
                changes.remove("userId");
                changes.remove("username");
            }
            default -> throw CaravanException.plain("Invalid integration type.");
        }
        changes.remove("type");
        changes.put("_updatedAt", new Date());
        changes.put("_updatedBy", new Document("_id", caller.id()).append("username", caller.username()));
        store.integrations().updateOne(Filters.eq("_id", current.getString("_id")), new Document("$set", changes));
        store.changed();
        RestReplies.ok(exchange, Map.of("integration", store.byId(current.getString("_id"))));
    }

    public void remove(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasAtLeastOnePermission(caller.id(), ALL, null)) {
            throw CaravanException.forbidden("unauthorized");
        }
        JsonNode body = Params.of(exchange).body();
        String type = body.path("type").asText("");
        if (!IntegrationStore.OUTGOING.equals(type) && !IntegrationStore.INCOMING.equals(type)) {
            // Rocket.Chat's schema: one of the two shapes
            throw CaravanException.invalidParams("must match exactly one schema in oneOf");
        }
        Document integration;
        switch (type) {
            case IntegrationStore.OUTGOING -> {
                if (!body.hasNonNull("target_url") && !body.hasNonNull("integrationId")) {
                    throw CaravanException.plain("An integrationId or target_url needs to be provided.");
                }
                integration = byIdOrUrl(body);
                requireMayManage(caller, integration, "outgoing");
            }
            case IntegrationStore.INCOMING -> {
                if (!body.path("integrationId").isTextual()) {
                    throw CaravanException.invalidParams("must have required property 'integrationId'");
                }
                integration = store.byId(body.get("integrationId").asText());
                if (integration == null) {
                    throw CaravanException.plain("No integration found.");
                }
                requireMayManage(caller, integration, "incoming");
            }
            default -> throw CaravanException.plain("Invalid integration type.");
        }
        store.integrations().deleteOne(Filters.eq("_id", integration.getString("_id")));
        store.history().deleteMany(Filters.eq("integration._id", integration.getString("_id")));
        store.changed();
        RestReplies.ok(exchange, Map.of("integration", integration));
    }

    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String id = params.text("integrationId");
        if (id == null) {
            throw CaravanException.invalidParams("must have required property 'integrationId'");
        }
        if (id.isBlank()) {
            throw CaravanException.plain("The query parameter \"integrationId\" is required.");
        }
        String createdBy = params.text("createdBy");
        Document integration = store.byId(id);
        if (integration == null || (createdBy != null && !createdBy.equals(createdById(integration)))) {
            throw CaravanException.plain("The integration does not exists.");
        }
        if (!mayManage(caller, integration, IntegrationStore.INCOMING.equals(integration.getString("type")) ? "incoming" : "outgoing")) {
            throw CaravanException.plain("not-authorized");
        }
        RestReplies.ok(exchange, Map.of("integration", integration));
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasAtLeastOnePermission(caller.id(), ALL, null)) {
            throw CaravanException.forbidden("unauthorized");
        }
        Pagination page = Pagination.of(exchange, settings, new Document("_createdAt", -1));
        Bson query = visibleTo(caller.id());
        List<Document> found = store.integrations().find(query).sort(page.sort()).skip(page.offset())
                .limit(page.unlimited() ? 0 : page.count()).into(new ArrayList<>());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("integrations", found);
        reply.put("offset", page.offset());
        reply.put("items", found.size());
        reply.put("count", found.size());
        reply.put("total", store.integrations().countDocuments(query));
        RestReplies.ok(exchange, reply);
    }

    /**
     * channels.getIntegrations: the integrations (of the kinds the caller may see) whose channels name the channel,
     * or all public channels unless {@code includeAllPublicChannels=false}.
     */
    public void ofChannel(Exchange exchange) {
        ofRoom(exchange, RoomKind.CHANNEL, "includeAllPublicChannels", "all_public_channels");
    }

    /** groups.getIntegrations: the same for a private group the caller may access ({@code includeAllPrivateGroups}). */
    public void ofGroup(Exchange exchange) {
        ofRoom(exchange, RoomKind.GROUP, "includeAllPrivateGroups", "all_private_groups");
    }

    private void ofRoom(Exchange exchange, RoomKind kind, String includeAllParam, String allScope) {
        Caller caller = Caller.of(exchange, auth, database);
        if (!authorization.hasAtLeastOnePermission(caller.id(), ALL, null)) {
            throw CaravanException.forbidden("unauthorized");
        }
        Params params = Params.of(exchange);
        // a channel is found for anyone (as Rocket.Chat does), a private group only for whoever may access it
        Document room = rooms.named(params, kind, kind == RoomKind.GROUP ? caller : null);
        String includeAll = params.text(includeAllParam);
        // Rocket.Chat: channels take any given value but "true" as false, groups ignore an empty one
        boolean unset = includeAll == null || (kind == RoomKind.GROUP && includeAll.isEmpty());
        List<String> channels = unset || "true".equals(includeAll) ? List.of("#" + room.getString("name"), allScope) : List.of("#" + room.getString("name"));
        Document narrowed = JsonQueryParam.of(exchange);
        narrowed.remove("channel");
        List<Bson> conditions = new ArrayList<>(List.of(visibleTo(caller.id()), Filters.in("channel", channels)));
        if (!narrowed.isEmpty()) {
            conditions.add(narrowed);
        }
        Bson query = Filters.and(conditions);
        Pagination page = Pagination.of(exchange, settings, new Document("_createdAt", 1));
        List<Document> found = store.integrations().find(query).sort(page.sort()).skip(page.offset())
                .limit(page.unlimited() ? 0 : page.count()).into(new ArrayList<>());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("integrations", found);
        reply.put("count", found.size());
        reply.put("offset", page.offset());
        reply.put("total", store.integrations().countDocuments(query));
        RestReplies.ok(exchange, reply);
    }

    public void history(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        boolean all = authorization.hasPermission(caller.id(), "manage-outgoing-integrations");
        if (!all && !authorization.hasPermission(caller.id(), "manage-own-outgoing-integrations")) {
            throw CaravanException.forbidden("unauthorized");
        }
        String id = Params.of(exchange).text("id");
        if (id == null || id.isBlank()) {
            throw CaravanException.plain("Invalid integration id.");
        }
        Bson query = all ? Filters.eq("integration._id", id)
                : Filters.and(Filters.eq("integration._id", id), Filters.eq("integration._createdBy._id", caller.id()));
        Pagination page = Pagination.of(exchange, settings, new Document("_updatedAt", -1));
        List<Document> found = store.history().find(query).sort(page.sort()).skip(page.offset())
                .limit(page.unlimited() ? 0 : page.count()).into(new ArrayList<>());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("history", found);
        reply.put("offset", page.offset());
        reply.put("items", found.size());
        reply.put("count", found.size());
        reply.put("total", store.history().countDocuments(query));
        RestReplies.ok(exchange, reply);
    }

    /** Rocket.Chat's mountIntegrationQueryBasedOnPermissions: all of a type, or one's own, per permission. */
    private Bson visibleTo(String uid) {
        boolean allOut = authorization.hasPermission(uid, "manage-outgoing-integrations");
        boolean allIn = authorization.hasPermission(uid, "manage-incoming-integrations");
        boolean ownOut = authorization.hasPermission(uid, "manage-own-outgoing-integrations");
        boolean ownIn = authorization.hasPermission(uid, "manage-own-incoming-integrations");
        if (allOut && allIn) {
            return new Document();
        }
        List<Bson> any = new ArrayList<>();
        if (allOut) {
            any.add(Filters.eq("type", IntegrationStore.OUTGOING));
        }
        if (allIn) {
            any.add(Filters.eq("type", IntegrationStore.INCOMING));
        }
        if (ownOut) {
            any.add(Filters.and(Filters.eq("_createdBy._id", uid), Filters.eq("type", IntegrationStore.OUTGOING)));
        }
        if (ownIn) {
            any.add(Filters.and(Filters.eq("_createdBy._id", uid), Filters.eq("type", IntegrationStore.INCOMING)));
        }
        return Filters.or(any);
    }

    private Document byIdOrUrl(JsonNode body) {
        Document integration = null;
        if (body.path("target_url").isTextual()) {
            integration = store.integrations().find(Filters.and(Filters.eq("type", IntegrationStore.OUTGOING),
                    Filters.eq("urls", body.get("target_url").asText()))).first();
        } else if (body.path("integrationId").isTextual()) {
            integration = store.byId(body.get("integrationId").asText());
        }
        if (integration == null) {
            throw CaravanException.plain("No integration found.");
        }
        return integration;
    }

    private void requireMayManage(Caller caller, Document integration, String kind) {
        if (!mayManage(caller, integration, kind)) {
            throw CaravanException.coded("not_authorized", "Unauthorized");
        }
    }

    private boolean mayManage(Caller caller, Document integration, String kind) {
        if (authorization.hasPermission(caller.id(), "manage-" + kind + "-integrations")) {
            return true;
        }
        return caller.id().equals(createdById(integration))
                && authorization.hasPermission(caller.id(), "manage-own-" + kind + "-integrations");
    }

    private static String createdById(Document integration) {
        return integration.get("_createdBy") instanceof Document by ? by.getString("_id") : null;
    }
}
