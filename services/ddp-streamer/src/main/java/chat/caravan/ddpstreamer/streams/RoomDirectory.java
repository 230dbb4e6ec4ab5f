package chat.caravan.ddpstreamer.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * What the stream events need to know of a room on every message (its type, name and, for a direct room, its users)
 * and who its members are (for {@code rooms-changed}), kept from the room and membership events this service receives
 * anyway instead of read from the store for each event. An entry read from the store lives {@link #TTL_NANOS} at most,
 * so an event lost in a bus outage is forgotten soon.
 */
@Component
public class RoomDirectory {

    static final long TTL_NANOS = 30_000_000_000L;
    static final int MAX_ROOMS = 20_000;

    private record Entry<T>(T value, long until) {
        boolean fresh() {
            return System.nanoTime() - until < 0;
        }
    }

    private final MongoDatabase database;
    // bumped by every event: a read from the store that an event overtook is not remembered
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Entry<Document>> rooms = new ConcurrentHashMap<>();
    private final Map<String, Entry<List<String>>> members = new ConcurrentHashMap<>();

    public RoomDirectory(MongoDatabase database) {
        this.database = database;
    }

    /** The room's {@code t}, {@code name} and {@code uids}, or null when there is no such room. */
    public Document room(String rid) {
        Entry<Document> known = rooms.get(rid);
        if (known != null && known.fresh()) {
            return known.value();
        }
        long before = generation.get();
        Document room = database.getCollection(Collections.ROOMS).find(Filters.eq("_id", rid))
                .projection(new Document(RoomFields.TYPE, 1).append(RoomFields.NAME, 1).append("uids", 1)).first();
        if (room != null && generation.get() == before) {
            remember(rooms, rid, room);
        }
        return room;
    }

    /** The ids of the room's members. */
    public List<String> members(String rid) {
        Entry<List<String>> known = members.get(rid);
        if (known != null && known.fresh()) {
            return known.value();
        }
        long before = generation.get();
        List<String> uids = new ArrayList<>();
        database.getCollection(Collections.SUBSCRIPTIONS).find(Filters.eq(SubscriptionFields.ROOM_ID, rid))
                .projection(new Document(SubscriptionFields.USER_ID, 1))
                .forEach(s -> uids.add(s.get("u", Document.class).getString("_id")));
        if (generation.get() == before) {
            remember(members, rid, List.copyOf(uids));
        }
        return uids;
    }

    /** A room event: what it says of the room replaces what was known; a removed room is forgotten. */
    public void roomChanged(String rid, String action, JsonNode data) {
        generation.incrementAndGet();
        if ("removed".equals(action) || data == null || !data.hasNonNull(RoomFields.TYPE)) {
            rooms.remove(rid);
            if ("removed".equals(action)) {
                members.remove(rid);
            }
            return;
        }
        Document room = new Document("_id", rid).append(RoomFields.TYPE, data.get(RoomFields.TYPE).asText());
        if (data.hasNonNull(RoomFields.NAME)) {
            room.append(RoomFields.NAME, data.get(RoomFields.NAME).asText());
        }
        if (data.path("uids").isArray()) {
            List<String> uids = new ArrayList<>();
            data.get("uids").forEach(uid -> uids.add(uid.asText()));
            room.append("uids", uids);
        }
        remember(rooms, rid, room);
    }

    /** A membership came or went: the room's members are read again when next needed. */
    public void membershipChanged(String rid) {
        generation.incrementAndGet();
        members.remove(rid);
    }

    private static <T> void remember(Map<String, Entry<T>> cache, String rid, T value) {
        if (cache.size() >= MAX_ROOMS) {
            cache.clear();
        }
        cache.put(rid, new Entry<>(value, System.nanoTime() + TTL_NANOS));
    }
}
