package chat.caravan.ddpstreamer.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.RoomFields;
import chat.caravan.ddpstreamer.protocol.DdpFrames;
import chat.caravan.ddpstreamer.session.DdpSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Turns the broadcast events other services publish into stream events for the sessions that listen (spec 6.2).
 * Each event is delivered through the (stream, eventName) index; events repeated after a stream-hub restart carry
 * the same eventId and are dropped.
 */
@Component("streamEvents")
public class StreamEvents {

    private static final int REMEMBERED_EVENTS = 20_000;

    private final Fanout fanout;
    private final StreamIndex index;
    private final MongoDatabase database;
    private final RoomDirectory directory;
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_EVENTS;
        }
    }));

    public StreamEvents(Fanout fanout, StreamIndex index, MongoDatabase database, RoomDirectory directory) {
        this.fanout = fanout;
        this.directory = directory;
        this.index = index;
        this.database = database;
    }

    /**
     * {@code watch.messages}: the message to its room's stream and to members' {@code __my_messages__}; a new message
     * that mentions someone, or arrives in a direct conversation, becomes a desktop notification for them.
     */
    public void onMessage(JsonNode event) {
        if (duplicate(event) || "removed".equals(action(event)) || !event.path("data").isObject()) {
            return;
        }
        JsonNode message = event.get("data");
        String rid = message.path("rid").asText();
        fanout.deliver("stream-room-messages", rid, List.of(message), null, null);
        Collection<DdpSession> mine = index.listeners("stream-room-messages", StreamPermissions.MY_MESSAGES);
        Document room = null;
        if (!mine.isEmpty() || "inserted".equals(action(event))) {
            room = directory.room(rid);
        }
        if ("inserted".equals(action(event)) && !message.has("t")) {
            notifyRecipients(message, room);
        }
        if (!mine.isEmpty()) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("roomParticipant", true);
            context.put("roomType", room == null ? null : room.getString(RoomFields.TYPE));
            context.put("roomName", room == null ? null : room.getString(RoomFields.NAME));
            String frame = DdpFrames.streamEvent("stream-room-messages", StreamPermissions.MY_MESSAGES, List.of(message, context));
            fanout.send(mine, frame, session -> session.rooms().contains(rid), null);
        }
    }

    private void notifyRecipients(JsonNode message, Document room) {
        String sender = message.path("u").path("_id").asText();
        java.util.Set<String> recipients = new java.util.LinkedHashSet<>();
        message.path("mentions").forEach(mention -> recipients.add(mention.path("_id").asText()));
        if (room != null && RoomFields.DIRECT.equals(room.getString(RoomFields.TYPE))) {
            recipients.addAll(room.getList(RoomFields.UIDS, String.class, List.of()));
        }
        recipients.remove(sender);
        recipients.remove("all");
        recipients.remove("here");
        if (recipients.isEmpty()) {
            return;
        }
        // a mention reaches only those in the room: the notification carries the text and the room's name
        recipients.retainAll(members(message.path("rid").asText(), recipients));
        if (recipients.isEmpty()) {
            return;
        }
        String type = room == null ? null : room.getString(RoomFields.TYPE);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("_id", message.path("_id").asText());
        payload.put("rid", message.path("rid").asText());
        payload.put("sender", message.path("u"));
        payload.put("type", type);
        payload.put("name", room == null ? null : room.getString(RoomFields.NAME));
        payload.put("message", Map.of("msg", message.path("msg").asText("")));
        if (message.hasNonNull("tmid")) {
            payload.put("tmid", message.get("tmid").asText());
        }
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("title", RoomFields.DIRECT.equals(type) ? "@" + message.path("u").path("username").asText()
                : "#" + (room == null ? "" : room.getString(RoomFields.NAME)));
        notification.put("text", message.path("msg").asText(""));
        notification.put("payload", payload);
        for (String uid : recipients) {
            fanout.deliver("stream-notify-user", uid + "/notification", List.of(notification), null, null);
        }
    }

    /** {@code watch.subscriptions}: subscriptions-changed for its user; membership changes reach rooms-changed. */
    public void onSubscription(JsonNode event) {
        if (duplicate(event) || !event.path("data").isObject()) {
            return;
        }
        String action = action(event);
        JsonNode subscription = event.get("data");
        String uid = subscription.path("u").path("_id").asText(null);
        String rid = subscription.path("rid").asText(null);
        if (uid == null || rid == null) {
            return;
        }
        Collection<DdpSession> sessions = index.listeners(StreamPermissions.SESSIONS_OF_USER, uid);
        Object payload = subscription;
        if ("inserted".equals(action) || "removed".equals(action)) {
            directory.membershipChanged(rid);
        }
        if ("removed".equals(action)) {
            ObjectNode removed = JsonNodeFactory.instance.objectNode().put("_id", subscription.path("_id").asText());
            removed.set("u", subscription.get("u"));
            removed.put("rid", rid);
            removed.set("t", subscription.get("t"));
            payload = removed;
            for (DdpSession session : sessions) {
                session.rooms().remove(rid);
                dropRoomStreams(session, rid);
            }
        } else {
            sessions.forEach(session -> session.rooms().add(rid));
        }
        fanout.deliver("stream-notify-user", uid + "/subscriptions-changed", List.of(action, payload), null, null);
        if ("inserted".equals(action)) {
            Document room = database.getCollection(chat.caravan.common.model.Collections.ROOMS).find(Filters.eq("_id", rid)).first();
            if (room != null) {
                fanout.deliver("stream-notify-user", uid + "/rooms-changed", List.of("inserted", room), null, null);
            }
        } else if ("removed".equals(action)) {
            fanout.deliver("stream-notify-user", uid + "/rooms-changed", List.of("removed", Map.of("_id", rid)), null, null);
        }
    }

    /** {@code watch.rooms}: rooms-changed for each member listening; room-data for the room. */
    public void onRoom(JsonNode event) {
        if (duplicate(event) || !event.path("data").isObject()) {
            return;
        }
        String rid = event.path("id").asText();
        JsonNode room = event.get("data");
        if (room.hasNonNull(RoomFields.TYPE) && !RoomFields.CHANNEL.equals(room.get(RoomFields.TYPE).asText())) {
            dropListenersNotIn(rid);
        }
        directory.roomChanged(rid, action(event), room);
        List<Object> args = List.of(action(event), room);
        fanout.deliver("stream-room-data", rid, List.of(room), null, null);
        List<String> eventNames = new ArrayList<>();
        for (String uid : directory.members(rid)) {
            eventNames.add(uid + "/rooms-changed");
        }
        fanout.deliverEach("stream-notify-user", eventNames, args);
    }

    /** {@code watch.users}: userData for the user's own sessions. */
    public void onUser(JsonNode event) {
        if (duplicate(event)) {
            return;
        }
        String id = event.path("id").asText();
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("type", action(event)).put("id", id);
        switch (action(event)) {
            case "updated" -> {
                data.set("diff", event.path("diff").isObject() ? event.get("diff") : JsonNodeFactory.instance.objectNode());
                data.set("unset", event.path("unset").isObject() ? event.get("unset") : JsonNodeFactory.instance.objectNode());
            }
            case "inserted" -> data.set("data", event.get("data"));
            default -> {
            }
        }
        fanout.deliver("stream-notify-user", id + "/userData", List.of(data), null, null);
    }

    public void onRole(JsonNode event) {
        if (duplicate(event) || !event.path("data").isObject()) {
            return;
        }
        ObjectNode role = event.get("data").deepCopy();
        role.put("type", action(event));
        fanout.deliver("stream-roles", "roles", List.of(role), null, null);
    }

    public void onPermission(JsonNode event) {
        if (duplicate(event)) {
            return;
        }
        JsonNode data = event.path("data").isObject() ? event.get("data") : JsonNodeFactory.instance.objectNode().put("_id", event.path("id").asText());
        fanout.deliver("stream-notify-logged", "permissions-changed", List.of(action(event), data), null, null);
    }

    public void onSetting(JsonNode event) {
        if (duplicate(event) || !event.path("data").isObject() || !event.get("data").path("public").asBoolean(false)) {
            return;
        }
        JsonNode setting = event.get("data");
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("_id", setting.path("_id").asText());
        value.set("value", setting.get("value"));
        fanout.deliver("stream-notify-all", "public-settings-changed", List.of(action(event), value), null, null);
    }

    /** {@code presence.status}: user-status for logged-in listeners, and the watchers of that user. */
    public void onPresence(JsonNode event) {
        String uid = event.path("userId").asText();
        String username = event.path("username").asText("");
        String status = event.path("status").asText("offline");
        String text = event.path("statusText").asText("");
        int code = switch (status) {
            case "online" -> 1;
            case "away" -> 2;
            case "busy" -> 3;
            default -> 0;
        };
        List<Object> entry = new ArrayList<>(List.of(uid, username, code, text));
        entry.add(event.hasNonNull("name") ? event.get("name").asText() : null);
        entry.add(event.path("roles").isArray() ? event.get("roles") : List.of());
        fanout.deliver("stream-notify-logged", "user-status", List.of(entry), null, null);
        Collection<DdpSession> watchers = index.listeners("stream-user-presence", uid);
        if (!watchers.isEmpty()) {
            fanout.send(watchers, DdpFrames.presenceEvent(uid, username, code, text), null, null);
        }
        ObjectNode userData = JsonNodeFactory.instance.objectNode().put("type", "updated").put("id", uid);
        userData.putObject("diff").put("status", status).put("statusText", text);
        userData.putObject("unset");
        fanout.deliver("stream-notify-user", uid + "/userData", List.of(userData), null, null);
    }

    /** {@code stream.notify}: a notification not tied to a document (typing, deleteMessage) to local listeners. */
    public void onNotify(JsonNode event) {
        String stream = "stream-" + event.path("stream").asText();
        String eventName = event.path("eventName").asText();
        Object args = event.path("args").isArray() ? event.get("args") : List.of();
        fanout.deliver(stream, eventName, args, null, event.path("origin").asText(null));
    }

    /**
     * A room that is not public (a group, a DM, a channel just made private) streams only to its members: whoever
     * subscribed while it was public, or before being removed, loses its streams before the next event goes out.
     */
    private void dropListenersNotIn(String rid) {
        Set<DdpSession> listening = new HashSet<>();
        listening.addAll(index.listeners(StreamPermissions.ROOM_MESSAGES, rid));
        listening.addAll(index.listeners(StreamPermissions.ROOM_DATA, rid));
        for (String event : StreamPermissions.ROOM_EVENTS) {
            listening.addAll(index.listeners(StreamPermissions.NOTIFY_ROOM, rid + "/" + event));
        }
        for (DdpSession session : listening) {
            if (session.rooms().contains(rid)) {
                continue;
            }
            if (session.isLoggedIn() && !members(rid, List.of(session.userId())).isEmpty()) {
                // joined a moment ago: the membership event is still on its way
                session.rooms().add(rid);
                continue;
            }
            dropRoomStreams(session, rid);
        }
    }

    /** Which of {@code uids} are members of the room. */
    private Set<String> members(String rid, Collection<String> uids) {
        Set<String> members = new HashSet<>();
        database.getCollection(chat.caravan.common.model.Collections.SUBSCRIPTIONS)
                .find(Filters.and(Filters.eq("rid", rid), Filters.in("u._id", uids))).projection(new Document("u._id", 1))
                .forEach(s -> members.add(s.get("u", Document.class).getString("_id")));
        return members;
    }

    /** Ends the session's subscriptions to the room's streams (messages, data, notify-room events), as Meteor stops one. */
    private void dropRoomStreams(DdpSession session, String rid) {
        session.subscriptions().values().removeIf(subscription -> {
            if (StreamPermissions.isOfRoom(subscription.stream(), subscription.eventName(), rid)) {
                index.remove(subscription.stream(), subscription.eventName(), session);
                session.send(DdpFrames.nosub(subscription.id(), null));
                return true;
            }
            return false;
        });
    }

    private boolean duplicate(JsonNode event) {
        String eventId = event.path("eventId").asText(null);
        return eventId != null && !seen.add(eventId);
    }

    private static String action(JsonNode event) {
        return event.path("clientAction").asText("updated");
    }

    static String json(Object value) {
        return CaravanJson.ejson().valueToTree(value).toString();
    }
}
