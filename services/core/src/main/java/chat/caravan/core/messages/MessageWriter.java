package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.mongo.WriteDurability;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.messages.markdown.MessageMarkdown;
import chat.caravan.core.pipeline.MessagePipeline;
import chat.caravan.core.pipeline.PipelineHeaders;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Writes messages and keeps the room and the memberships consistent with them, as Rocket.Chat does: the room's
 * {@code msgs}, {@code lm} and {@code lastMessage}; other members' {@code unread}, {@code alert}, mention counters;
 * a thread parent's {@code tcount}, {@code tlm}, {@code replies}.
 */
@Component
public class MessageWriter {

    private static final Pattern MENTION = Pattern.compile("(?:^|[\\s(>])@([0-9a-zA-Z\\-_.]+)");
    private static final Pattern CHANNEL = Pattern.compile("(?:^|[\\s(>])#([0-9a-zA-Z\\-_.]+)");
    private static final String ALL_MESSAGES = "all_messages";
    private static final String USER_MENTIONS_ONLY = "user_mentions_only";
    private static final String GROUP_MENTIONS_ONLY = "group_mentions_only";
    private static final String USER_AND_GROUP_MENTIONS_ONLY = "user_and_group_mentions_only";
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+");

    private final RoomStore store;
    private final MessagePipeline pipeline;
    private final WriteDurability durability;
    private final Settings settings;
    // a message's writes (the message, the room, the memberships, the thread parent) are synced once, when it is done
    private final MongoCollection<Document> deferredMessages;
    private final MongoCollection<Document> deferredRooms;
    private final MongoCollection<Document> deferredSubscriptions;

    public MessageWriter(RoomStore store, MessagePipeline pipeline, WriteDurability durability, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.pipeline = pipeline;
        this.durability = durability;
        this.deferredMessages = durability.deferred(store.messages());
        this.deferredRooms = durability.deferred(store.rooms());
        this.deferredSubscriptions = durability.deferred(store.subscriptions());
    }

    /** A user as messages embed it. */
    public static Document author(Document user) {
        Document author = new Document("_id", user.getString(UserFields.ID)).append("username", user.getString(UserFields.USERNAME));
        if (user.getString(UserFields.NAME) != null) {
            author.append("name", user.getString(UserFields.NAME));
        }
        return author;
    }

    /**
     * Rocket.Chat's {@code md}, the parsed tree of a non-empty text, and {@code descriptionMd} of the first
     * attachment's description; never for an encrypted (e2e or OTR) message, whose text is ciphertext.
     */
    public static void parseMarkdown(Document message) {
        String type = message.getString(MessageFields.TYPE);
        if ("e2e".equals(type) || (type != null && type.startsWith("otr"))) {
            return;
        }
        String text = message.getString(MessageFields.TEXT);
        if (text != null && !text.isEmpty()) {
            message.put(MessageFields.MARKDOWN, MessageMarkdown.parse(text));
        } else {
            message.remove(MessageFields.MARKDOWN);
        }
        if (message.get(MessageFields.ATTACHMENTS) instanceof List<?> attachments && !attachments.isEmpty()
                && attachments.get(0) instanceof Map<?, ?> first && first.get("description") instanceof String description
                && !description.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> attachment = (Map<String, Object>) first;
            attachment.put("descriptionMd", MessageMarkdown.parse(description));
        }
    }

    /**
     * Stores a user's message (fields already validated) through the message pipeline: message.beforeSave may change
     * or refuse it, message.afterSave counts it in the room, the thread parent and the memberships ({@link #count}).
     */
    public Document insertUserMessage(Document room, Document user, Document message) {
        Date now = new Date();
        String rid = room.getString(RoomFields.ID);
        message.putIfAbsent(MessageFields.ID, Ids.random());
        message.put(MessageFields.ROOM_ID, rid);
        message.putIfAbsent(MessageFields.TEXT, "");
        message.put(MessageFields.TS, now);
        message.put(MessageFields.USER, author(user));
        message.put(MessageFields.UPDATED_AT, now);
        message = pipeline.beforeSave(PipelineHeaders.SEND, message, room, user, null);
        // the room, author and time are the server's: a step changes what is said, not where or by whom
        message.putIfAbsent(MessageFields.ID, Ids.random());
        message.put(MessageFields.ROOM_ID, rid);
        message.put(MessageFields.TS, now);
        message.put(MessageFields.USER, author(user));
        String text = message.get(MessageFields.TEXT) instanceof String s ? s : "";
        message.put(MessageFields.TEXT, text);
        message.put(MessageFields.MENTIONS, mentions(text, room).documents());
        message.put(MessageFields.CHANNELS, channels(text));
        message.putIfAbsent(MessageFields.URLS, urls(text, null, null));
        message.putIfAbsent(MessageFields.ATTACHMENTS, List.of());
        parseMarkdown(message);
        deferredMessages.insertOne(message);
        pipeline.afterSave(PipelineHeaders.SEND, message, room, user);
        durability.sync();
        return message;
    }

    /** A system message ({@code uj}, {@code ul}, {@code r}, ...) by {@code actor}, counted like any message. */
    public Document insertSystemMessage(Document room, String type, String text, Document actor, Document extra) {
        Date now = new Date();
        Document message = new Document(MessageFields.ID, Ids.random())
                .append(MessageFields.TYPE, type)
                .append(MessageFields.ROOM_ID, room.getString(RoomFields.ID))
                .append(MessageFields.TS, now)
                .append(MessageFields.TEXT, text == null ? "" : text)
                .append(MessageFields.USER, author(actor))
                .append(MessageFields.GROUPABLE, false)
                .append(MessageFields.UPDATED_AT, now);
        if (extra != null) {
            message.putAll(extra);
        }
        deferredMessages.insertOne(message);
        pipeline.afterSave(PipelineHeaders.SYSTEM, message, room, actor);
        durability.sync();
        return message;
    }

    /**
     * Pipeline step (message.afterSave): counts a new message, as Rocket.Chat's after-save callbacks do: the room's
     * {@code msgs}; for a user's message also {@code lm}, {@code lastMessage}, the members' unread and mention
     * counters, a thread parent's and a discussion's counts. An edit counts nothing.
     */
    public void count(Exchange exchange) {
        String event = exchange.getIn().getHeader(PipelineHeaders.EVENT, String.class);
        Document message = MessagePipeline.asDocument(exchange.getIn().getBody());
        Document room = MessagePipeline.asDocument(exchange.getIn().getHeader(PipelineHeaders.ROOM));
        if (message == null || room == null) {
            return;
        }
        if (PipelineHeaders.SEND.equals(event)) {
            Document author = MessagePipeline.asDocument(message.get(MessageFields.USER));
            afterInsert(room, message, author == null ? null : author.getString("_id"), mentionsOf(message));
        } else if (PipelineHeaders.SYSTEM.equals(event)) {
            // as Rocket.Chat's saveSystemMessage: counted, but the room's last message stays the last user message
            deferredRooms.updateOne(Filters.eq("_id", room.getString(RoomFields.ID)), Updates.combine(
                    Updates.inc(RoomFields.MSGS, 1), Updates.set(RoomFields.UPDATED_AT, message.getDate(MessageFields.TS))));
        }
    }

    /** The mentions a stored message carries (its {@code mentions}: users, and @all / @here). */
    private static Mentions mentionsOf(Document message) {
        List<Document> documents = new ArrayList<>();
        List<String> userIds = new ArrayList<>();
        boolean everyone = false;
        if (message.get(MessageFields.MENTIONS) instanceof List<?> list) {
            for (Object entry : list) {
                Document mention = MessagePipeline.asDocument(entry);
                String id = mention == null ? null : mention.getString("_id");
                if (id == null) {
                    continue;
                }
                documents.add(mention);
                if (id.equals("all") || id.equals("here")) {
                    everyone = true;
                } else {
                    userIds.add(id);
                }
            }
        }
        return new Mentions(documents, userIds, everyone);
    }

    private void afterInsert(Document room, Document message, String senderId, Mentions mentions) {
        Date now = message.getDate(MessageFields.TS);
        String rid = room.getString(RoomFields.ID);
        String tmid = message.getString(MessageFields.THREAD_ID);
        boolean visibleInRoom = tmid == null || Boolean.TRUE.equals(message.getBoolean(MessageFields.THREAD_SHOW));
        List<Bson> roomUpdate = new ArrayList<>(List.of(Updates.inc(RoomFields.MSGS, 1), Updates.set(RoomFields.UPDATED_AT, now)));
        if (visibleInRoom) {
            roomUpdate.add(Updates.set(RoomFields.LAST_MESSAGE_AT, now));
            roomUpdate.add(Updates.set(RoomFields.LAST_MESSAGE, message));
        }
        deferredRooms.updateOne(Filters.eq("_id", rid), Updates.combine(roomUpdate));
        if (tmid != null) {
            // a thread reply counts for the thread's followers, not in the room's unread counters
            threadReplied(room, tmid, senderId, mentions, now);
            return;
        }
        if (room.getString(RoomFields.PARENT_ROOM_ID) != null) {
            discussionReplied(rid, now);
        }
        countForMembers(room, message, senderId, mentions, now);
    }

    /**
     * The members' side of a new message, as Rocket.Chat counts it under its {@code Unread_Count} settings: the
     * mentioned (and those whose highlight words it contains) get a user mention; {@code @all} or {@code @here} gives
     * everyone else a group mention (Rocket.Chat drops the group mention when a message also names someone; here each
     * member counts the message once, by the mention that concerns them); {@code unread} counts what the room type's setting says
     * ({@code Unread_Count}, by default only mentions in channels and groups; {@code Unread_Count_DM}, by default every
     * message in direct rooms); every other member is alerted and the room opened for them. Only memberships whose
     * counters or flags change are written, so a busy room whose members already have it alerted costs one write (the
     * sender's) per message, not one per member. The sender has read the room up to their own message.
     */
    private void countForMembers(Document room, Document message, String senderId, Mentions mentions, Date now) {
        String rid = room.getString(RoomFields.ID);
        String type = room.getString(RoomFields.TYPE);
        boolean everyone = mentions.everyone();
        Set<String> mentioned = new LinkedHashSet<>(mentions.userIds());
        mentioned.addAll(highlighted(rid, message));
        mentioned.remove(senderId);
        String unreadCount = unreadCountSetting(type);
        Bson inRoom = Filters.eq(SubscriptionFields.ROOM_ID, rid);
        Bson others = Filters.and(inRoom, Filters.ne(SubscriptionFields.USER_ID, senderId));
        Set<String> excluded = new LinkedHashSet<>(mentioned);
        excluded.add(senderId);
        Bson notNamed = Filters.and(inRoom, Filters.nin(SubscriptionFields.USER_ID, excluded));
        // every membership write of the message in one ordered bulk: one round trip to the store, not two to five
        List<WriteModel<Document>> writes = new ArrayList<>(5);
        if (!mentioned.isEmpty()) {
            boolean counts = alwaysCountsMentions(type) || Set.of(ALL_MESSAGES, USER_MENTIONS_ONLY, USER_AND_GROUP_MENTIONS_ONLY)
                    .contains(unreadCount);
            writes.add(new UpdateManyModel<>(Filters.and(inRoom, Filters.in(SubscriptionFields.USER_ID, mentioned)),
                    alerted(now, Updates.inc(SubscriptionFields.UNREAD, counts ? 1 : 0), Updates.inc(SubscriptionFields.USER_MENTIONS, 1))));
        }
        if (everyone) {
            boolean counts = alwaysCountsMentions(type) || Set.of(ALL_MESSAGES, GROUP_MENTIONS_ONLY, USER_AND_GROUP_MENTIONS_ONLY)
                    .contains(unreadCount);
            writes.add(new UpdateManyModel<>(notNamed,
                    alerted(now, Updates.inc(SubscriptionFields.UNREAD, counts ? 1 : 0), Updates.inc(SubscriptionFields.GROUP_MENTIONS, 1))));
        }
        if (!everyone && ALL_MESSAGES.equals(unreadCount)) {
            writes.add(new UpdateManyModel<>(notNamed, alerted(now, Updates.inc(SubscriptionFields.UNREAD, 1))));
        }
        // the rest are alerted and see the room again, written only where that changes something
        writes.add(new UpdateManyModel<>(Filters.and(others, Filters.or(Filters.ne(SubscriptionFields.ALERT, true),
                Filters.ne(SubscriptionFields.OPEN, true))), alerted(now)));
        // the sender has seen the room up to their own message
        writes.add(new UpdateOneModel<>(Filters.and(inRoom, Filters.eq(SubscriptionFields.USER_ID, senderId)), Updates.combine(
                Updates.set(SubscriptionFields.OPEN, true), Updates.set(SubscriptionFields.ALERT, false),
                Updates.set(SubscriptionFields.UNREAD, 0), Updates.set(SubscriptionFields.USER_MENTIONS, 0),
                Updates.set(SubscriptionFields.GROUP_MENTIONS, 0), Updates.set(SubscriptionFields.LAST_SEEN, now),
                Updates.set(SubscriptionFields.UPDATED_AT, now))));
        deferredSubscriptions.bulkWrite(writes);
    }

    private static Bson alerted(Date now, Bson... more) {
        List<Bson> updates = new ArrayList<>(List.of(Updates.set(SubscriptionFields.ALERT, true),
                Updates.set(SubscriptionFields.OPEN, true), Updates.set(SubscriptionFields.UPDATED_AT, now)));
        updates.addAll(List.of(more));
        return Updates.combine(updates);
    }

    /** Direct and omnichannel rooms count every mention as unread, whatever the setting. */
    private static boolean alwaysCountsMentions(String type) {
        return RoomFields.DIRECT.equals(type) || "l".equals(type);
    }

    /** The {@code Unread_Count} setting of a room type, with Rocket.Chat's defaults. */
    private String unreadCountSetting(String type) {
        if (RoomFields.DIRECT.equals(type)) {
            return settings.string("Unread_Count_DM", ALL_MESSAGES);
        }
        if ("l".equals(type)) {
            return settings.string("Unread_Count_Omni", ALL_MESSAGES);
        }
        return settings.string("Unread_Count", USER_AND_GROUP_MENTIONS_ONLY);
    }

    /** Members whose highlight words ({@code userHighlights}, case-insensitive) the message's text contains. */
    private List<String> highlighted(String rid, Document message) {
        String text = message.getString(MessageFields.TEXT);
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> users = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        for (Document subscription : store.subscriptions().find(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                        Filters.exists(SubscriptionFields.USER_HIGHLIGHTS + ".0")))
                .projection(new Document(SubscriptionFields.USER_HIGHLIGHTS, 1).append(SubscriptionFields.USER_ID, 1))) {
            List<?> words = subscription.getList(SubscriptionFields.USER_HIGHLIGHTS, Object.class, List.of());
            Document user = subscription.get("u", Document.class);
            if (user != null && words.stream().anyMatch(word -> word instanceof String w && !w.isBlank()
                    && lower.contains(w.toLowerCase(Locale.ROOT)))) {
                users.add(user.getString("_id"));
            }
        }
        return users;
    }

    /**
     * A reply in thread {@code tmid}, as Rocket.Chat counts it: the thread's followers are the parent's author on the
     * first reply (and a DM's members), afterwards those in its {@code replies}, plus who the reply mentions. They are
     * alerted and, but for the mentioned, get the thread as unread; the replier joins the followers; the parent
     * counts the reply ({@code tcount}, {@code tlm}); followers and replier get {@code lr}, the last reply time.
     */
    private void threadReplied(Document room, String tmid, String senderId, Mentions mentions, Date now) {
        Document parent = store.messages().find(Filters.eq("_id", tmid)).first();
        if (parent == null) {
            return;
        }
        String rid = room.getString(RoomFields.ID);
        List<String> oldFollowers = parent.getList(MessageFields.REPLIES, String.class, List.of());
        boolean firstReply = parent.getInteger(MessageFields.THREAD_COUNT, 0) == 0;
        Set<String> followers = new java.util.LinkedHashSet<>();
        if (firstReply) {
            if (parent.get(MessageFields.USER) instanceof Document author && author.getString("_id") != null) {
                followers.add(author.getString("_id"));
            }
            if (RoomFields.DIRECT.equals(room.getString(RoomFields.TYPE))) {
                followers.addAll(room.getList("uids", String.class, List.of()));
            }
        } else {
            followers.addAll(oldFollowers);
        }
        followers.addAll(mentions.userIds());
        followers.remove(senderId);

        Set<String> added = new java.util.LinkedHashSet<>(followers);
        added.add(senderId);
        deferredMessages.updateOne(Filters.eq("_id", tmid), Updates.combine(Updates.inc(MessageFields.THREAD_COUNT, 1),
                Updates.set(MessageFields.THREAD_LAST_MESSAGE, now), Updates.addEachToSet(MessageFields.REPLIES, new ArrayList<>(added)),
                Updates.set(MessageFields.UPDATED_AT, now)));

        Bson inRoom = Filters.eq(SubscriptionFields.ROOM_ID, rid);
        if (!followers.isEmpty()) {
            deferredSubscriptions.updateMany(Filters.and(inRoom, Filters.in(SubscriptionFields.USER_ID, followers)),
                    Updates.combine(Updates.set(SubscriptionFields.ALERT, true), Updates.set(SubscriptionFields.UPDATED_AT, now)));
        }
        deferredSubscriptions.updateMany(Filters.and(inRoom, Filters.in(SubscriptionFields.USER_ID, added)), Updates.combine(
                Updates.set(SubscriptionFields.OPEN, true), Updates.set(SubscriptionFields.LAST_REPLY, now),
                Updates.set(SubscriptionFields.UPDATED_AT, now)));

        List<String> unread = oldFollowers.stream().filter(uid -> !uid.equals(senderId) && !mentions.userIds().contains(uid)).toList();
        if (!unread.isEmpty()) {
            List<Bson> markUnread = new ArrayList<>(List.of(Updates.addToSet(SubscriptionFields.THREADS_UNREAD, tmid),
                    Updates.set(SubscriptionFields.UPDATED_AT, now)));
            if (mentions.everyone()) {
                markUnread.add(Updates.addToSet(SubscriptionFields.THREADS_UNREAD_GROUP, tmid));
            }
            deferredSubscriptions.updateMany(Filters.and(inRoom, Filters.in(SubscriptionFields.USER_ID, unread)),
                    Updates.combine(markUnread));
        }
        List<String> mentioned = mentions.userIds().stream().filter(uid -> !uid.equals(senderId)).toList();
        if (!mentioned.isEmpty()) {
            deferredSubscriptions.updateMany(Filters.and(inRoom, Filters.in(SubscriptionFields.USER_ID, mentioned)), Updates.combine(
                    Updates.addToSet(SubscriptionFields.THREADS_UNREAD, tmid), Updates.addToSet(SubscriptionFields.THREADS_UNREAD_USER, tmid),
                    Updates.set(SubscriptionFields.UPDATED_AT, now)));
        }
    }

    /** The discussion-created message in the parent shows the discussion's message count and last message time. */
    private void discussionReplied(String drid, Date now) {
        Document discussion = store.rooms().find(Filters.eq("_id", drid)).projection(new Document(RoomFields.MSGS, 1)).first();
        int count = discussion == null || discussion.getInteger(RoomFields.MSGS) == null ? 0 : discussion.getInteger(RoomFields.MSGS);
        deferredMessages.updateMany(Filters.eq(MessageFields.DISCUSSION_ID, drid), Updates.combine(
                Updates.set(MessageFields.DISCUSSION_COUNT, count), Updates.set(MessageFields.DISCUSSION_LAST_MESSAGE, now),
                Updates.set(MessageFields.UPDATED_AT, now)));
    }

    /** Recomputes the room's last visible user message (system messages are never the last message) after a delete. */
    public void refreshLastMessage(String rid) {
        Bson userMessage = Filters.exists(MessageFields.TYPE, false);
        Document last = store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, rid),
                Filters.ne(MessageFields.HIDDEN, true), Filters.or(Filters.eq(MessageFields.TYPE, "e2e"),
                        Filters.and(userMessage, Filters.exists(MessageFields.THREAD_ID, false)),
                        Filters.and(userMessage, Filters.eq(MessageFields.THREAD_SHOW, true)))))
                .sort(new Document(MessageFields.TS, -1)).first();
        Date now = new Date();
        store.rooms().updateOne(Filters.eq("_id", rid), last == null
                ? Updates.combine(Updates.unset(RoomFields.LAST_MESSAGE), Updates.set(RoomFields.UPDATED_AT, now))
                : Updates.combine(Updates.set(RoomFields.LAST_MESSAGE, last), Updates.set(RoomFields.UPDATED_AT, now)));
    }

    /**
     * Mirrors a change of a message (reactions, pin, stars) into its room's {@code lastMessage} when it is that
     * message, as Rocket.Chat keeps the copy current; {@code update} names fields of the message.
     */
    public void updateLastMessageCopy(String rid, String messageId, Bson update) {
        store.rooms().updateOne(Filters.and(Filters.eq("_id", rid), Filters.eq(RoomFields.LAST_MESSAGE + "._id", messageId)), update);
    }

    /** Who a text mentions: known usernames (as users), and @all / @here. */
    Mentions mentions(String text, Document room) {
        Set<String> usernames = new java.util.LinkedHashSet<>();
        Matcher matcher = MENTION.matcher(text);
        while (matcher.find()) {
            usernames.add(matcher.group(1));
        }
        List<Document> documents = new ArrayList<>();
        List<String> userIds = new ArrayList<>();
        boolean everyone = false;
        for (String username : usernames) {
            if (username.equals("all") || username.equals("here")) {
                documents.add(new Document("_id", username).append("username", username).append("type", "user"));
                everyone = true;
                continue;
            }
            Document user = store.users().find(Filters.eq(UserFields.USERNAME, username)).first();
            if (user != null) {
                documents.add(new Document("_id", user.getString("_id")).append("username", username)
                        .append("name", user.getString(UserFields.NAME)).append("type", "user"));
                userIds.add(user.getString("_id"));
            }
        }
        return new Mentions(documents, userIds, everyone);
    }

    private List<Document> channels(String text) {
        List<Document> channels = new ArrayList<>();
        Matcher matcher = CHANNEL.matcher(text);
        while (matcher.find()) {
            Document room = store.rooms().find(Filters.and(Filters.eq(RoomFields.NAME, matcher.group(1)),
                    Filters.eq(RoomFields.TYPE, RoomFields.CHANNEL))).first();
            if (room != null) {
                channels.add(new Document("_id", room.getString("_id")).append("name", room.getString(RoomFields.NAME)));
            }
        }
        return channels;
    }

    /**
     * The links of a text, each once, as Rocket.Chat lists them for previews. With {@code previewUrls} (what the
     * sender chose to preview) every other outside link is marked {@code ignoreParse}; links to this server always
     * stay previewable.
     */
    public static List<Document> urls(String text, List<String> previewUrls, String siteUrl) {
        Set<String> found = new java.util.LinkedHashSet<>();
        Matcher matcher = URL.matcher(text);
        while (matcher.find() && found.size() < 10) {
            found.add(matcher.group());
        }
        List<Document> urls = new ArrayList<>();
        for (String url : found) {
            Document entry = new Document("url", url).append("meta", new Document());
            if (previewUrls != null && !previewUrls.contains(url) && (siteUrl == null || siteUrl.isEmpty() || !url.contains(siteUrl))) {
                entry.append("ignoreParse", true);
            }
            urls.add(entry);
        }
        return urls;
    }

    /** The parsed mentions of a message. */
    public record Mentions(List<Document> documents, List<String> userIds, boolean everyone) {
    }

    static Map<String, Object> ref(Document message) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("_id", message.getString(MessageFields.ID));
        ref.put("rid", message.getString(MessageFields.ROOM_ID));
        ref.put("u", message.get(MessageFields.USER));
        return ref;
    }
}
