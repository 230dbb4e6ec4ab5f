package chat.caravan.core.methods;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.MessageFields;
import chat.caravan.core.Caller;
import chat.caravan.core.messages.ThreadService;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The DDP methods the mobile app pages a room's and a thread's history with: {@code getThreadMessages},
 * {@code readThreads}, {@code loadSurroundingMessages} (jumping to a message) and {@code loadNextMessages}.
 */
@Component
public class HistoryMethods {

    /** Rocket.Chat's ceiling on a page of thread replies. */
    static final int MAX_THREAD_PAGE = 100;

    private final RoomStore store;
    private final Authorization authorization;
    private final ThreadService threads;

    public HistoryMethods(RoomStore store, Authorization authorization, ThreadService threads) {
        this.store = store;
        this.authorization = authorization;
        this.threads = threads;
    }

    /** {@code getThreadMessages({tmid, limit?, skip?})}: the parent then its replies, newest first; reading marks it read. */
    public List<Document> threadMessages(Caller caller, JsonNode query) {
        int limit = query.path("limit").asInt(0);
        if (limit > MAX_THREAD_PAGE) {
            throw CaravanException.coded("error-not-allowed", "max limit: " + MAX_THREAD_PAGE, Map.of("method", "getThreadMessages"));
        }
        if (!threads.enabled()) {
            throw CaravanException.coded("error-not-allowed", "Threads Disabled", Map.of("method", "getThreadMessages"));
        }
        Document parent = message(query.path("tmid"));
        if (parent == null) {
            return List.of();
        }
        String rid = parent.getString(MessageFields.ROOM_ID);
        requireAccess(caller, rid, "getThreadMessages");
        if (parent.get(MessageFields.THREAD_COUNT) == null) {
            return List.of();
        }
        threads.markThreadRead(caller.id(), rid, parent.getString("_id"));
        var replies = store.messages().find(Filters.and(Filters.eq(MessageFields.THREAD_ID, parent.getString("_id")),
                Filters.ne(MessageFields.HIDDEN, true))).sort(new Document(MessageFields.TS, -1)).skip(Math.max(0, query.path("skip").asInt(0)));
        if (limit > 0) {
            replies = replies.limit(limit);
        }
        List<Document> result = new ArrayList<>();
        result.add(parent);
        replies.into(result);
        return result;
    }

    /** {@code readThreads(tmid)}: the thread stops counting as unread for the caller. */
    public void readThread(Caller caller, JsonNode tmid) {
        if (!tmid.isTextual()) {
            throw CaravanException.invalidParams("Match error: expected a string");
        }
        if (!threads.enabled()) {
            throw CaravanException.coded("error-not-allowed", "Threads Disabled", Map.of("method", "getThreadMessages"));
        }
        Document parent = message(tmid);
        if (parent == null) {
            return;
        }
        String rid = parent.getString(MessageFields.ROOM_ID);
        if (store.room(rid) == null) {
            throw CaravanException.coded("error-room-does-not-exist", "This room does not exist", Map.of("method", "getThreadMessages"));
        }
        requireAccess(caller, rid, "getThreadMessages");
        threads.markThreadRead(caller.id(), rid, parent.getString("_id"));
    }

    /**
     * {@code loadSurroundingMessages({_id, rid}, limit = 50)}: the message with up to half the page before it and half
     * after, oldest first, and whether more lie beyond either end; {@code false} for a message the caller cannot see.
     */
    public Object surrounding(Caller caller, JsonNode message, JsonNode limitParam) {
        if (!message.isObject() || (!limitParam.isMissingNode() && !limitParam.isNumber())) {
            throw CaravanException.invalidParams("Match error: expected an object and a number");
        }
        Document main = message(message.path("_id"));
        if (main == null || main.getString(MessageFields.ROOM_ID) == null
                || !authorization.canAccessRoom(caller.id(), main.getString(MessageFields.ROOM_ID))) {
            return false;
        }
        int limit = (limitParam.isNumber() ? limitParam.asInt() : 50) - 1;
        int before = (int) Math.ceil(limit / 2.0);
        int after = limit / 2;
        String rid = main.getString(MessageFields.ROOM_ID);
        Date ts = main.getDate(MessageFields.TS);
        List<Document> older = before <= 0 ? new ArrayList<>() : store.messages().find(Filters.and(visible(rid), Filters.lt(MessageFields.TS, ts)))
                .sort(new Document(MessageFields.TS, -1)).limit(before).into(new ArrayList<>());
        List<Document> newer = after <= 0 ? new ArrayList<>() : store.messages().find(Filters.and(visible(rid), Filters.gt(MessageFields.TS, ts)))
                .sort(new Document(MessageFields.TS, 1)).limit(after).into(new ArrayList<>());
        List<Document> messages = new ArrayList<>(older);
        java.util.Collections.reverse(messages);
        messages.add(main);
        messages.addAll(newer);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("messages", messages);
        result.put("moreBefore", before > 0 && older.size() == before);
        result.put("moreAfter", after > 0 && newer.size() == after);
        return result;
    }

    /** {@code loadNextMessages(rid, end?, limit = 20)}: the messages after {@code end} (or the first ones), oldest first. */
    public Object next(Caller caller, JsonNode rid, JsonNode end, JsonNode limitParam) {
        if (!rid.isTextual() || (!limitParam.isMissingNode() && !limitParam.isNumber())) {
            throw CaravanException.invalidParams("Match error: expected a room id and a number");
        }
        if (rid.asText().isEmpty()) {
            throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "loadNextMessages"));
        }
        if (!authorization.canAccessRoom(caller.id(), rid.asText())) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "loadNextMessages"));
        }
        int limit = limitParam.isNumber() ? Math.min(Math.max(limitParam.asInt(), 1), 500) : 20;
        Instant from = end == null || end.isMissingNode() || end.isNull() ? null : CaravanJson.toInstant(end);
        Bson filter = from == null ? visible(rid.asText()) : Filters.and(visible(rid.asText()), Filters.gt(MessageFields.TS, Date.from(from)));
        return Map.of("messages", store.messages().find(filter).sort(new Document(MessageFields.TS, 1)).limit(limit).into(new ArrayList<>()));
    }

    private Document message(JsonNode id) {
        return id.isTextual() && !id.asText().isEmpty() ? store.messages().find(Filters.eq("_id", id.asText())).first() : null;
    }

    private void requireAccess(Caller caller, String rid, String method) {
        if (rid == null || store.room(rid) == null || !authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", method));
        }
    }

    private static Bson visible(String rid) {
        return Filters.and(Filters.eq(MessageFields.ROOM_ID, rid), Filters.ne(MessageFields.HIDDEN, true));
    }
}
