package chat.caravan.core.users;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * What happens to a user's rooms when the account is deleted or deactivated, as Rocket.Chat decides it: a room whose
 * only owner the user is gets the longest-standing active member as its new owner; a private room nobody else could
 * own (or that only the user is in) is removed. Without the caller's {@code confirmRelinquish} such a change is
 * refused with {@code user-last-owner}, naming the rooms.
 */
@Component
public class RoomOwnerships {

    private final RoomStore store;

    public RoomOwnerships(RoomStore store) {
        this.store = store;
    }

    record RoomChange(String rid, String type, boolean remove, String newOwner) {
    }

    /** Checks (and, when confirmed, makes) the ownership changes the user's leaving needs. */
    public void relinquish(String userId, boolean confirmed) {
        List<RoomChange> changes = plan(userId);
        if (changes.isEmpty()) {
            return;
        }
        if (!confirmed) {
            List<Map<String, Object>> rooms = new ArrayList<>();
            for (RoomChange change : changes) {
                Map<String, Object> room = new LinkedHashMap<>();
                room.put("rid", change.rid());
                room.put("t", change.type());
                room.put("shouldBeRemoved", change.remove());
                room.put("shouldChangeOwner", change.newOwner() != null);
                room.put("newOwner", change.newOwner());
                rooms.add(room);
            }
            throw CaravanException.coded("user-last-owner", "", rooms);
        }
        for (RoomChange change : changes) {
            if (change.newOwner() != null) {
                store.subscriptions().updateOne(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, change.rid()),
                        Filters.eq(SubscriptionFields.USER_ID, change.newOwner())), Updates.addToSet(SubscriptionFields.ROLES, "owner"));
            } else if (change.remove()) {
                removeRoom(change.rid());
            }
        }
    }

    /** After a deletion: the user's memberships go, and so do their one-to-one direct messages. */
    public void removeMemberships(String userId) {
        for (Document subscription : store.subscriptions().find(Filters.eq(SubscriptionFields.USER_ID, userId))) {
            String rid = subscription.getString(SubscriptionFields.ROOM_ID);
            Document room = store.room(rid);
            if (room != null && "d".equals(room.getString(RoomFields.TYPE))
                    && room.getList("uids", String.class, List.of()).size() <= 2) {
                removeRoom(rid);
                continue;
            }
            store.subscriptions().deleteOne(Filters.eq(SubscriptionFields.ID, subscription.get(SubscriptionFields.ID)));
            if (room != null) {
                store.rooms().updateOne(Filters.eq(RoomFields.ID, rid), Updates.inc(RoomFields.USERS_COUNT, -1));
            }
        }
    }

    private List<RoomChange> plan(String userId) {
        List<RoomChange> changes = new ArrayList<>();
        for (Document subscription : store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.USER_ID, userId),
                Filters.ne(SubscriptionFields.TYPE, "d")))) {
            String rid = subscription.getString(SubscriptionFields.ROOM_ID);
            String type = subscription.getString(SubscriptionFields.TYPE);
            boolean owner = subscription.getList(SubscriptionFields.ROLES, String.class, List.of()).contains("owner");
            if (owner) {
                long owners = store.subscriptions().countDocuments(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                        Filters.eq(SubscriptionFields.ROLES, "owner")));
                if (owners == 1) {
                    String newOwner = longestStandingActiveMember(rid, userId);
                    if (newOwner != null || !"c".equals(type)) {
                        changes.add(new RoomChange(rid, type, newOwner == null, newOwner));
                    }
                }
            } else if (!"c".equals(type) && store.subscriptions().countDocuments(Filters.eq(SubscriptionFields.ROOM_ID, rid)) == 1) {
                changes.add(new RoomChange(rid, type, true, null));
            }
        }
        return changes;
    }

    private String longestStandingActiveMember(String rid, String except) {
        for (Document member : store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                Filters.ne(SubscriptionFields.USER_ID, except))).sort(new Document(SubscriptionFields.TS, 1))) {
            String uid = member.get(SubscriptionFields.USER, Document.class).getString("_id");
            if (store.users().countDocuments(Filters.and(Filters.eq(UserFields.ID, uid), Filters.eq(UserFields.ACTIVE, true))) > 0) {
                return uid;
            }
        }
        return null;
    }

    private void removeRoom(String rid) {
        store.subscriptions().deleteMany(Filters.eq(SubscriptionFields.ROOM_ID, rid));
        store.messages().deleteMany(Filters.eq("rid", rid));
        store.rooms().deleteOne(Filters.eq(RoomFields.ID, rid));
    }
}
