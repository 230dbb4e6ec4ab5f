package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.MessageFields;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * chat.syncMessages in its cursor form (7.1 and later; the mobile app pages missed messages with it): the room's
 * messages changed ({@code type=UPDATED}) or deleted ({@code DELETED}) after the {@code next} cursor, or before the
 * {@code previous} one, {@code count} at a time. A cursor is the change's time in epoch milliseconds; {@code next} is
 * null once the last page is out.
 */
@Component
public class MessageSyncCursor {

    private final RoomStore store;

    public MessageSyncCursor(RoomStore store) {
        this.store = store;
    }

    public Map<String, Object> page(String rid, String type, String next, String previous, int count) {
        if (type == null) {
            throw CaravanException.coded("error-type-param-required",
                    "The \"type\" parameter is required when using the \"next\" or \"previous\" parameters");
        }
        if (!"UPDATED".equals(type) && !"DELETED".equals(type)) {
            throw CaravanException.coded("error-type-param-not-supported", "The \"type\" parameter must be either \"UPDATED\" or \"DELETED\"");
        }
        if (next != null && previous != null) {
            throw CaravanException.coded("error-cursor-conflict", "You cannot provide both \"next\" and \"previous\" parameters");
        }
        if (count < 1) {
            throw CaravanException.invalidParams("The \"count\" parameter must be a positive number");
        }
        boolean updated = "UPDATED".equals(type);
        boolean backwards = previous != null;
        String field = updated ? MessageFields.UPDATED_AT : "_deletedAt";
        Date from = new Date(cursor(backwards ? previous : next == null ? "0" : next));
        Bson when = backwards ? Filters.lt(field, from) : Filters.gt(field, from);
        List<Document> found;
        if (updated) {
            found = store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, rid), Filters.ne(MessageFields.HIDDEN, true), when))
                    .sort(new Document(field, backwards ? -1 : 1)).limit(count + 1).into(new ArrayList<>());
        } else {
            found = store.trash().find(Filters.and(Filters.eq("__collection__", Collections.MESSAGES), Filters.eq(MessageFields.ROOM_ID, rid), when))
                    .projection(new Document("_id", 1).append("_deletedAt", 1))
                    .sort(new Document(field, backwards ? -1 : 1)).limit(count + 1).into(new ArrayList<>());
        }
        boolean more = found.size() > count;
        List<Document> page = more ? new ArrayList<>(found.subList(0, count)) : found;
        Map<String, Object> cursors = new LinkedHashMap<>();
        if (page.isEmpty()) {
            cursors.put("next", null);
            cursors.put("previous", null);
        } else if (backwards) {
            cursors.put("next", cursorOf(page.get(0), field));
            cursors.put("previous", more ? cursorOf(page.get(page.size() - 1), field) : null);
        } else {
            cursors.put("next", more ? cursorOf(page.get(page.size() - 1), field) : null);
            cursors.put("previous", cursorOf(page.get(0), field));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("updated", updated ? page : List.of());
        result.put("deleted", updated ? List.of() : page);
        result.put("cursor", cursors);
        return result;
    }

    private static long cursor(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw CaravanException.coded("error-cursor-invalid", "The cursor must be a timestamp in milliseconds");
        }
    }

    private static String cursorOf(Document message, String field) {
        Date at = message.getDate(field);
        return at == null ? null : Long.toString(at.getTime());
    }
}
