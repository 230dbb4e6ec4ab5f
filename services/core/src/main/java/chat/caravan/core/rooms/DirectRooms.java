package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Direct messages: a 1:1 DM's id is the two user ids sorted and joined; group DMs get a generated id. Creating one
 * that exists returns it.
 */
@Component
public class DirectRooms {

    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;

    public DirectRooms(RoomStore store, Authorization authorization, Settings settings) {
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
    }

    public Document open(Caller caller, List<Document> others, boolean excludeSelf) {
        if (!authorization.hasPermission(caller.id(), "create-d")) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "createDirectMessage"));
        }
        List<Document> members = new ArrayList<>();
        if (!excludeSelf) {
            members.add(caller.user());
        }
        for (Document other : others) {
            if (members.stream().noneMatch(m -> m.getString("_id").equals(other.getString("_id")))) {
                members.add(other);
            }
        }
        if (members.isEmpty()) {
            throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", "createDirectMessage"));
        }
        if (members.size() > settings.integer("DirectMesssage_maxUsers", 8)) {
            throw CaravanException.coded("error-direct-message-max-user-exceeded", "You cannot add more than "
                    + settings.integer("DirectMesssage_maxUsers", 8) + " users, including yourself to a direct message");
        }
        List<String> uids = members.stream().map(m -> m.getString("_id")).sorted().toList();
        String rid = uids.size() == 2 ? uids.get(0) + uids.get(1) : uids.size() == 1 ? uids.get(0) + uids.get(0) : null;
        Document existing = rid != null ? store.room(rid)
                : store.rooms().find(Filters.and(Filters.eq(RoomFields.TYPE, RoomFields.DIRECT), Filters.all(RoomFields.UIDS, uids),
                Filters.size(RoomFields.UIDS, uids.size()))).first();
        if (existing != null) {
            return existing;
        }
        Date now = new Date();
        List<String> usernames = members.stream().sorted(Comparator.comparing(m -> String.valueOf(m.getString(UserFields.NAME))))
                .map(m -> m.getString(UserFields.USERNAME)).toList();
        Document room = new Document(RoomFields.ID, rid != null ? rid : Ids.random())
                .append(RoomFields.TYPE, RoomFields.DIRECT)
                .append(RoomFields.UIDS, uids)
                .append(RoomFields.USERNAMES, usernames)
                .append(RoomFields.USERS_COUNT, uids.size())
                .append(RoomFields.MSGS, 0)
                .append(RoomFields.READ_ONLY, false)
                .append(RoomFields.SYSTEM_MESSAGES, true)
                .append(RoomFields.TS, now)
                .append(RoomFields.UPDATED_AT, now);
        if (settings.bool("E2E_Enable", false) && settings.bool("E2E_Enabled_Default_DirectRooms", false)) {
            room.append(RoomFields.ENCRYPTED, true);
        }
        try {
            store.rooms().insertOne(room);
        } catch (MongoWriteException e) {
            return store.room(room.getString("_id"));
        }
        for (Document member : members) {
            List<Document> rest = members.size() == 1 ? members
                    : members.stream().filter(m -> !m.getString("_id").equals(member.getString("_id"))).toList();
            boolean creator = member.getString("_id").equals(caller.id());
            store.subscriptions().insertOne(RoomService.withPreferences(new Document(SubscriptionFields.ID, Ids.random())
                    .append(SubscriptionFields.ROOM_ID, room.getString("_id"))
                    .append(SubscriptionFields.USER, new Document("_id", member.getString("_id"))
                            .append("username", member.getString(UserFields.USERNAME)))
                    .append(SubscriptionFields.NAME, String.join(",", rest.stream().map(m -> m.getString(UserFields.USERNAME)).toList()))
                    .append(SubscriptionFields.FNAME, String.join(", ", rest.stream()
                            .map(m -> m.getString(UserFields.NAME) != null ? m.getString(UserFields.NAME) : m.getString(UserFields.USERNAME)).toList()))
                    .append(SubscriptionFields.TYPE, RoomFields.DIRECT)
                    .append(SubscriptionFields.TS, now)
                    .append(SubscriptionFields.LAST_SEEN, now)
                    .append(SubscriptionFields.OPEN, creator || members.size() > 2)
                    .append(SubscriptionFields.ALERT, false)
                    .append(SubscriptionFields.UNREAD, 0)
                    .append(SubscriptionFields.USER_MENTIONS, 0)
                    .append(SubscriptionFields.GROUP_MENTIONS, 0)
                    .append(SubscriptionFields.UPDATED_AT, now), member));
        }
        return room;
    }
}
