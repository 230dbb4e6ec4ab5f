package chat.caravan.core.messages;

import java.util.Date;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.Caller;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reporting a message to the moderators: one record in Rocket.Chat's {@code rocketchat_moderation_reports} with the
 * message as it was, the reporter and the room, which the moderation console reads.
 */
@Component
public class MessageReports {

    private static final Logger LOG = LoggerFactory.getLogger(MessageReports.class);

    private final RoomStore store;
    private final Authorization authorization;
    private final MongoCollection<Document> reports;

    public MessageReports(RoomStore store, Authorization authorization, MongoDatabase database) {
        this.store = store;
        this.authorization = authorization;
        this.reports = database.getCollection(Collections.MODERATION_REPORTS);
    }

    /** Files the caller's report of message {@code messageId}; a message they cannot see is an unknown id. */
    public Document report(Caller caller, String messageId, String description) {
        if (description.isBlank()) {
            throw CaravanException.plain("error-invalid-description");
        }
        Document message = store.messages().find(Filters.eq("_id", messageId)).first();
        if (message == null) {
            throw CaravanException.plain("error-invalid-message_id");
        }
        String rid = message.getString(MessageFields.ROOM_ID);
        Document room = store.room(rid);
        if (room == null || !authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.plain("error-invalid-message_id");
        }
        Document user = caller.user();
        Document reportedBy = new Document("_id", caller.id()).append("username", user.getString(UserFields.USERNAME))
                .append("name", user.getString(UserFields.NAME)).append("createdAt", user.get(UserFields.CREATED_AT));
        Document roomInfo = new Document("_id", rid).append("name", room.getString(RoomFields.NAME))
                .append("t", room.getString(RoomFields.TYPE)).append("federated", room.get("federated"))
                .append("fname", room.getString(RoomFields.FNAME));
        Date now = new Date();
        Document record = new Document("_id", Ids.random()).append("message", message).append("description", description)
                .append("reportedBy", reportedBy).append("room", roomInfo).append("ts", now).append("_updatedAt", now);
        reports.insertOne(record);
        LOG.info("Message {} in room {} reported by {}", messageId, rid, caller.id());
        return record;
    }
}
