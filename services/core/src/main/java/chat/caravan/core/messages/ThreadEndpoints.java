package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** The chat.* thread endpoints: a room's threads, a thread's messages, their sync, following a thread. */
@Component("threadEndpoints")
public class ThreadEndpoints {

    private final ThreadService threads;
    private final MessageQueries queries;
    private final RoomStore store;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public ThreadEndpoints(ThreadService threads, MessageQueries queries, RoomStore store, Settings settings, RestAuth auth,
            MongoDatabase database) {
        this.threads = threads;
        this.queries = queries;
        this.store = store;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    /** chat.getThreadsList: the room's thread parents, newest reply first; {@code type} following/unread, {@code text}. */
    public void getThreadsList(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        String rid = params.requiredText("rid");
        String type = params.text("type");
        String text = params.text("text");
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.THREAD_LAST_MESSAGE, -1));
        threads.requireEnabled();
        threads.requireRoomAccess(caller, rid);
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(MessageFields.ROOM_ID, rid),
                Filters.exists(MessageFields.THREAD_COUNT, true), Filters.ne(MessageFields.HIDDEN, true)));
        if ("following".equals(type)) {
            filter.add(Filters.in(MessageFields.REPLIES, caller.id()));
        } else if ("unread".equals(type)) {
            Document subscription = store.subscription(rid, caller.id());
            List<String> unread = subscription == null ? List.of()
                    : subscription.getList(SubscriptionFields.THREADS_UNREAD, String.class, List.of());
            filter.add(Filters.in("_id", unread));
        }
        if (text != null && !text.isEmpty()) {
            filter.add(Filters.regex(MessageFields.TEXT, Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE)));
        }
        RestReplies.ok(exchange, queries.page(Filters.and(filter), page, "threads"));
    }

    /** chat.syncThreadsList: the room's thread parents changed or deleted since {@code updatedSince}. */
    public void syncThreadsList(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        threads.requireEnabled();
        String rid = params.text("rid");
        if (rid == null || rid.isBlank()) {
            throw CaravanException.coded("error-room-id-param-not-provided", "The required \"rid\" query param is missing.");
        }
        Date since = updatedSince(params);
        threads.requireRoomAccess(caller, rid);
        Bson parents = Filters.and(Filters.eq(MessageFields.ROOM_ID, rid), Filters.exists(MessageFields.THREAD_COUNT, true));
        RestReplies.ok(exchange, Map.of("threads", changes(parents, since, page(exchange))));
    }

    /** chat.getThreadMessages: the replies of a thread, oldest first. */
    public void getThreadMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Pagination page = Pagination.of(exchange, settings, new Document(MessageFields.TS, 1));
        threads.requireEnabled();
        Document parent = threads.readableParent(caller, requiredTmid(params));
        Bson filter = Filters.and(Filters.eq(MessageFields.THREAD_ID, parent.getString("_id")), Filters.ne(MessageFields.HIDDEN, true));
        RestReplies.ok(exchange, queries.page(filter, page, "messages"));
    }

    /** chat.syncThreadMessages: a thread's replies changed or deleted since {@code updatedSince}. */
    public void syncThreadMessages(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        threads.requireEnabled();
        String tmid = requiredTmid(params);
        Date since = updatedSince(params);
        Document parent = threads.readableParent(caller, tmid);
        Bson replies = Filters.eq(MessageFields.THREAD_ID, parent.getString("_id"));
        RestReplies.ok(exchange, Map.of("messages", changes(replies, since, page(exchange))));
    }

    public void followMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        threads.follow(caller, Params.of(exchange).text("mid"));
        RestReplies.ok(exchange, Map.of());
    }

    public void unfollowMessage(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        threads.unfollow(caller, Params.of(exchange).text("mid"));
        RestReplies.ok(exchange, Map.of());
    }

    /** {@code update}: the matching messages changed after {@code since}; {@code remove}: those deleted after it. */
    private Map<String, Object> changes(Bson filter, Date since, Pagination page) {
        List<Document> update = store.messages().find(Filters.and(filter, Filters.gt(MessageFields.UPDATED_AT, since)))
                .sort(page.sort()).into(new ArrayList<>());
        List<Document> remove = store.trash().find(Filters.and(filter, Filters.eq("__collection__", Collections.MESSAGES),
                Filters.gt("_deletedAt", since))).sort(page.sort()).into(new ArrayList<>());
        remove.forEach(deleted -> deleted.remove("__collection__"));
        return Map.of("update", update, "remove", remove);
    }

    private Pagination page(Exchange exchange) {
        return Pagination.of(exchange, settings, new Document(MessageFields.UPDATED_AT, -1));
    }

    private static String requiredTmid(Params params) {
        String tmid = params.text("tmid");
        if (tmid == null || tmid.isBlank()) {
            throw CaravanException.coded("error-invalid-params", "The required \"tmid\" query param is missing.");
        }
        return tmid;
    }

    private static Date updatedSince(Params params) {
        String raw = params.text("updatedSince");
        if (raw == null || raw.isBlank()) {
            throw CaravanException.coded("error-updatedSince-param-invalid", "The required param \"updatedSince\" is missing.");
        }
        try {
            return MessageQueries.date(raw, "updatedSince");
        } catch (CaravanException e) {
            throw CaravanException.coded("error-updatedSince-param-invalid", "The \"updatedSince\" query parameter must be a valid date.");
        }
    }
}
