package chat.caravan.core.messages;

import java.util.Date;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Threads as Rocket.Chat keeps them: the parent message carries {@code tcount}, {@code tlm} and its followers in
 * {@code replies}; a member's unread threads are in their subscription's {@code tunread}. Everything here is refused
 * while {@code Threads_enabled} is off.
 */
@Component
public class ThreadService {

    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;

    public ThreadService(RoomStore store, Authorization authorization, Settings settings) {
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
    }

    public boolean enabled() {
        return settings.bool("Threads_enabled", true);
    }

    /** The REST thread endpoints' refusal while threads are off. */
    public void requireEnabled() {
        if (!enabled()) {
            throw CaravanException.coded("error-not-allowed", "Threads Disabled");
        }
    }

    /**
     * The thread parent {@code tmid} names, once the caller may read its room (the thread endpoints' order of checks:
     * an unknown parent first, then access).
     */
    public Document readableParent(Caller caller, String tmid) {
        Document parent = store.messages().find(Filters.eq("_id", tmid)).first();
        if (parent == null || parent.getString(MessageFields.ROOM_ID) == null) {
            throw CaravanException.coded("error-invalid-message", "Invalid Message");
        }
        requireRoomAccess(caller, parent.getString(MessageFields.ROOM_ID));
        return parent;
    }

    public void requireRoomAccess(Caller caller, String rid) {
        if (store.room(rid) == null || !authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-not-allowed", "Not Allowed");
        }
    }

    /** Makes the caller follow the thread of message {@code mid} (the message itself, or the thread it is in). */
    public void follow(Caller caller, String mid) {
        Document message = followable(caller, mid);
        String tmid = threadOf(message);
        store.messages().updateOne(Filters.eq("_id", tmid), Updates.combine(Updates.addToSet(MessageFields.REPLIES, caller.id()),
                Updates.set(MessageFields.UPDATED_AT, new Date())));
    }

    /** Stops following; the thread no longer counts as unread for the caller either. */
    public void unfollow(Caller caller, String mid) {
        Document message = followable(caller, mid);
        String tmid = threadOf(message);
        store.subscriptions().updateOne(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, message.getString(MessageFields.ROOM_ID)),
                Filters.eq(SubscriptionFields.USER_ID, caller.id())), Updates.combine(
                        Updates.pull(SubscriptionFields.THREADS_UNREAD, tmid), Updates.pull(SubscriptionFields.THREADS_UNREAD_USER, tmid),
                        Updates.pull(SubscriptionFields.THREADS_UNREAD_GROUP, tmid), Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
        store.messages().updateOne(Filters.eq("_id", tmid), Updates.combine(Updates.pull(MessageFields.REPLIES, caller.id()),
                Updates.set(MessageFields.UPDATED_AT, new Date())));
    }

    /**
     * Marks thread {@code tmid} read for the caller: it leaves the subscription's unread threads, and when it was the
     * last one the room's alert goes too.
     */
    public void markThreadRead(String userId, String rid, String tmid) {
        Document subscription = store.subscription(rid, userId);
        if (subscription == null) {
            return;
        }
        java.util.List<String> unread = subscription.getList(SubscriptionFields.THREADS_UNREAD, String.class, java.util.List.of());
        if (!unread.contains(tmid)) {
            return;
        }
        java.util.List<org.bson.conversions.Bson> changes = new java.util.ArrayList<>(java.util.List.of(
                Updates.pull(SubscriptionFields.THREADS_UNREAD, tmid), Updates.pull(SubscriptionFields.THREADS_UNREAD_USER, tmid),
                Updates.pull(SubscriptionFields.THREADS_UNREAD_GROUP, tmid), Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
        if (unread.size() <= 1) {
            changes.add(Updates.set(SubscriptionFields.ALERT, false));
        }
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(changes));
    }

    private Document followable(Caller caller, String mid) {
        if (mid == null || mid.isBlank()) {
            throw CaravanException.coded("The required \"mid\" body param is missing.", null);
        }
        if (!enabled()) {
            throw CaravanException.coded("error-not-allowed", "not-allowed");
        }
        Document message = store.messages().find(Filters.eq("_id", mid)).first();
        if (message == null) {
            throw CaravanException.coded("error-invalid-message", "Invalid message");
        }
        if (!authorization.canAccessRoom(caller.id(), message.getString(MessageFields.ROOM_ID))) {
            throw CaravanException.coded("error-not-allowed", "not-allowed");
        }
        return message;
    }

    private static String threadOf(Document message) {
        String tmid = message.getString(MessageFields.THREAD_ID);
        return tmid != null ? tmid : message.getString("_id");
    }
}
