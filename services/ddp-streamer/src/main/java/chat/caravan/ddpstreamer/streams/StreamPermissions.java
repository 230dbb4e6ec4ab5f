package chat.caravan.ddpstreamer.streams;

import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.ddpstreamer.protocol.DdpFrames;
import chat.caravan.ddpstreamer.session.DdpSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who may subscribe to which stream event, and which client writes are accepted (spec 4.6). Reads are checked once,
 * at subscribe time, through authorization; removal from a room, or the room turning private, ends the subscriptions
 * to it that membership no longer grants ({@link StreamEvents}).
 */
@Component
public class StreamPermissions {

    /** Internal index entry: the sessions of a logged-in user, for per-user routing. */
    public static final String SESSIONS_OF_USER = "caravan:user";
    static final String ROOM_MESSAGES = "stream-room-messages";
    static final String ROOM_DATA = "stream-room-data";
    static final String NOTIFY_ROOM = "stream-notify-room";
    static final String MY_MESSAGES = "__my_messages__";
    /** The stream-notify-room events ({@code <rid>/<event>}) anything publishes: core's deletes, clients' typing. */
    static final List<String> ROOM_EVENTS = List.of("deleteMessage", "user-activity", "typing");

    private final Authorization authorization;
    private final StreamIndex index;
    private final BusClient bus;
    private final int maxWatchedUsers;

    public StreamPermissions(Authorization authorization, StreamIndex index, BusClient bus,
            @Value("${caravan.ddp.max-watched-users:1000}") int maxWatchedUsers) {
        this.authorization = authorization;
        this.index = index;
        this.bus = bus;
        this.maxWatchedUsers = maxWatchedUsers;
    }

    public void subscribe(DdpSession session, String subId, String name, JsonNode params) {
        switch (name) {
            case "meteor_autoupdate_clientVersions" -> {
                ObjectNode fields = JsonNodeFactory.instance.objectNode().put("version", "caravan-0.1.0")
                        .put("versionRefreshable", "caravan-0.1.0").put("versionNonRefreshable", "caravan-0.1.0")
                        .put("versionHmr", 0);
                session.subscriptions().put(subId, new DdpSession.Subscription(subId, name, ""));
                session.send(DdpFrames.added(name, "web.browser", fields));
                session.send(DdpFrames.ready(subId));
                return;
            }
            case "meteor.loginServiceConfiguration" -> {
                // no OAuth services are configured: an empty, ready collection
                session.subscriptions().put(subId, new DdpSession.Subscription(subId, name, ""));
                session.send(DdpFrames.ready(subId));
                return;
            }
            case "stream-user-presence" -> {
                presence(session, subId, params.path(1));
                return;
            }
            default -> {
            }
        }
        if (!name.startsWith("stream-") || !isKnown(name)) {
            throw new CaravanException(404, null, "Subscription '" + name + "' not found", null);
        }
        JsonNode event = params.path(0);
        if (!event.isTextual() || event.asText().isEmpty()) {
            throw new CaravanException(400, "invalid-event-name", "", null);
        }
        String eventName = event.asText();
        if (!mayRead(session, name, eventName)) {
            throw new CaravanException(403, "not-allowed", "", null);
        }
        session.subscriptions().put(subId, new DdpSession.Subscription(subId, name, eventName));
        index.add(name, eventName, session);
        JsonNode options = params.path(1);
        if (options.isObject() && options.path("useCollection").asBoolean(false)) {
            session.send(DdpFrames.added(name, "id", JsonNodeFactory.instance.objectNode().put("eventName", eventName)));
        }
        session.send(DdpFrames.ready(subId));
    }

    boolean mayRead(DdpSession session, String stream, String eventName) {
        boolean loggedIn = session.isLoggedIn();
        return switch (stream) {
            case ROOM_MESSAGES -> loggedIn && (MY_MESSAGES.equals(eventName)
                    || authorization.canReadRoom(session.userId(), eventName));
            case NOTIFY_ROOM -> loggedIn && eventName.indexOf('/') > 0
                    && authorization.canAccessRoom(session.userId(), eventName.substring(0, eventName.indexOf('/')));
            case "stream-notify-user" -> loggedIn && eventName.startsWith(session.userId() + "/");
            case "stream-notify-logged", "stream-roles" -> loggedIn;
            case "stream-notify-all", "stream-importers", "stream-apps" -> true;
            case ROOM_DATA -> loggedIn && authorization.canAccessRoom(session.userId(), eventName);
            default -> false;
        };
    }

    /** Whether a subscription is one that access to the room granted: its messages, its data, its notify-room events. */
    static boolean isOfRoom(String stream, String eventName, String rid) {
        return switch (stream) {
            case ROOM_MESSAGES, ROOM_DATA -> rid.equals(eventName);
            case NOTIFY_ROOM -> eventName.startsWith(rid + "/");
            default -> false;
        };
    }

    private static boolean isKnown(String stream) {
        return List.of(ROOM_MESSAGES, "stream-notify-room", "stream-notify-user", "stream-notify-logged", "stream-roles",
                "stream-notify-all", "stream-importers", "stream-apps", "stream-room-data", "stream-notify-room-users",
                "stream-apps-engine", "stream-livechat-room", "stream-integrationHistory", "stream-canned-responses",
                "stream-livechat-inquiry-queue-observer", "stream-stdout").contains(stream);
    }

    /**
     * One main presence subscription per connection; later ones edit its watch list and stop at once. The watch list
     * is bounded like the subscriptions: users added beyond it are refused with {@code too-many-subscriptions}.
     */
    private void presence(DdpSession session, String subId, JsonNode options) {
        if (!session.isLoggedIn()) {
            throw new CaravanException(403, "not-allowed", "", null);
        }
        for (JsonNode uid : options.path("removed")) {
            if (uid.isTextual() && session.watchedPresence().remove(uid.asText())) {
                index.remove("stream-user-presence", uid.asText(), session);
            }
        }
        boolean refused = false;
        for (JsonNode uid : options.path("added")) {
            if (!uid.isTextual() || session.watchedPresence().contains(uid.asText())) {
                continue;
            }
            if (session.watchedPresence().size() >= maxWatchedUsers) {
                refused = true;
                break;
            }
            session.watchedPresence().add(uid.asText());
            index.add("stream-user-presence", uid.asText(), session);
        }
        if (refused) {
            throw new CaravanException(400, "too-many-subscriptions", "Too many users watched on this connection",
                    Map.of("limit", maxWatchedUsers));
        }
        if (session.presenceSubscription() == null) {
            session.presenceSubscription(subId);
            session.subscriptions().put(subId, new DdpSession.Subscription(subId, "stream-user-presence", ""));
            session.send(DdpFrames.ready(subId));
        } else {
            session.send(DdpFrames.nosub(subId, null));
        }
    }

    /**
     * A client write ({@code stream-<name>} method). Only {@code stream-notify-room} {@code <rid>/user-activity}
     * (and the older {@code <rid>/typing}) is accepted, for the caller's own username in a room they can access;
     * it is relayed to every instance; the writer's own connection does not get it back.
     */
    public void write(DdpSession session, String method, JsonNode params) {
        String eventName = params.path(0).asText("");
        int slash = eventName.indexOf('/');
        if (!"stream-notify-room".equals(method) || !session.isLoggedIn() || slash <= 0) {
            return;
        }
        String event = eventName.substring(slash + 1);
        if (!event.equals("user-activity") && !event.equals("typing")) {
            return;
        }
        if (!params.path(1).asText("").equals(session.username())
                || !authorization.canAccessRoom(session.userId(), eventName.substring(0, slash))) {
            return;
        }
        List<JsonNode> args = new java.util.ArrayList<>();
        for (int i = 1; i < params.size(); i++) {
            args.add(params.get(i));
        }
        bus.publish("stream.notify", Map.of("stream", "notify-room", "eventName", eventName, "args", args,
                "origin", session.id()));
    }
}
