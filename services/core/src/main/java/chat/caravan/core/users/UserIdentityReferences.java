package chat.caravan.core.users;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.avatars.AvatarService;
import chat.caravan.core.messages.markdown.MessageMarkdown;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What Rocket.Chat updates when a user's username or name changes, so the old one is not left behind: their
 * messages (author, editor, mentions and the {@code @name} in the text), rooms (creator, DM usernames, muted list),
 * their own subscriptions, their avatar record, and the names under which the other members see their direct
 * messages: a 1:1 DM is named after them, a group DM after all its other members (sorted by display name).
 */
@Component
public class UserIdentityReferences {

    private static final Logger LOG = LoggerFactory.getLogger(UserIdentityReferences.class);

    private final MongoDatabase database;

    public UserIdentityReferences(MongoDatabase database) {
        this.database = database;
    }

    /** Brings every reference up to date after the user changed from {@code before} to {@code after}. */
    public void changed(Document before, Document after) {
        if (before == null || after == null) {
            return;
        }
        String userId = after.getString(UserFields.ID);
        String previousUsername = before.getString(UserFields.USERNAME);
        String username = after.getString(UserFields.USERNAME);
        boolean usernameChanged = previousUsername != null && username != null && !previousUsername.equals(username);
        boolean nameChanged = !Objects.equals(before.getString(UserFields.NAME), after.getString(UserFields.NAME));
        if (previousUsername == null || (!usernameChanged && !nameChanged)) {
            return;
        }
        if (usernameChanged) {
            renameUsername(userId, previousUsername, username);
        }
        Date now = new Date();
        List<Bson> direct = new ArrayList<>();
        if (usernameChanged) {
            direct.add(Updates.set(SubscriptionFields.NAME, username));
        }
        if (nameChanged && after.getString(UserFields.NAME) != null) {
            direct.add(Updates.set(SubscriptionFields.FNAME, after.getString(UserFields.NAME)));
        }
        if (!direct.isEmpty()) {
            direct.add(Updates.set(SubscriptionFields.UPDATED_AT, now));
            collection(Collections.SUBSCRIPTIONS).updateMany(Filters.and(Filters.eq(SubscriptionFields.TYPE, RoomFields.DIRECT),
                    Filters.eq(SubscriptionFields.NAME, previousUsername)), Updates.combine(direct));
        }
        updateGroupDirectMessageNames(after);
        LOG.info("references to user {} updated ({}{})", userId, usernameChanged ? "username" : "",
                nameChanged ? (usernameChanged ? ", name" : "name") : "");
    }

    private void renameUsername(String userId, String previousUsername, String username) {
        MongoCollection<Document> avatars = collection(AvatarService.COLLECTION);
        Bson userAvatar = Filters.exists("rid", false);
        avatars.deleteMany(Filters.and(Filters.eq("name", username), userAvatar));
        avatars.updateMany(Filters.and(Filters.eq("name", previousUsername), userAvatar), Updates.set("name", username));

        MongoCollection<Document> messages = collection(Collections.MESSAGES);
        messages.updateMany(Filters.eq("u._id", userId), Updates.set("u.username", username));
        messages.updateMany(Filters.eq("editedBy._id", userId), Updates.set("editedBy.username", username));
        Pattern mention = Pattern.compile("@" + Pattern.quote(previousUsername), Pattern.CASE_INSENSITIVE);
        for (Document message : messages.find(Filters.eq("mentions.username", previousUsername))
                .projection(new Document("msg", 1).append("md", 1))) {
            String text = message.getString("msg") == null ? "" : message.getString("msg");
            String renamed = mention.matcher(text).replaceAll(Matcher.quoteReplacement("@" + username));
            List<Bson> changes = new ArrayList<>(List.of(Updates.set("mentions.$.username", username), Updates.set("msg", renamed)));
            if (message.get("md") != null) {
                changes.add(Updates.set("md", MessageMarkdown.parse(renamed)));
            }
            messages.updateOne(Filters.and(Filters.eq("_id", message.get("_id")), Filters.eq("mentions.username", previousUsername)),
                    Updates.combine(changes));
        }

        MongoCollection<Document> rooms = collection(Collections.ROOMS);
        rooms.updateMany(Filters.eq(RoomFields.USERNAMES, previousUsername), Updates.set(RoomFields.USERNAMES + ".$", username));
        rooms.updateMany(Filters.eq(RoomFields.MUTED, previousUsername), Updates.set(RoomFields.MUTED + ".$", username));
        rooms.updateMany(Filters.eq("u._id", userId), Updates.set("u.username", username));
        collection(Collections.SUBSCRIPTIONS).updateMany(Filters.eq(SubscriptionFields.USER_ID, userId),
                Updates.set("u.username", username));
    }

    /**
     * Each member of the user's group DMs sees the room named after the other members: {@code name} their usernames
     * joined by commas, {@code fname} their names (or usernames) joined by ", ", sorted by that display name.
     */
    void updateGroupDirectMessageNames(Document user) {
        String userId = user.getString(UserFields.ID);
        List<Document> groups = collection(Collections.ROOMS).find(Filters.and(Filters.eq(RoomFields.TYPE, RoomFields.DIRECT),
                Filters.eq(RoomFields.UIDS, userId), Filters.gt(RoomFields.USERS_COUNT, 2)))
                .projection(new Document(RoomFields.UIDS, 1)).into(new ArrayList<>());
        if (groups.isEmpty()) {
            return;
        }
        Set<String> memberIds = new LinkedHashSet<>();
        groups.forEach(room -> memberIds.addAll(room.getList(RoomFields.UIDS, String.class, List.of())));
        Map<String, Document> members = new HashMap<>();
        collection(Collections.USERS).find(Filters.in(UserFields.ID, memberIds))
                .projection(new Document(UserFields.USERNAME, 1).append(UserFields.NAME, 1))
                .forEach(member -> members.put(member.getString(UserFields.ID), member));
        members.put(userId, user);
        java.text.Collator collator = java.text.Collator.getInstance(java.util.Locale.ROOT);
        Comparator<Document> byDisplayName = Comparator.comparing(UserIdentityReferences::displayName, collator);
        MongoCollection<Document> subscriptions = collection(Collections.SUBSCRIPTIONS);
        Date now = new Date();
        for (Document room : groups) {
            List<Document> sorted = room.getList(RoomFields.UIDS, String.class, List.of()).stream().map(members::get)
                    .filter(Objects::nonNull).sorted(byDisplayName).toList();
            for (Document subscription : subscriptions.find(Filters.eq(SubscriptionFields.ROOM_ID, room.get("_id")))
                    .projection(new Document(SubscriptionFields.USER_ID, 1))) {
                String owner = subscription.get(SubscriptionFields.USER, Document.class) == null ? null
                        : subscription.get(SubscriptionFields.USER, Document.class).getString("_id");
                List<Document> others = sorted.stream().filter(m -> !m.getString(UserFields.ID).equals(owner)).toList();
                String name = String.join(",", others.stream().map(m -> m.getString(UserFields.USERNAME)).toList());
                String fname = String.join(", ", others.stream().map(UserIdentityReferences::displayName).toList());
                subscriptions.updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(
                        Updates.set(SubscriptionFields.NAME, name), Updates.set(SubscriptionFields.FNAME, fname),
                        Updates.set(SubscriptionFields.UPDATED_AT, now)));
            }
        }
    }

    private static String displayName(Document member) {
        String name = member.getString(UserFields.NAME);
        return name == null || name.isEmpty() ? String.valueOf(member.getString(UserFields.USERNAME)) : name;
    }

    private MongoCollection<Document> collection(String name) {
        return database.getCollection(name);
    }
}
