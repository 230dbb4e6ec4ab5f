package chat.caravan.core.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Params;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.node.TextNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** Reading messages: a room's history and its paginated message list. Access was checked by the caller. */
@Component
public class MessageQueries {

    private final RoomStore store;
    private final Settings settings;

    public MessageQueries(RoomStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** {@code *.history}: newest first between {@code oldest} and {@code latest}, {@code count} (20) from offset. */
    public Map<String, Object> history(Document room, Params params, boolean showThreadsByDefault) {
        Date latest = date(params.text("latest"), "latest");
        Date oldest = date(params.text("oldest"), "oldest");
        boolean inclusive = "true".equals(params.text("inclusive"));
        int count = integer(params.text("count"), 20, "count");
        int offset = integer(params.text("offset"), 0, "offset");
        String showThreads = params.text("showThreadMessages");
        boolean threads = showThreads == null ? showThreadsByDefault : !"false".equals(showThreads);
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(MessageFields.ROOM_ID, room.getString("_id")),
                Filters.ne(MessageFields.HIDDEN, true)));
        if (latest != null) {
            filter.add(inclusive ? Filters.lte(MessageFields.TS, latest) : Filters.lt(MessageFields.TS, latest));
        }
        if (oldest != null) {
            filter.add(inclusive ? Filters.gte(MessageFields.TS, oldest) : Filters.gt(MessageFields.TS, oldest));
        }
        if (!threads) {
            filter.add(Filters.or(Filters.exists(MessageFields.THREAD_ID, false), Filters.eq(MessageFields.THREAD_SHOW, true)));
        }
        List<Document> messages = store.messages().find(Filters.and(filter)).sort(new Document(MessageFields.TS, -1))
                .skip(offset).limit(Math.min(count, 1000)).into(new ArrayList<>());
        return Map.of("messages", messages);
    }

    /** {@code *.messages}: paginated, sorted ({ts:-1} by default), with total. */
    public Map<String, Object> roomMessages(Exchange exchange, Document room) {
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, -1));
        Bson filter = Filters.and(Filters.eq(MessageFields.ROOM_ID, room.getString("_id")), Filters.ne(MessageFields.HIDDEN, true));
        if ("true".equals(chat.caravan.common.rest.RestRequest.query(exchange, "pinned"))) {
            filter = Filters.and(filter, Filters.eq(MessageFields.PINNED, true));
        }
        return page(filter, page, "messages");
    }

    public Map<String, Object> page(Bson filter, Pagination page, String key) {
        FindIterable<Document> found = page.window(store.messages().find(filter).sort(page.sort()));
        List<Document> messages = found.into(new ArrayList<>());
        return Map.of(key, messages, "count", messages.size(), "offset", page.offset(),
                "total", store.messages().countDocuments(filter));
    }

    static Date date(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = CaravanJson.toInstant(TextNode.valueOf(value));
            return Date.from(instant);
        } catch (RuntimeException e) {
            throw CaravanException.invalidParams("The \"" + name + "\" query parameter must be a valid date.");
        }
    }

    static int integer(String value, int fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw CaravanException.invalidParams("The \"" + name + "\" parameter must be a non-negative integer.");
        }
    }
}
