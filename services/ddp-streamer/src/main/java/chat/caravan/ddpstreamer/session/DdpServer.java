package chat.caravan.ddpstreamer.session;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.presence.ConnectionDigest;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.http.ClientAddress;
import chat.caravan.common.http.HeartbeatFrames;
import chat.caravan.common.health.Metrics;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.observability.RequestIds;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.LoginTokenHash;
import chat.caravan.common.ratelimit.DdpRateLimiter;
import chat.caravan.ddpstreamer.protocol.DdpFrames;
import chat.caravan.ddpstreamer.streams.StreamIndex;
import chat.caravan.ddpstreamer.streams.StreamPermissions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.Gauge;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The DDP server behind the WebSocket routes: the handshake, heartbeats, method calls (login and presence here,
 * the rest forwarded over the bus to their owners), and stream subscriptions checked through authorization.
 * Frames of one connection arrive in order (see SharedServerWebsocketComponent).
 */
@Component("ddpServer")
public class DdpServer implements HeartbeatFrames {

    private static final Logger LOG = LoggerFactory.getLogger(DdpServer.class);
    private static final Set<String> VERSIONS = Set.of("1", "pre2", "pre1");
    private static final Set<String> LOCAL_METHODS = Set.of("login", "logout", "UserPresence:setDefaultStatus",
            "UserPresence:online", "UserPresence:away", "setUserStatus", "permissions/get");

    private final Map<String, DdpSession> sessions = new ConcurrentHashMap<>();
    private final BusClient bus;
    private final PresenceReporter presence;
    private final StreamIndex index;
    private final StreamPermissions permissions;
    private final MongoDatabase database;
    private final String instanceId;
    private final int maxBufferedBytes;
    private final ClientAddress clientAddress;
    private final DdpRateLimiter rateLimiter;
    private final int maxSubscriptions;
    private final int maxMessageBytes;
    private final Metrics metrics;

    public DdpServer(BusClient bus, StreamIndex index, StreamPermissions permissions, MongoDatabase database,
            CaravanProperties properties, PresenceReporter presence,
            @Value("${caravan.ddp.max-buffered-bytes:4194304}") int maxBufferedBytes,
            @Value("${caravan.ddp.max-subscriptions:500}") int maxSubscriptions,
            ClientAddress clientAddress, DdpRateLimiter rateLimiter, Metrics metrics) {
        this.bus = bus;
        this.presence = presence;
        this.index = index;
        this.permissions = permissions;
        this.database = database;
        this.instanceId = properties.getInstanceIp() + ":" + properties.getHttp().getPort() + "/" + UUID.randomUUID();
        this.maxBufferedBytes = maxBufferedBytes;
        this.clientAddress = clientAddress;
        this.rateLimiter = rateLimiter;
        this.maxSubscriptions = maxSubscriptions;
        this.maxMessageBytes = properties.getHttp().getMaxWebsocketMessageBytes();
        this.metrics = metrics;
        Gauge.builder("caravan.ddp.sessions", sessions, Map::size)
                .description("DDP connections open on this instance").register(metrics.registry());
        Gauge.builder("caravan.ddp.sessions.authenticated", this,
                        server -> server.sessions.values().stream().filter(DdpSession::isLoggedIn).count())
                .description("DDP connections of this instance with a logged-in user").register(metrics.registry());
        Gauge.builder("caravan.ddp.subscriptions", this,
                        server -> server.sessions.values().stream().mapToInt(session -> session.subscriptions().size()).sum())
                .description("DDP subscriptions open on this instance").register(metrics.registry());
        presence.start(instanceId, this::liveConnections);
    }

    /** Every logged-in connection of this instance, as presence keeps them: userId, connectionId, status. */
    List<Map<String, Object>> liveConnections() {
        List<Map<String, Object>> connections = new java.util.ArrayList<>();
        for (DdpSession session : sessions.values()) {
            if (session.isLoggedIn() && !session.isClosed()) {
                connections.add(Map.of("userId", session.userId(), "connectionId", session.id(),
                        "status", session.presenceStatus()));
            }
        }
        return connections;
    }

    public String instanceId() {
        return instanceId;
    }

    public Collection<DdpSession> sessions() {
        return sessions.values();
    }

    /** Entry point of the WebSocket routes: open, message, close and error events of every connection. */
    /**
     * A ping or pong of a connected session, answered on arrival (see {@link HeartbeatFrames}): a ping gets its pong
     * and both count as a sign of life, even while a method call of the session, or of every session, is still running.
     */
    @Override
    public boolean answer(String connectionKey, String text) {
        DdpSession session = sessions.get(connectionKey);
        if (session == null || !session.isConnected() || !(text.contains("ping") || text.contains("pong"))) {
            return false;
        }
        JsonNode message;
        try {
            message = DdpFrames.parseSingle(text, session.sockJs());
        } catch (JsonProcessingException e) {
            return false;
        }
        String type = message != null && message.isObject() ? message.path("msg").asText("") : "";
        if (!type.equals("ping") && !type.equals("pong")) {
            return false;
        }
        session.touch();
        if (type.equals("ping")) {
            session.send(DdpFrames.pong(message.get("id")));
        }
        return true;
    }

    public void onEvent(Exchange exchange) {
        String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        VertxWebsocketEvent event = exchange.getMessage().getHeader(VertxWebsocketConstants.EVENT, VertxWebsocketEvent.class);
        LOG.debug("WebSocket event {} on {}", event, key);
        if (key == null || event == null) {
            return;
        }
        switch (event) {
            case OPEN -> open(key, exchange.getMessage().getBody(ServerWebSocket.class),
                    "sockjs".equals(exchange.getMessage().getHeader("caravanTransport", String.class)));
            case MESSAGE -> {
                DdpSession session = sessions.get(key);
                if (session != null) {
                    Object body = exchange.getMessage().getBody();
                    if (body instanceof byte[]) {
                        session.close(DdpSession.UNSUPPORTED_DATA, "UNSUPPORTED_DATA");
                    } else {
                        onFrame(session, exchange.getMessage().getBody(String.class));
                    }
                }
            }
            case CLOSE -> close(key);
            case ERROR -> {
                DdpSession session = sessions.get(key);
                if (session != null) {
                    Throwable failure = exchange.getMessage().getBody(Throwable.class);
                    if (isTooBig(failure)) {
                        LOG.info("Session {} sent a message over {} bytes; closing it", session.id(), maxMessageBytes);
                        session.close(DdpSession.MESSAGE_TOO_BIG, "MESSAGE_TOO_BIG");
                    } else {
                        session.close(DdpSession.PROTOCOL_ERROR, "CLOSE_PROTOCOL_ERROR");
                    }
                    close(key);
                }
            }
            default -> {
            }
        }
    }

    /** A frame over the frame limit (Netty) or a message whose frames add up to more than the message limit (Vert.x). */
    static boolean isTooBig(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CorruptedWebSocketFrameException corrupted && corrupted.closeStatus() != null
                    && corrupted.closeStatus().code() == DdpSession.MESSAGE_TOO_BIG) {
                return true;
            }
            if (t instanceof TooLongFrameException || (t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().contains("max message size"))) {
                return true;
            }
        }
        return false;
    }

    private void open(String key, ServerWebSocket socket, boolean sockJs) {
        if (socket == null) {
            return;
        }
        // the address is the upgrade request's: its socket peer, or what the trusted proxies forwarded
        String peer = socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
        String address = clientAddress.of(peer, socket.headers() == null ? null : socket.headers().getAll(ClientAddress.FORWARDED_FOR));
        DdpSession session = new DdpSession(Ids.random(), socket, sockJs, maxBufferedBytes, address);
        sessions.put(key, session);
        if (sockJs) {
            session.sendFrame(DdpFrames.SOCKJS_OPEN);
        }
    }

    private void close(String key) {
        DdpSession session = sessions.remove(key);
        if (session == null) {
            return;
        }
        session.close((short) 1000, "");
        for (DdpSession.Subscription subscription : session.subscriptions().values()) {
            index.remove(subscription.stream(), subscription.eventName(), session);
        }
        for (String uid : session.watchedPresence()) {
            index.remove("stream-user-presence", uid, session);
        }
        if (session.isLoggedIn()) {
            index.remove(StreamPermissions.SESSIONS_OF_USER, session.userId(), session);
            presence.closed(session.userId(), session.id());
        }
    }

    void onFrame(DdpSession session, String frame) {
        session.touch();
        JsonNode message;
        try {
            message = DdpFrames.parse(frame, session.sockJs());
        } catch (JsonProcessingException e) {
            session.close(DdpSession.UNSUPPORTED_DATA, "UNSUPPORTED_DATA");
            return;
        }
        String type = message != null && message.isObject() && message.path("msg").isTextual() ? message.get("msg").asText() : null;
        if (!session.isConnected()) {
            if (!"connect".equals(type)) {
                session.close(DdpSession.PROTOCOL_ERROR, "CLOSE_PROTOCOL_ERROR");
                return;
            }
            connect(session, message);
            return;
        }
        if (type == null) {
            session.send(DdpFrames.protocolError("Bad request", message));
            return;
        }
        switch (type) {
            case "ping" -> session.send(DdpFrames.pong(message.get("id")));
            case "pong" -> {
            }
            case "connect" -> session.send(DdpFrames.protocolError("Already connected", message));
            case "method" -> method(session, message);
            case "sub" -> subscribe(session, message);
            case "unsub" -> unsubscribe(session, message);
            default -> session.send(DdpFrames.protocolError("Bad request", message));
        }
    }

    private void connect(DdpSession session, JsonNode message) {
        JsonNode version = message.get("version");
        JsonNode support = message.get("support");
        boolean supportOk = support == null || support.isArray();
        if (version == null || !version.isTextual() || !supportOk) {
            session.send(DdpFrames.failed("1"));
            session.close(DdpSession.PROTOCOL_ERROR, "CLOSE_PROTOCOL_ERROR");
            return;
        }
        if (!VERSIONS.contains(version.asText())) {
            String best = "1";
            if (support != null) {
                for (JsonNode proposed : support) {
                    if (VERSIONS.contains(proposed.asText())) {
                        best = proposed.asText();
                        break;
                    }
                }
            }
            session.send(DdpFrames.failed(best));
            session.close(DdpSession.PROTOCOL_ERROR, "CLOSE_PROTOCOL_ERROR");
            return;
        }
        session.markConnected();
        session.send(DdpFrames.connected(session.id()));
    }

    private void method(DdpSession session, JsonNode message) {
        JsonNode id = message.get("id");
        JsonNode name = message.get("method");
        JsonNode params = message.get("params");
        if (id == null || !id.isTextual() || name == null || !name.isTextual() || (params != null && !params.isArray())) {
            session.send(DdpFrames.protocolError("Malformed method invocation", message));
            return;
        }
        String callId = id.asText();
        String method = name.asText();
        JsonNode args = params == null ? JsonNodeFactory.instance.arrayNode() : params;
        // each method call is one request: its id is in every log line and on every bus call it makes
        String previousRequestId = RequestIds.enter(RequestIds.create());
        long started = System.nanoTime();
        String outcome = "ok";
        try {
            rateLimiter.check(new DdpRateLimiter.Call("method", method, session.userId(), session.id(), session.clientAddress()));
            CaravanJson.requireValidEjson(args);
            JsonNode result = call(session, method, args);
            session.send(DdpFrames.result(callId, result));
        } catch (CaravanException e) {
            outcome = e.status() == 404 && String.valueOf(e.getMessage()).startsWith("Method '") ? "not-found" : "error";
            session.send(DdpFrames.error(callId, e));
        } catch (RuntimeException e) {
            outcome = "error";
            LOG.warn("Method {} of session {} failed: {}", method, session.id(), e.toString());
            session.send(DdpFrames.error(callId, unexpected(e)));
        } finally {
            // an unknown method is counted under one label: clients cannot grow the series with made-up names
            metrics.latency("caravan.ddp.method", "DDP method calls, until the result is sent",
                            "method", "not-found".equals(outcome) ? "unknown" : metrics.bounded("ddp.method", method),
                            "outcome", outcome)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            RequestIds.restore(previousRequestId);
        }
        session.send(DdpFrames.updated(callId));
        if ("logout".equals(method)) {
            // as ddp-streamer: the client reconnects and subscribes again, anonymously
            session.close(DdpSession.PROTOCOL_ERROR, "");
        }
    }

    private JsonNode call(DdpSession session, String method, JsonNode params) {
        if (method.startsWith("stream-")) {
            permissions.write(session, method, params);
            return null;
        }
        if (!LOCAL_METHODS.contains(method)) {
            ObjectNode request = JsonNodeFactory.instance.objectNode().put("method", method).put("connectionId", session.id());
            request.set("params", params);
            request.put("userId", session.userId());
            return bus.call("core.method", request);
        }
        return switch (method) {
            case "login" -> login(session, params.path(0));
            case "logout" -> {
                if (session.isLoggedIn()) {
                    bus.call("accounts.logout", Map.of("userId", session.userId(), "token", session.token()));
                }
                yield null;
            }
            case "permissions/get" -> permissionsGet(params.path(0));
            default -> presence(session, method, params);
        };
    }

    private JsonNode login(DdpSession session, JsonNode request) {
        if (!request.isObject()) {
            throw CaravanException.invalidParams("Match failed");
        }
        JsonNode result = bus.call("accounts.login", ClientAddress.loginRequest(request, session.clientAddress()));
        String userId = result.path("userId").asText();
        JsonNode user = result.path("user");
        if (session.isLoggedIn()) {
            index.remove(StreamPermissions.SESSIONS_OF_USER, session.userId(), session);
        }
        session.login(userId, user.path("username").asText(null), result.path("token").asText());
        session.rooms().clear();
        for (Document subscription : database.getCollection(Collections.SUBSCRIPTIONS).find(Filters.eq("u._id", userId))
                .projection(new Document("rid", 1))) {
            session.rooms().add(subscription.getString("rid"));
        }
        index.add(StreamPermissions.SESSIONS_OF_USER, userId, session);
        ObjectNode fields = user.deepCopy();
        fields.remove("_id");
        fields.remove("services");
        session.send(DdpFrames.added("users", userId, fields));
        presence.opened(userId, session.id());
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("id", userId).put("token", result.path("token").asText());
        reply.set("tokenExpires", result.get("tokenExpires"));
        reply.put("type", result.path("type").asText("password"));
        return reply;
    }

    private JsonNode permissionsGet(JsonNode updatedSince) {
        Map<String, Object> request = new LinkedHashMap<>();
        if (updatedSince != null && !updatedSince.isMissingNode() && !updatedSince.isNull()) {
            request.put("updatedSince", updatedSince);
            return bus.call("authorization.permissions", request);
        }
        return bus.call("authorization.permissions", request).path("update");
    }

    private JsonNode presence(DdpSession session, String method, JsonNode params) {
        if (!session.isLoggedIn()) {
            throw new CaravanException(403, "not-authorized", "Not authorized", null);
        }
        switch (method) {
            case "UserPresence:setDefaultStatus" -> bus.call("presence.setDefaultStatus",
                    Map.of("userId", session.userId(), "status", params.path(0).asText("")));
            case "UserPresence:online", "UserPresence:away" -> {
                String status = method.endsWith("online") ? "online" : "away";
                session.presenceStatus(status);
                bus.call("presence.activity", Map.of("userId", session.userId(), "connectionId", session.id(),
                        "instanceId", instanceId, "status", status));
            }
            default -> {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("userId", session.userId());
                request.put("status", params.path(0).asText(""));
                if (params.path(1).isTextual()) {
                    request.put("statusText", params.get(1).asText());
                }
                bus.call("presence.setStatus", request);
            }
        }
        return JsonNodeFactory.instance.booleanNode(true);
    }

    private void subscribe(DdpSession session, JsonNode message) {
        JsonNode id = message.get("id");
        JsonNode name = message.get("name");
        JsonNode params = message.get("params");
        if (id == null || !id.isTextual() || name == null || !name.isTextual() || (params != null && !params.isArray())) {
            session.send(DdpFrames.protocolError("Malformed subscription", message));
            return;
        }
        String subId = id.asText();
        if (session.subscriptions().containsKey(subId)) {
            return;
        }
        if (session.subscriptions().size() >= maxSubscriptions) {
            session.send(DdpFrames.nosub(subId, new CaravanException(400, "too-many-subscriptions",
                    "Too many subscriptions on this connection", Map.of("limit", maxSubscriptions))));
            return;
        }
        try {
            rateLimiter.check(new DdpRateLimiter.Call("subscription", name.asText(), session.userId(), session.id(),
                    session.clientAddress()));
            CaravanJson.requireValidEjson(params);
            permissions.subscribe(session, subId, name.asText(), params == null ? JsonNodeFactory.instance.arrayNode() : params);
        } catch (CaravanException e) {
            session.send(DdpFrames.nosub(subId, e));
        } catch (RuntimeException e) {
            // never leave a subscription without an answer: a client would wait for ready forever
            LOG.warn("Subscription {} of session {} failed: {}", name.asText(), session.id(), e.toString());
            session.send(DdpFrames.nosub(subId, unexpected(e)));
        }
    }

    /**
     * What a client hears of a failure that is not its own: a service that did not answer (the bus is down, or nobody
     * answered in time) is {@code error-service-unavailable} (503, try again), anything else an internal error.
     */
    static CaravanException unexpected(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof chat.caravan.common.bus.BusUnavailableException) {
                return new CaravanException(503, "error-service-unavailable", "Service unavailable, try again", null);
            }
        }
        return new CaravanException(500, null, "Internal server error", null);
    }

    private void unsubscribe(DdpSession session, JsonNode message) {
        JsonNode id = message.get("id");
        if (id == null || !id.isTextual()) {
            session.send(DdpFrames.protocolError("Malformed unsubscription", message));
            return;
        }
        DdpSession.Subscription removed = session.subscriptions().remove(id.asText());
        if (removed != null) {
            index.remove(removed.stream(), removed.eventName(), session);
        }
        session.send(DdpFrames.nosub(id.asText(), null));
    }

    /**
     * {@code accounts.tokensRevoked}: the connections logged in with a removed token are closed, as Meteor closes
     * them, and stop receiving at once; the client reconnects and finds its token gone.
     */
    public void tokensRevoked(JsonNode event) {
        String userId = event.path("userId").asText(null);
        if (userId == null) {
            return;
        }
        Set<String> hashes = new java.util.HashSet<>();
        event.path("hashedTokens").forEach(hash -> hashes.add(hash.asText()));
        boolean all = !event.path("hashedTokens").isArray();
        for (Map.Entry<String, DdpSession> entry : sessions.entrySet()) {
            DdpSession session = entry.getValue();
            if (session.isLoggedIn() && userId.equals(session.userId())
                    && (all || hashes.contains(LoginTokenHash.of(session.token())))) {
                LOG.info("Closing session {} of user {}: its login token was revoked", session.id(), userId);
                close(entry.getKey());
            }
        }
    }

    /** Pings idle clients and drops those that stay silent. */
    public void heartbeat(Duration pingAfter, Duration timeout) {
        long now = System.nanoTime();
        for (Map.Entry<String, DdpSession> entry : sessions.entrySet()) {
            DdpSession session = entry.getValue();
            if (session.isClosed()) {
                close(entry.getKey());
                continue;
            }
            if (session.pingSentNanos() != 0 && now - session.pingSentNanos() > timeout.toNanos()) {
                session.close(DdpSession.TIMEOUT, "TIMEOUT");
                close(entry.getKey());
            } else if (session.pingSentNanos() == 0 && now - session.lastSeenNanos() > pingAfter.toNanos()) {
                session.send(DdpFrames.ping());
                session.pingSent();
            }
        }
    }

    /**
     * Tells presence this instance is alive (its connections stay counted), with a digest of its connections; when
     * presence's record differs (it asks for a resync), or reports failed meanwhile, every live connection is sent again.
     */
    public void instanceHeartbeat() {
        List<String> entries = new java.util.ArrayList<>();
        liveConnections().forEach(c -> entries.add(ConnectionDigest.entry((String) c.get("connectionId"), (String) c.get("status"))));
        Map<String, Object> request = Map.of("instanceId", instanceId, "connections", entries.size(),
                "digest", ConnectionDigest.of(entries));
        try {
            bus.callAsync("presence.instanceHeartbeat", request, Duration.ofSeconds(5)).whenComplete((reply, failure) -> {
                if (failure != null) {
                    presence.presenceUnreachable();
                    LOG.debug("presence.instanceHeartbeat failed: {}", failure.getMessage());
                } else if (reply.path("resync").asBoolean(false) || presence.snapshotOwed()) {
                    presence.sendSnapshot();
                }
            });
        } catch (RuntimeException e) {
            presence.presenceUnreachable();
        }
    }

    /** Presence (re)started: it hears every live connection of this instance now, rather than at the next heartbeat. */
    public void presenceStarted() {
        presence.sendSnapshot();
    }

    @PreDestroy
    public void shutdown() {
        try {
            bus.call("presence.instanceStopped", Map.of("instanceId", instanceId), Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            LOG.debug("presence.instanceStopped failed: {}", e.getMessage());
        }
        sessions.values().forEach(s -> s.close((short) 1001, "server shutting down"));
    }

    List<String> activeSessionIds() {
        return sessions.values().stream().map(DdpSession::id).toList();
    }
}
