package chat.caravan.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.presence.ConnectionDigest;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Connections and statuses. Every connection is kept per user in {@code usersSessions} with the ddp-streamer
 * instance that holds it; a user's {@code status}, {@code statusConnection}, {@code statusDefault} and
 * {@code statusText} follow from them. Instances report every few seconds; one that stops reporting loses its
 * connections, so nobody stays online forever.
 */
@Component("presenceService")
public class PresenceService {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);
    static final String INSTANCES = "caravan_instances";

    private final MongoCollection<Document> sessions;
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> instances;
    private final BusClient bus;
    private final Settings settings;
    private final Duration instanceTimeout;
    private final int maxConnectionsPerUser;
    private final ReentrantLock[] userLocks = new ReentrantLock[256];
    private volatile boolean busWasDown;
    private volatile long sweepNotBefore;

    public PresenceService(MongoDatabase database, BusClient bus, Settings settings,
            @Value("${caravan.presence.instance-timeout:30s}") Duration instanceTimeout,
            @Value("${caravan.presence.max-connections-per-user:50}") int maxConnectionsPerUser) {
        this.sessions = database.getCollection(Collections.USERS_SESSIONS);
        this.users = database.getCollection(Collections.USERS);
        this.instances = database.getCollection(INSTANCES);
        this.bus = bus;
        this.settings = settings;
        this.instanceTimeout = instanceTimeout;
        this.maxConnectionsPerUser = Math.max(1, maxConnectionsPerUser);
        this.sweepNotBefore = System.currentTimeMillis() + instanceTimeout.toMillis();
        sessions.createIndex(com.mongodb.client.model.Indexes.ascending("connections.instanceId"));
        for (int i = 0; i < userLocks.length; i++) {
            userLocks[i] = new ReentrantLock();
        }
    }

    public Map<String, Object> connectionOpened(JsonNode request) {
        String userId = text(request, "userId");
        apply(text(request, "instanceId"), List.of(new ConnectionChange(userId, text(request, "connectionId"), true)));
        return recompute(userId);
    }

    /** One connection opened or closed on an instance. */
    private record ConnectionChange(String userId, String connectionId, boolean opened) {
    }

    /**
     * Applies opens and closes of one instance in order, in one bulk write. An opening is appended unless already
     * there (an announcement repeated is a no-op), so its change event records one element, not the whole list;
     * the users who opened one then keep only their newest connections.
     */
    private void apply(String instanceId, List<ConnectionChange> changes) {
        Date now = new Date();
        seen(instanceId, now);
        List<WriteModel<Document>> writes = new ArrayList<>();
        Set<String> opened = new LinkedHashSet<>();
        for (ConnectionChange change : changes) {
            if (change.opened()) {
                opened.add(change.userId());
                addConnection(writes, change.userId(), change.connectionId(), instanceId, "online", now);
            } else {
                writes.add(new UpdateOneModel<>(Filters.eq("_id", change.userId()),
                        Updates.pull("connections", new Document("id", change.connectionId()))));
            }
        }
        if (!writes.isEmpty()) {
            sessions.bulkWrite(writes, new BulkWriteOptions().ordered(true));
        }
        opened.forEach(this::keepNewestConnections);
    }

    /**
     * The writes that add one connection to a user's record (created if missing) unless it is there already, so an
     * announcement repeated is a no-op.
     */
    private static void addConnection(List<WriteModel<Document>> writes, String userId, String connectionId,
            String instanceId, String status, Date now) {
        writes.add(new UpdateOneModel<>(Filters.eq("_id", userId), Updates.setOnInsert("connections", List.of()),
                new UpdateOptions().upsert(true)));
        writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", userId), Filters.ne("connections.id", connectionId)),
                Updates.push("connections", new Document("id", connectionId).append("instanceId", instanceId)
                        .append("status", status).append("_createdAt", now).append("_updatedAt", now))));
    }

    /**
     * A user's connections beyond {@code maxConnectionsPerUser} are forgotten, oldest first: one account opening
     * sessions without end must not grow its presence record (and every change event carrying it) without end.
     */
    private void keepNewestConnections(String userId) {
        Document session = sessions.find(Filters.eq("_id", userId)).projection(new Document("connections.id", 1)).first();
        List<Document> connections = session == null ? List.of() : session.getList("connections", Document.class, List.of());
        if (connections.size() <= maxConnectionsPerUser) {
            return;
        }
        List<String> oldest = connections.subList(0, connections.size() - maxConnectionsPerUser).stream()
                .map(c -> c.getString("id")).toList();
        LOG.debug("user {} has {} connections; forgetting the {} oldest", userId, connections.size(), oldest.size());
        sessions.updateOne(Filters.eq("_id", userId), Updates.pull("connections", Filters.in("id", oldest)));
    }

    public Map<String, Object> connectionClosed(JsonNode request) {
        String userId = text(request, "userId");
        sessions.updateOne(Filters.eq("_id", userId), Updates.pull("connections", new Document("id", text(request, "connectionId"))));
        return recompute(userId);
    }

    /**
     * A batch of opens and closes from one instance, applied in order in one bulk write; the affected users are then
     * recomputed together, so hundreds of sockets dropped at once cost a few round trips to the store rather than
     * several per socket.
     */
    public Map<String, Object> connectionsChanged(JsonNode request) {
        String instanceId = text(request, "instanceId");
        JsonNode changes = request.path("changes");
        if (!changes.isArray()) {
            throw CaravanException.invalidParams("must have required property 'changes'");
        }
        List<ConnectionChange> parsed = new ArrayList<>();
        Set<String> affected = new LinkedHashSet<>();
        for (JsonNode change : changes) {
            parsed.add(new ConnectionChange(text(change, "userId"), text(change, "connectionId"),
                    change.path("opened").asBoolean(false)));
            affected.add(parsed.get(parsed.size() - 1).userId());
        }
        apply(instanceId, parsed);
        recomputeAll(affected);
        return Map.of("users", affected.size());
    }

    /** {@link #recompute(String)} for many users at once: one read of their connections and documents, one bulk write. */
    void recomputeAll(Set<String> userIds) {
        int[] stripes = userIds.stream().mapToInt(this::stripe).distinct().sorted().toArray();
        for (int stripe : stripes) {
            userLocks[stripe].lock();
        }
        try {
            Set<String> pending = userIds;
            Map<String, List<String>> statuses = connectionStatuses(pending);
            for (int attempt = 0; attempt < 4 && !pending.isEmpty(); attempt++) {
                Map<String, Document> found = new HashMap<>();
                users.find(Filters.in("_id", pending)).forEach(user -> found.put(user.getString("_id"), user));
                List<WriteModel<Document>> updates = new ArrayList<>();
                List<Map<String, Object>> events = new ArrayList<>();
                for (String userId : pending) {
                    Document user = found.get(userId);
                    if (user != null) {
                        StatusChange change = statusChange(user, statuses.getOrDefault(userId, List.of()));
                        if (change.changed()) {
                            updates.add(new UpdateOneModel<>(Filters.eq("_id", userId), change.update()));
                            events.add(change.event());
                        }
                    }
                }
                if (!updates.isEmpty()) {
                    users.bulkWrite(updates, new BulkWriteOptions().ordered(false));
                }
                events.forEach(event -> bus.publish("presence.status", event));
                // as in recompute: connections changed meanwhile (another presence instance) mean computing again
                Map<String, List<String>> current = connectionStatuses(pending);
                Set<String> moved = new LinkedHashSet<>();
                for (String userId : pending) {
                    if (!current.getOrDefault(userId, List.of()).equals(statuses.getOrDefault(userId, List.of()))) {
                        moved.add(userId);
                    }
                }
                pending = moved;
                statuses = current;
            }
        } finally {
            for (int i = stripes.length - 1; i >= 0; i--) {
                userLocks[stripes[i]].unlock();
            }
        }
    }

    private Map<String, List<String>> connectionStatuses(Set<String> userIds) {
        Map<String, List<String>> statuses = new HashMap<>();
        sessions.find(Filters.in("_id", userIds)).forEach(session -> statuses.put(session.getString("_id"), statusesOf(session)));
        return statuses;
    }

    /** A connection went idle (away) or came back (online). */
    public Map<String, Object> activity(JsonNode request) {
        String userId = text(request, "userId");
        String status = text(request, "status");
        if (!"online".equals(status) && !"away".equals(status)) {
            throw CaravanException.coded("error-invalid-status", "Valid connection statuses are online and away.");
        }
        sessions.updateOne(Filters.and(Filters.eq("_id", userId), Filters.eq("connections.id", text(request, "connectionId"))),
                Updates.combine(Updates.set("connections.$.status", status), Updates.set("connections.$._updatedAt", new Date())));
        return recompute(userId);
    }

    /** The user's chosen status (and text): online, away, busy, or offline (invisible). */
    public Map<String, Object> setStatus(JsonNode request) {
        String userId = text(request, "userId");
        String status = request.path("status").asText("");
        List<org.bson.conversions.Bson> changes = new ArrayList<>();
        if (!status.isEmpty()) {
            if (!PresenceRules.STATUSES.contains(status)) {
                throw CaravanException.coded("error-invalid-status", "Valid status types include online, away, offline, and busy.");
            }
            if ("offline".equals(status) && !settings.bool("Accounts_AllowInvisibleStatusOption", true)) {
                throw CaravanException.coded("error-status-not-allowed", "Invisible status is disabled");
            }
            changes.add(Updates.set(UserFields.STATUS_DEFAULT, status));
        }
        if (request.has("statusText") && !request.get("statusText").isNull()) {
            String text = request.get("statusText").asText();
            if (text.length() > 120) {
                throw CaravanException.invalidParams("The status message is too long");
            }
            changes.add(Updates.set(UserFields.STATUS_TEXT, text));
        }
        if (changes.isEmpty()) {
            throw CaravanException.invalidParams("Match error: status or message is required");
        }
        if (users.updateOne(Filters.eq("_id", userId), Updates.combine(changes)).getMatchedCount() == 0) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        return recompute(userId, true);
    }

    /**
     * Rocket.Chat's REST {@code users.setStatus}: the chosen status is written as the user's {@code status} (and
     * {@code statusDefault}) at once, whether or not they have a connection, and broadcast; the text is trimmed to 120
     * characters. Unlike {@link #setStatus} (the DDP method), connections are not consulted now: the next connection
     * change of the user recomputes the status from them, as Rocket.Chat's presence service does.
     */
    public Map<String, Object> setChosenStatus(JsonNode request) {
        String userId = text(request, "userId");
        String status = request.path("status").asText("");
        boolean hasText = request.hasNonNull("statusText");
        if (status.isEmpty() && !hasText) {
            throw CaravanException.invalidParams("Match error: status or message is required");
        }
        if (!status.isEmpty()) {
            if (!PresenceRules.STATUSES.contains(status)) {
                throw CaravanException.coded("error-invalid-status", "Valid status types include online, away, offline, and busy.");
            }
            if ("offline".equals(status) && !settings.bool("Accounts_AllowInvisibleStatusOption", true)) {
                throw CaravanException.coded("error-status-not-allowed", "Invisible status is disabled");
            }
        }
        Lock lock = userLocks[stripe(userId)];
        lock.lock();
        try {
            Document user = users.find(Filters.eq("_id", userId)).first();
            if (user == null) {
                throw CaravanException.coded("error-invalid-user", "Invalid user");
            }
            List<Bson> changes = new ArrayList<>();
            String text = user.getString(UserFields.STATUS_TEXT);
            if (hasText) {
                String chosen = request.get("statusText").asText().trim();
                text = chosen.length() > 120 ? chosen.substring(0, 120) : chosen;
                changes.add(Updates.set(UserFields.STATUS_TEXT, text));
            }
            String shown = user.getString(UserFields.STATUS) == null ? "offline" : user.getString(UserFields.STATUS);
            if (!status.isEmpty()) {
                shown = status;
                changes.add(Updates.set(UserFields.STATUS, status));
                changes.add(Updates.set(UserFields.STATUS_DEFAULT, status));
            }
            changes.add(Updates.set(UserFields.UPDATED_AT, new Date()));
            users.updateOne(Filters.eq("_id", userId), Updates.combine(changes));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("userId", userId);
            event.put("username", user.getString(UserFields.USERNAME));
            event.put("name", user.getString(UserFields.NAME));
            event.put("status", shown);
            event.put("statusText", text == null ? "" : text);
            event.put("roles", user.getList(UserFields.ROLES, String.class, List.of()));
            bus.publish("presence.status", event);
            return event;
        } finally {
            lock.unlock();
        }
    }

    public Map<String, Object> getStatus(JsonNode request) {
        Document user = users.find(Filters.eq("_id", text(request, "userId"))).first();
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("_id", user.getString("_id"));
        status.put("status", user.getString(UserFields.STATUS) == null ? "offline" : user.getString(UserFields.STATUS));
        status.put("connectionStatus", user.getString(UserFields.STATUS_CONNECTION) == null ? "offline"
                : user.getString(UserFields.STATUS_CONNECTION));
        status.put("statusText", user.getString(UserFields.STATUS_TEXT));
        return status;
    }

    /**
     * An instance is alive. With its digest of its connections: when this record of them differs twice in a row (once
     * may be changes still on their way), the answer asks the instance for all of them ({@code resync}).
     */
    public Map<String, Object> instanceHeartbeat(JsonNode request) {
        String instanceId = text(request, "instanceId");
        seen(instanceId, new Date());
        JsonNode digest = request.get("digest");
        if (digest == null || !digest.isTextual()) {
            return Map.of();
        }
        List<String> entries = new ArrayList<>();
        storedConnections(instanceId).forEach((id, connection) -> entries.add(ConnectionDigest.entry(id, connection.status())));
        boolean same = digest.asText().equals(ConnectionDigest.of(entries));
        if (same) {
            instances.updateOne(Filters.eq("_id", instanceId), Updates.set("digestMismatches", 0));
            return Map.of("resync", false);
        }
        Document instance = instances.findOneAndUpdate(Filters.eq("_id", instanceId), Updates.inc("digestMismatches", 1),
                new com.mongodb.client.model.FindOneAndUpdateOptions().returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
        boolean resync = instance != null && instance.getInteger("digestMismatches", 0) >= 2;
        if (resync) {
            LOG.info("ddp-streamer instance {} and presence disagree on its connections; asking for all of them", instanceId);
        }
        return Map.of("resync", resync);
    }

    /** A connection as stored for one instance: its user and status. */
    private record StoredConnection(String userId, String status) {
    }

    private Map<String, StoredConnection> storedConnections(String instanceId) {
        Map<String, StoredConnection> stored = new HashMap<>();
        for (Document session : sessions.find(Filters.eq("connections.instanceId", instanceId))) {
            for (Document connection : session.getList("connections", Document.class, List.of())) {
                if (instanceId.equals(connection.getString("instanceId"))) {
                    stored.put(connection.getString("id"), new StoredConnection(session.getString("_id"),
                            connection.getString("status")));
                }
            }
        }
        return stored;
    }

    /**
     * Every live connection of one instance ({@code connections}: userId, connectionId, status): the record of that
     * instance is made to match (missing ones added, gone ones removed, statuses set) and the users concerned are
     * recomputed, so statuses converge on what the ddp-streamers hold after any outage.
     */
    public Map<String, Object> instanceSync(JsonNode request) {
        String instanceId = text(request, "instanceId");
        JsonNode connections = request.path("connections");
        if (!connections.isArray()) {
            throw CaravanException.invalidParams("must have required property 'connections'");
        }
        Date now = new Date();
        seen(instanceId, now);
        Map<String, StoredConnection> live = new HashMap<>();
        for (JsonNode connection : connections) {
            String status = connection.path("status").asText("online");
            live.put(text(connection, "connectionId"), new StoredConnection(text(connection, "userId"),
                    "away".equals(status) ? "away" : "online"));
        }
        Map<String, StoredConnection> stored = storedConnections(instanceId);
        List<WriteModel<Document>> writes = new ArrayList<>();
        Set<String> affected = new LinkedHashSet<>();
        stored.forEach((id, connection) -> {
            StoredConnection wanted = live.get(id);
            if (wanted == null || !wanted.userId().equals(connection.userId())) {
                writes.add(new UpdateOneModel<>(Filters.eq("_id", connection.userId()),
                        Updates.pull("connections", new Document("id", id))));
                affected.add(connection.userId());
            } else if (!wanted.status().equals(connection.status())) {
                writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", connection.userId()), Filters.eq("connections.id", id)),
                        Updates.combine(Updates.set("connections.$.status", wanted.status()),
                                Updates.set("connections.$._updatedAt", now))));
                affected.add(connection.userId());
            }
        });
        live.forEach((id, connection) -> {
            StoredConnection known = stored.get(id);
            if (known == null || !known.userId().equals(connection.userId())) {
                addConnection(writes, connection.userId(), id, instanceId, connection.status(), now);
                affected.add(connection.userId());
            }
        });
        if (!writes.isEmpty()) {
            sessions.bulkWrite(writes, new BulkWriteOptions().ordered(true));
            LOG.info("presence record of instance {} brought in line: {} users changed", instanceId, affected.size());
        }
        instances.updateOne(Filters.eq("_id", instanceId), Updates.set("digestMismatches", 0));
        if (!affected.isEmpty()) {
            recomputeAll(affected);
        }
        return Map.of("users", affected.size());
    }

    /** An instance stopped cleanly: its connections go now. */
    public Map<String, Object> instanceStopped(JsonNode request) {
        removeInstance(text(request, "instanceId"));
        return Map.of();
    }

    /**
     * Instances silent for longer than the timeout are dead: their connections go. Not while the bus is down, nor
     * within one timeout after presence started or the bus came back: instances could not report meanwhile, and get a
     * full timeout to do so (on coming back presence also asks every instance for its connections).
     */
    public void sweepDeadInstances() {
        long nowMillis = System.currentTimeMillis();
        if (!bus.isConnected()) {
            busWasDown = true;
            return;
        }
        if (busWasDown) {
            busWasDown = false;
            sweepNotBefore = nowMillis + instanceTimeout.toMillis();
            LOG.info("the bus is back: instances have {} to report before any is declared dead", instanceTimeout);
            announceStarted();
        }
        if (nowMillis < sweepNotBefore) {
            return;
        }
        Date cutoff = new Date(nowMillis - instanceTimeout.toMillis());
        for (Document instance : instances.find(Filters.lt("lastSeen", cutoff)).into(new ArrayList<>())) {
            LOG.info("ddp-streamer instance {} stopped reporting; removing its connections", instance.getString("_id"));
            removeInstance(instance.getString("_id"));
        }
    }

    /** Tells every ddp-streamer that presence is here (started, or the bus came back): they announce their connections. */
    public void announceStarted() {
        try {
            bus.publish("presence.started", Map.of("at", new Date()));
        } catch (RuntimeException e) {
            LOG.debug("presence.started not published: {}", e.getMessage());
        }
    }

    private void removeInstance(String instanceId) {
        List<String> affected = sessions.find(Filters.eq("connections.instanceId", instanceId))
                .map(s -> s.getString("_id")).into(new ArrayList<>());
        sessions.updateMany(Filters.eq("connections.instanceId", instanceId),
                Updates.pull("connections", new Document("instanceId", instanceId)));
        instances.deleteOne(Filters.eq("_id", instanceId));
        if (!affected.isEmpty()) {
            recomputeAll(new LinkedHashSet<>(affected));
        }
    }

    private void seen(String instanceId, Date now) {
        instances.updateOne(Filters.eq("_id", instanceId), Updates.set("lastSeen", now), new UpdateOptions().upsert(true));
    }

    /** Recomputes a user's statuses from their connections; broadcasts presence.status when what others see changed. */
    Map<String, Object> recompute(String userId) {
        return recompute(userId, false);
    }

    /**
     * As {@link #recompute(String)}; {@code announceAnyway} when the user chose a status or text themselves. Two
     * recomputes of one user must not interleave (the one that read older connections would write last and leave a
     * user online with no connection): they take turns in this instance, and each checks after writing that the
     * connections it read are still the current ones (another presence instance may have changed them), else
     * computes again.
     */
    Map<String, Object> recompute(String userId, boolean announceAnyway) {
        Lock lock = userLocks[stripe(userId)];
        lock.lock();
        try {
            List<String> statuses = connectionStatuses(userId);
            for (int attempt = 0; ; attempt++) {
                Map<String, Object> event = recompute(userId, statuses, announceAnyway);
                List<String> current = connectionStatuses(userId);
                if (current.equals(statuses) || attempt >= 3) {
                    return event;
                }
                statuses = current;
                announceAnyway = false;
            }
        } finally {
            lock.unlock();
        }
    }

    private int stripe(String userId) {
        return Math.floorMod(userId.hashCode(), userLocks.length);
    }

    private List<String> connectionStatuses(String userId) {
        Document session = sessions.find(Filters.eq("_id", userId)).first();
        return session == null ? new ArrayList<>() : statusesOf(session);
    }

    /** The status of each of a user's connections. */
    private static List<String> statusesOf(Document session) {
        List<String> statuses = new ArrayList<>();
        for (Document connection : session.getList("connections", Document.class, List.of())) {
            statuses.add(connection.getString("status"));
        }
        return statuses;
    }

    private Map<String, Object> recompute(String userId, List<String> statuses, boolean announceAnyway) {
        Document user = users.find(Filters.eq("_id", userId)).first();
        if (user == null) {
            return Map.of();
        }
        StatusChange change = statusChange(user, statuses);
        if (change.changed()) {
            users.updateOne(Filters.eq("_id", userId), change.update());
        }
        if (change.changed() || announceAnyway) {
            bus.publish("presence.status", change.event());
        }
        return change.event();
    }

    /** What a user's connections make of their status: whether it changed, the update, the event others get. */
    private record StatusChange(boolean changed, Bson update, Map<String, Object> event) {
    }

    private static StatusChange statusChange(Document user, List<String> statuses) {
        String connectionStatus = PresenceRules.connectionStatus(statuses);
        String shown = PresenceRules.shownStatus(connectionStatus, user.getString(UserFields.STATUS_DEFAULT));
        String text = user.getString(UserFields.STATUS_TEXT) == null ? "" : user.getString(UserFields.STATUS_TEXT);
        boolean changed = !shown.equals(user.getString(UserFields.STATUS))
                || !connectionStatus.equals(user.getString(UserFields.STATUS_CONNECTION));
        Bson update = Updates.combine(Updates.set(UserFields.STATUS, shown),
                Updates.set(UserFields.STATUS_CONNECTION, connectionStatus), Updates.set(UserFields.UPDATED_AT, new Date()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("userId", user.getString("_id"));
        event.put("username", user.getString(UserFields.USERNAME));
        event.put("name", user.getString(UserFields.NAME));
        event.put("status", shown);
        event.put("statusText", text);
        event.put("roles", user.getList(UserFields.ROLES, String.class, List.of()));
        return new StatusChange(changed, update, event);
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request == null ? null : request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw CaravanException.invalidParams("must have required property '" + field + "'");
        }
        return value.asText();
    }
}
