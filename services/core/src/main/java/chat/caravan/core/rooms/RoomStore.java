package chat.caravan.core.rooms;

import java.util.Date;
import java.util.List;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.SubscriptionFields;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** The collections behind rooms, memberships and messages, and Rocket.Chat's trash for what is deleted. */
@Component
public class RoomStore {

    private final MongoCollection<Document> rooms;
    private final MongoCollection<Document> subscriptions;
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> trash;
    private final MongoCollection<Document> uploads;
    private final MongoCollection<Document> teams;
    private final MongoCollection<Document> teamMembers;

    public RoomStore(MongoDatabase database) {
        this.rooms = database.getCollection(Collections.ROOMS);
        this.subscriptions = database.getCollection(Collections.SUBSCRIPTIONS);
        this.messages = database.getCollection(Collections.MESSAGES);
        this.users = database.getCollection(Collections.USERS);
        this.trash = database.getCollection(Collections.TRASH);
        this.uploads = database.getCollection(Collections.UPLOADS);
        this.teams = database.getCollection(Collections.TEAMS);
        this.teamMembers = database.getCollection(Collections.TEAM_MEMBERS);
        teamMembers.createIndex(Indexes.ascending("teamId", "userId"), new IndexOptions().unique(true));
        subscriptions.createIndex(Indexes.ascending(SubscriptionFields.ROOM_ID, SubscriptionFields.USER_ID),
                new IndexOptions().unique(true));
        subscriptions.createIndex(Indexes.ascending(SubscriptionFields.USER_ID));
        messages.createIndex(Indexes.ascending("rid", "ts"));
        // a thread's replies (chat.getThreadMessages, getThreadMessages): only replies have tmid, as in Rocket.Chat
        messages.createIndex(Indexes.ascending(MessageFields.THREAD_ID), new IndexOptions().sparse(true));
    }

    public MongoCollection<Document> rooms() {
        return rooms;
    }

    public MongoCollection<Document> subscriptions() {
        return subscriptions;
    }

    public MongoCollection<Document> messages() {
        return messages;
    }

    public MongoCollection<Document> users() {
        return users;
    }

    public MongoCollection<Document> trash() {
        return trash;
    }

    public MongoCollection<Document> uploads() {
        return uploads;
    }

    public MongoCollection<Document> teams() {
        return teams;
    }

    /** Team memberships: {@code {teamId, userId, roles, createdAt, createdBy}}, one per member. */
    public MongoCollection<Document> teamMembers() {
        return teamMembers;
    }

    public Document team(String teamId) {
        return teamId == null ? null : teams.find(Filters.eq("_id", teamId)).first();
    }

    /** Makes the user a member of the team (no-op when already one), as the team main room's membership requires. */
    public boolean addTeamMember(String teamId, String userId, Document createdBy, List<String> roles) {
        if (teamMembers.find(Filters.and(Filters.eq("teamId", teamId), Filters.eq("userId", userId))).first() != null) {
            return false;
        }
        Date now = new Date();
        Document member = new Document("_id", chat.caravan.common.model.Ids.random()).append("teamId", teamId)
                .append("userId", userId)
                .append("createdAt", now)
                .append("createdBy", new Document("_id", createdBy.getString("_id"))
                        .append("username", createdBy.getString("username")))
                .append("_updatedAt", now);
        if (roles != null && !roles.isEmpty()) {
            member.append("roles", roles);
        }
        try {
            teamMembers.insertOne(member);
        } catch (com.mongodb.MongoWriteException e) {
            return false;
        }
        return true;
    }

    public Document room(String rid) {
        return rid == null ? null : rooms.find(Filters.eq("_id", rid)).first();
    }

    public Document subscription(String rid, String uid) {
        return subscriptions.find(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                Filters.eq(SubscriptionFields.USER_ID, uid))).first();
    }

    public List<Document> subscriptionsOf(String rid) {
        return subscriptions.find(Filters.eq(SubscriptionFields.ROOM_ID, rid)).into(new java.util.ArrayList<>());
    }

    /** Copies the documents into the trash (so their removal can still be announced), then deletes them. */
    public void deleteWithTrash(MongoCollection<Document> collection, Bson filter) {
        Date now = new Date();
        for (Document doc : collection.find(filter)) {
            Document copy = new Document(doc).append("__collection__", collection.getNamespace().getCollectionName())
                    .append("_deletedAt", now);
            trash.replaceOne(Filters.eq("_id", doc.get("_id")), copy, new ReplaceOptions().upsert(true));
        }
        collection.deleteMany(filter);
    }
}
