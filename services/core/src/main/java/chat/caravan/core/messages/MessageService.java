package chat.caravan.core.messages;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.pipeline.MessagePipeline;
import chat.caravan.core.pipeline.PipelineHeaders;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Sending, editing, deleting and annotating messages with Rocket.Chat's permission rules, used alike by the REST
 * chat.* endpoints and the DDP methods.
 */
@Component
public class MessageService {

    private static final Pattern EMOJI = Pattern.compile("^:?[a-z0-9_+\\-]{1,64}:?$");

    private final RoomStore store;
    private final MessageWriter writer;
    private final Authorization authorization;
    private final Settings settings;
    private final BusClient bus;
    private final MessageContent content;
    private final ThreadService threads;
    private final MessageCustomFields customFields;
    private final MessagePipeline pipeline;
    private final MessageQuotes quotes;

    public MessageService(RoomStore store, MessageWriter writer, Authorization authorization, Settings settings,
            BusClient bus, MessageContent content, ThreadService threads, MessageCustomFields customFields,
            MessagePipeline pipeline, MessageQuotes quotes) {
        this.quotes = quotes;
        this.pipeline = pipeline;
        this.threads = threads;
        this.customFields = customFields;
        this.store = store;
        this.writer = writer;
        this.authorization = authorization;
        this.settings = settings;
        this.bus = bus;
        this.content = content;
    }

    /**
     * Sends {@code message} (fields from the client: {@code _id?, msg, tmid?, tshow?, alias?, emoji?, avatar?,
     * attachments?}) to room {@code rid}. A client {@code _id} that already exists inserts nothing.
     */
    public Document send(Caller caller, String rid, JsonNode message) {
        return send(caller, rid, message, null);
    }

    /** As {@link #send(Caller, String, JsonNode)}; {@code previewUrls}, when given, are the only links to preview. */
    public Document send(Caller caller, String rid, JsonNode message, List<String> previewUrls) {
        return send(caller, rid, message, previewUrls, null, false);
    }

    /**
     * Rocket.Chat's sendMessage method (chat.sendMessage, DDP sendMessage; file messages go the same way): as
     * {@link #send(Caller, String, JsonNode, List)}, and in an encrypted room, when {@code E2E_Enable} is on and
     * {@code E2E_Allow_Unencrypted_Messages} off, only an encrypted message ({@code t: "e2e"}) is taken.
     * chat.postMessage and webhooks do not go through it in Rocket.Chat, and do not here.
     */
    public Document sendMessage(Caller caller, String rid, JsonNode message, List<String> previewUrls) {
        return send(caller, rid, message, previewUrls, null, true);
    }

    /**
     * A file message: as {@link #send(Caller, String, JsonNode)}, with the server-built {@code file}, {@code files} and
     * {@code attachments} of an upload, which are not the client's to write.
     */
    public Document sendFiles(Caller caller, String rid, JsonNode message, Document fileFields) {
        return send(caller, rid, message, null, fileFields, true);
    }

    /**
     * A webhook's message (incoming, or an outgoing webhook's reply): as {@link #send(Caller, String, JsonNode)}, with
     * {@code alias}, {@code avatar}, {@code emoji}, {@code bot} and {@code groupable} set by the integration.
     */
    public Document sendFromIntegration(Caller caller, String rid, JsonNode message, Document integrationFields) {
        return send(caller, rid, message, null, integrationFields, false);
    }

    private Document send(Caller caller, String rid, JsonNode message, List<String> previewUrls, Document fileFields,
            boolean encryptionEnforced) {
        String text = message.path("msg").isTextual() ? message.get("msg").asText() : "";
        if (message.has("msg") && !message.get("msg").isTextual() && !message.get("msg").isNull()) {
            throw CaravanException.invalidParams("must be string 'msg'");
        }
        int max = settings.integer("Message_MaxAllowedSize", 5000);
        if (text.length() > max) {
            throw CaravanException.plain("error-message-size-exceeded");
        }
        boolean encrypted = E2E.equals(message.path(MessageFields.TYPE).asText(null));
        if (message.hasNonNull(MessageFields.TYPE) && !encrypted) {
            throw CaravanException.coded("error-invalid-message", "Invalid message");
        }
        if (message.path("tshow").asBoolean(false) && !message.hasNonNull("tmid")) {
            throw CaravanException.coded("invalid-params", "tshow provided but missing tmid", Map.of("method", "sendMessage"));
        }
        if (message.hasNonNull("tmid") && !threads.enabled()) {
            throw CaravanException.coded("error-not-allowed", "not-allowed", Map.of("method", "sendMessage"));
        }
        String clientId = message.path("_id").isTextual() ? message.get("_id").asText() : null;
        if (clientId != null) {
            if (clientId.isBlank() || clientId.length() > 64) {
                throw CaravanException.invalidParams("must be a valid id '_id'");
            }
        }
        // the decision carries the room as it read it: no second read of the room for the send
        JsonNode permitted = authorization.canSendMessage(caller.id(), rid);
        Document room = permitted != null && permitted.isObject() && rid.equals(permitted.path("_id").asText(null))
                ? Document.parse(permitted.toString()) : null;
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "Invalid room");
        }
        if (encryptionEnforced && !encrypted && Boolean.TRUE.equals(room.getBoolean(RoomFields.ENCRYPTED))
                && settings.bool("E2E_Enable", false) && !settings.bool("E2E_Allow_Unencrypted_Messages", true)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed to send un-encrypted messages in an encrypted room",
                    Map.of("method", "sendMessage"));
        }
        if (clientId != null) {
            Document retried = retriedSend(caller, rid, clientId);
            if (retried != null) {
                return retried;
            }
        }
        Document doc = new Document();
        if (clientId != null) {
            doc.put(MessageFields.ID, clientId);
        }
        doc.put(MessageFields.TEXT, text.strip());
        doc.put(MessageFields.URLS, MessageWriter.urls(text, previewUrls, settings.string("Site_Url", "")));
        if (message.hasNonNull("tmid")) {
            Document parent = store.messages().find(Filters.and(Filters.eq("_id", message.get("tmid").asText()),
                    Filters.eq(MessageFields.ROOM_ID, rid))).first();
            if (parent == null) {
                throw CaravanException.coded("error-invalid-message", "Invalid thread parent");
            }
            // no nested threads: a reply to a reply joins the thread of the message replied to
            String threadId = parent.getString(MessageFields.THREAD_ID);
            doc.put(MessageFields.THREAD_ID, threadId != null ? threadId : parent.getString("_id"));
            if (message.path("tshow").asBoolean(false)) {
                doc.put(MessageFields.THREAD_SHOW, true);
            }
        }
        for (String field : List.of(MessageFields.ALIAS, MessageFields.AVATAR)) {
            if (message.hasNonNull(field)) {
                if (!authorization.hasPermission(caller.id(), "message-impersonate", rid)) {
                    throw CaravanException.plain("Not enough permission");
                }
                doc.put(field, text(message, field, 256));
            }
        }
        if (message.hasNonNull(MessageFields.EMOJI)) {
            doc.put(MessageFields.EMOJI, text(message, MessageFields.EMOJI, 64));
        }
        // Rocket.Chat takes a plain "text" beside "msg" (the REST clients' name for it) and keeps it as sent
        if (message.hasNonNull(MessageFields.PLAIN_TEXT)) {
            doc.put(MessageFields.PLAIN_TEXT, text(message, MessageFields.PLAIN_TEXT, max));
        }
        if (encrypted) {
            encryptedFields(message, doc, max);
        }
        if (message.hasNonNull(MessageFields.ATTACHMENTS)) {
            doc.put(MessageFields.ATTACHMENTS, content.attachments(message.get(MessageFields.ATTACHMENTS), max));
        }
        if (message.hasNonNull(MessageFields.CUSTOM_FIELDS)) {
            doc.put(MessageFields.CUSTOM_FIELDS, customFields.validated(message.get(MessageFields.CUSTOM_FIELDS)));
        }
        doc.put(MessageFields.ATTACHMENTS, quotes.rebuild(doc.getList(MessageFields.ATTACHMENTS, Document.class),
                doc.getList(MessageFields.URLS, Document.class), caller.id()));
        if (fileFields != null) {
            doc.putAll(fileFields);
        }
        content.requireWithinBound(doc, "sendMessage");
        try {
            return writer.insertUserMessage(room, caller.user(), doc);
        } catch (MongoWriteException e) {
            if (clientId == null || e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // the same id sent twice at once: the other send won
            Document retried = retriedSend(caller, rid, clientId);
            if (retried == null) {
                throw duplicateId();
            }
            return retried;
        }
    }

    /**
     * A client {@code _id} that already exists: Meteor retries a send with the same id, which answers the message it
     * stored, but only to its author in the same room; any other existing id is refused without a word of the message.
     */
    private Document retriedSend(Caller caller, String rid, String clientId) {
        Document existing = store.messages().find(Filters.eq("_id", clientId)).first();
        if (existing == null) {
            return null;
        }
        Document author = existing.get(MessageFields.USER, Document.class);
        if (rid.equals(existing.getString(MessageFields.ROOM_ID)) && author != null
                && caller.id().equals(author.getString("_id"))) {
            return existing;
        }
        throw duplicateId();
    }

    private static CaravanException duplicateId() {
        return CaravanException.coded("error-message-already-exists", "A message with this _id already exists");
    }

    public Document update(Caller caller, String rid, String msgId, String text) {
        return update(caller, rid, msgId, text, null, null, null);
    }

    public Document update(Caller caller, String rid, String msgId, String text, JsonNode attachments, JsonNode newCustomFields) {
        return update(caller, rid, msgId, text, attachments, newCustomFields, null);
    }

    /**
     * As {@link #update(Caller, String, String, String)}, replacing the attachments (DDP updateMessage) and the
     * custom fields too when given. The same text with no custom fields changes nothing, as in Rocket.Chat.
     */
    public Document update(Caller caller, String rid, String msgId, String text, JsonNode attachments, JsonNode newCustomFields,
            List<String> previewUrls) {
        Document message = existing(msgId);
        if (rid != null && !rid.equals(message.getString(MessageFields.ROOM_ID))) {
            throw CaravanException.plain("The room id provided does not match where the message is from.");
        }
        // Rocket.Chat edits only where the editor may post: a global edit-message does not reach into a private room
        if (!authorization.canAccessRoom(caller.id(), message.getString(MessageFields.ROOM_ID))) {
            throw CaravanException.coded("error-action-not-allowed", "Message editing not allowed");
        }
        if (text == null) {
            throw CaravanException.invalidParams("must have required property 'text'");
        }
        boolean customFieldsGiven = newCustomFields != null && !newCustomFields.isNull();
        if (text.equals(message.getString(MessageFields.TEXT)) && !customFieldsGiven && previewUrls == null
                && (attachments == null || attachments.isNull())) {
            return message;
        }
        if (text.length() > settings.integer("Message_MaxAllowedSize", 5000)) {
            throw CaravanException.plain("error-message-size-exceeded");
        }
        String room = message.getString(MessageFields.ROOM_ID);
        boolean own = caller.id().equals(message.get("u", Document.class).getString("_id"));
        boolean allowed = authorization.hasPermission(caller.id(), "edit-message", room)
                || (settings.bool("Message_AllowEditing", true) && own);
        if (!allowed) {
            throw CaravanException.coded("error-action-not-allowed", "Message editing not allowed");
        }
        int blockMinutes = settings.integer("Message_AllowEditing_BlockEditInMinutes", 0);
        if (blockMinutes > 0 && !authorization.hasPermission(caller.id(), "bypass-time-limit-edit-and-delete")
                && message.getDate(MessageFields.TS).getTime() + blockMinutes * 60_000L < System.currentTimeMillis()) {
            throw CaravanException.coded("error-message-editing-blocked", "Message editing is blocked");
        }
        List<Document> newAttachments = attachments == null || attachments.isNull() ? null
                : content.attachments(attachments, settings.integer("Message_MaxAllowedSize", 5000));
        Date now = new Date();
        Document roomDoc = store.room(room);
        Document editor = new Document("_id", caller.id()).append("username", caller.username());
        // the edited message as it would be stored, through message.beforeSave, which may change or refuse it
        Document edited = new Document(message);
        edited.put(MessageFields.TEXT, text);
        if (newAttachments != null) {
            edited.put(MessageFields.ATTACHMENTS, newAttachments);
        }
        if (customFieldsGiven) {
            edited.put(MessageFields.CUSTOM_FIELDS, customFields.validated(newCustomFields));
        }
        edited.put(MessageFields.EDITED_AT, now);
        edited.put(MessageFields.EDITED_BY, editor);
        edited = pipeline.beforeSave(PipelineHeaders.UPDATE, edited, roomDoc, caller.user(), message);
        text = edited.get(MessageFields.TEXT) instanceof String changed ? changed : "";
        if (newAttachments != null && edited.get(MessageFields.ATTACHMENTS) instanceof List<?>) {
            newAttachments = edited.getList(MessageFields.ATTACHMENTS, Document.class);
        }
        MessageWriter.Mentions mentions = writer.mentions(text, roomDoc);
        List<Document> urls = MessageWriter.urls(text, previewUrls, settings.string("Site_Url", ""));
        newAttachments = quotes.rebuild(newAttachments != null ? newAttachments
                : message.getList(MessageFields.ATTACHMENTS, Document.class), urls, caller.id());
        content.requireWithinBound(new Document(MessageFields.TEXT, text).append(MessageFields.ATTACHMENTS, newAttachments),
                "updateMessage");
        List<Bson> changes = new java.util.ArrayList<>(List.of(Updates.set(MessageFields.TEXT, text),
                Updates.set(MessageFields.URLS, urls),
                Updates.set(MessageFields.MENTIONS, mentions.documents()), Updates.set(MessageFields.EDITED_AT, now),
                Updates.set(MessageFields.EDITED_BY, editor),
                Updates.set(MessageFields.UPDATED_AT, now)));
        changes.add(Updates.set(MessageFields.ATTACHMENTS, newAttachments));
        Document parsed = new Document(MessageFields.TEXT, text).append(MessageFields.ATTACHMENTS, newAttachments);
        if (message.getString(MessageFields.TYPE) != null) {
            parsed.append(MessageFields.TYPE, message.getString(MessageFields.TYPE));
        }
        MessageWriter.parseMarkdown(parsed);
        changes.add(parsed.get(MessageFields.MARKDOWN) != null ? Updates.set(MessageFields.MARKDOWN, parsed.get(MessageFields.MARKDOWN))
                : Updates.unset(MessageFields.MARKDOWN));
        if (customFieldsGiven && edited.get(MessageFields.CUSTOM_FIELDS) != null) {
            changes.add(Updates.set(MessageFields.CUSTOM_FIELDS, edited.get(MessageFields.CUSTOM_FIELDS)));
        }
        store.messages().updateOne(Filters.eq("_id", msgId), Updates.combine(changes));
        Document updated = existing(msgId);
        if (roomDoc != null && roomDoc.get("lastMessage") instanceof Document last && msgId.equals(last.getString("_id"))) {
            store.rooms().updateOne(Filters.eq("_id", room), Updates.set("lastMessage", updated));
        }
        pipeline.afterSave(PipelineHeaders.UPDATE, updated, roomDoc, caller.user());
        return updated;
    }

    /** Deletes as Rocket.Chat does without message history: the message goes (a thread parent stays as "rm"). */
    public Map<String, Object> delete(Caller caller, String rid, String msgId) {
        Document message = existing(msgId);
        String room = message.getString(MessageFields.ROOM_ID);
        if (rid != null && !rid.equals(room)) {
            throw CaravanException.plain("The room id provided does not match where the message is from.");
        }
        boolean own = caller.id().equals(message.get("u", Document.class).getString("_id"));
        boolean allowed = authorization.hasPermission(caller.id(), "delete-message", room)
                || (own && settings.bool("Message_AllowDeleting", true)
                && authorization.hasPermission(caller.id(), "delete-own-message", room));
        if (!allowed) {
            throw CaravanException.coded("error-action-not-allowed", "Not allowed");
        }
        int blockMinutes = settings.integer("Message_AllowDeleting_BlockDeleteInMinutes", 0);
        if (blockMinutes > 0 && !authorization.hasPermission(caller.id(), "bypass-time-limit-edit-and-delete")
                && message.getDate(MessageFields.TS).getTime() + blockMinutes * 60_000L < System.currentTimeMillis()) {
            throw CaravanException.coded("error-message-deleting-blocked", "Message deleting is blocked");
        }
        Date now = new Date();
        if (message.getInteger(MessageFields.THREAD_COUNT, 0) > 0 || settings.bool("Message_ShowDeletedStatus", false)) {
            store.messages().updateOne(Filters.eq("_id", msgId), Updates.combine(Updates.set(MessageFields.TEXT, ""),
                    Updates.set(MessageFields.TYPE, "rm"), Updates.unset(MessageFields.ATTACHMENTS),
                    Updates.unset("file"), Updates.unset("files"),
                    Updates.set(MessageFields.EDITED_AT, now),
                    Updates.set(MessageFields.EDITED_BY, new Document("_id", caller.id()).append("username", caller.username())),
                    Updates.set(MessageFields.UPDATED_AT, now)));
        } else {
            store.deleteWithTrash(store.messages(), Filters.eq("_id", msgId));
            store.rooms().updateOne(Filters.eq("_id", room), Updates.inc("msgs", -1));
            bus.publish("stream.notify", Map.of("stream", "notify-room", "eventName", room + "/deleteMessage",
                    "args", List.of(Map.of("_id", msgId))));
        }
        if (message.getString(MessageFields.THREAD_ID) != null) {
            store.messages().updateOne(Filters.eq("_id", message.getString(MessageFields.THREAD_ID)),
                    Updates.combine(Updates.inc(MessageFields.THREAD_COUNT, -1), Updates.set(MessageFields.UPDATED_AT, now)));
        }
        writer.refreshLastMessage(room);
        // message.afterDelete: the message as it was (its files go with it there)
        pipeline.afterDelete(message, store.room(room), caller.user());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("_id", msgId);
        result.put("ts", String.valueOf(System.currentTimeMillis()));
        result.put("message", MessageWriter.ref(message));
        return result;
    }

    /** Toggles (or, with {@code shouldReact}, sets) the caller's reaction. */
    public void react(Caller caller, String messageId, String emoji, Boolean shouldReact) {
        if (emoji == null || !EMOJI.matcher(emoji).matches()) {
            throw CaravanException.coded("error-not-allowed", "Invalid emoji provided.");
        }
        String reaction = ":" + emoji.replace(":", "") + ":";
        Document message = store.messages().find(Filters.eq("_id", messageId)).first();
        if (message == null) {
            throw CaravanException.coded("error-message-not-found", "The provided \"messageId\" does not match any existing message.");
        }
        if (!authorization.canAccessRoom(caller.id(), message.getString(MessageFields.ROOM_ID))) {
            throw CaravanException.plain("not-authorized");
        }
        Document reactions = message.get(MessageFields.REACTIONS, Document.class);
        List<String> usernames = reactions != null && reactions.get(reaction) instanceof Document r
                ? r.getList("usernames", String.class, List.of()) : List.of();
        boolean has = usernames.contains(caller.username());
        boolean react = shouldReact != null ? shouldReact : !has;
        if (react == has) {
            return;
        }
        String field = MessageFields.REACTIONS + "." + reaction + ".usernames";
        Date now = new Date();
        if (react) {
            store.messages().updateOne(Filters.eq("_id", messageId), Updates.combine(Updates.addToSet(field, caller.username()),
                    Updates.set(MessageFields.UPDATED_AT, now)));
        } else if (usernames.size() <= 1) {
            Bson remove = reactions.size() <= 1 ? Updates.unset(MessageFields.REACTIONS)
                    : Updates.unset(MessageFields.REACTIONS + "." + reaction);
            store.messages().updateOne(Filters.eq("_id", messageId), Updates.combine(remove, Updates.set(MessageFields.UPDATED_AT, now)));
        } else {
            store.messages().updateOne(Filters.eq("_id", messageId), Updates.combine(Updates.pull(field, caller.username()),
                    Updates.set(MessageFields.UPDATED_AT, now)));
        }
        Document after = store.messages().find(Filters.eq("_id", messageId)).projection(new Document(MessageFields.REACTIONS, 1)).first();
        Object reactionsNow = after == null ? null : after.get(MessageFields.REACTIONS);
        writer.updateLastMessageCopy(message.getString(MessageFields.ROOM_ID), messageId, reactionsNow == null
                ? Updates.unset(RoomFields.LAST_MESSAGE + "." + MessageFields.REACTIONS)
                : Updates.set(RoomFields.LAST_MESSAGE + "." + MessageFields.REACTIONS, reactionsNow));
    }

    public Document pin(Caller caller, String messageId, boolean pin) {
        if (!settings.bool("Message_AllowPinning", true)) {
            throw CaravanException.coded("error-action-not-allowed", "Message pinning not allowed");
        }
        Document message = existing(messageId);
        String rid = message.getString(MessageFields.ROOM_ID);
        if (store.subscription(rid, caller.id()) == null) {
            throw CaravanException.coded("error-invalid-message", "Message you are pinning was not found");
        }
        if (!authorization.hasPermission(caller.id(), "pin-message", rid)) {
            throw CaravanException.plain("not-authorized");
        }
        Date now = new Date();
        Document pinnedBy = new Document("_id", caller.id()).append("username", caller.username());
        String lastMessage = RoomFields.LAST_MESSAGE + ".";
        writer.updateLastMessageCopy(rid, messageId, Updates.combine(Updates.set(lastMessage + MessageFields.PINNED, pin),
                Updates.set(lastMessage + MessageFields.PINNED_AT, now), Updates.set(lastMessage + MessageFields.PINNED_BY, pinnedBy)));
        if (!pin) {
            store.messages().updateOne(Filters.eq("_id", messageId), Updates.combine(Updates.set(MessageFields.PINNED, false),
                    Updates.set(MessageFields.UPDATED_AT, now)));
            return null;
        }
        store.messages().updateOne(Filters.eq("_id", messageId), Updates.combine(Updates.set(MessageFields.PINNED, true),
                Updates.set(MessageFields.PINNED_AT, now), Updates.set(MessageFields.PINNED_BY, pinnedBy),
                Updates.set(MessageFields.UPDATED_AT, now)));
        Document quote = new Document("text", message.getString(MessageFields.TEXT))
                .append("author_name", message.get("u", Document.class).getString("username"))
                .append("ts", message.getDate(MessageFields.TS))
                .append("attachments", message.getList(MessageFields.ATTACHMENTS, Document.class, List.of()));
        return writer.insertSystemMessage(store.room(rid), "message_pinned", "", caller.user(),
                new Document(MessageFields.ATTACHMENTS, List.of(quote)));
    }

    public void star(Caller caller, String messageId, boolean star) {
        if (!settings.bool("Message_AllowStarring", true)) {
            throw CaravanException.coded("error-action-not-allowed", "Message starring not allowed");
        }
        Document message = existing(messageId);
        if (store.subscription(message.getString(MessageFields.ROOM_ID), caller.id()) == null) {
            throw CaravanException.coded("error-invalid-message", "Invalid message");
        }
        Document entry = new Document("_id", caller.id());
        store.messages().updateOne(Filters.eq("_id", messageId), Updates.combine(
                star ? Updates.addToSet(MessageFields.STARRED, entry) : Updates.pull(MessageFields.STARRED, entry),
                Updates.set(MessageFields.UPDATED_AT, new Date())));
        String starred = RoomFields.LAST_MESSAGE + "." + MessageFields.STARRED;
        writer.updateLastMessageCopy(message.getString(MessageFields.ROOM_ID), messageId,
                star ? Updates.addToSet(starred, entry) : Updates.pull(starred, entry));
    }

    public void ignoreUser(Caller caller, String rid, String userId, boolean ignore) {
        Document subscription = store.subscription(rid, caller.id());
        // both must be members: one only ignores someone in a room they share
        if (subscription == null || store.subscription(rid, userId) == null) {
            throw CaravanException.coded("error-invalid-subscription", "Invalid subscription");
        }
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(
                ignore ? Updates.addToSet(SubscriptionFields.IGNORED, userId) : Updates.pull(SubscriptionFields.IGNORED, userId),
                Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
    }

    public Document existing(String msgId) {
        if (msgId == null || msgId.isBlank()) {
            throw CaravanException.invalidParams("must have required property 'msgId'");
        }
        Document message = store.messages().find(Filters.eq("_id", msgId)).first();
        if (message == null) {
            throw CaravanException.plain("No message found with the id of \"" + msgId + "\".");
        }
        return message;
    }

    /**
     * An end-to-end encrypted message as the clients send it: {@code t: "e2e"}, its state {@code e2e} ("pending" until
     * the client has encrypted it, then "done"), the ciphertext in {@code msg} or {@code content: {algorithm,
     * ciphertext}}, and the mentions the clients could read before encrypting ({@code e2eMentions}).
     */
    private static void encryptedFields(JsonNode message, Document doc, int max) {
        doc.put(MessageFields.TYPE, E2E);
        String state = message.path(MessageFields.E2E_STATE).asText("pending");
        if (!List.of("pending", "done").contains(state)) {
            throw CaravanException.invalidParams("must be \"pending\" or \"done\" 'e2e'");
        }
        doc.put(MessageFields.E2E_STATE, state);
        JsonNode content = message.get(MessageFields.E2E_CONTENT);
        if (content != null && !content.isNull()) {
            if (!content.isObject() || !content.path("algorithm").isTextual() || !content.path("ciphertext").isTextual()) {
                throw CaravanException.invalidParams("must have string 'algorithm' and 'ciphertext' 'content'");
            }
            doc.put(MessageFields.E2E_CONTENT, new Document("algorithm", text(content, "algorithm", 64))
                    .append("ciphertext", text(content, "ciphertext", max * 4)));
        }
        JsonNode mentions = message.get(MessageFields.E2E_MENTIONS);
        if (mentions != null && mentions.isObject()) {
            Document kept = new Document();
            for (String kind : List.of("e2eUserMentions", "e2eChannelMentions")) {
                List<String> names = new java.util.ArrayList<>();
                mentions.path(kind).forEach(name -> {
                    if (name.isTextual() && names.size() < 100) {
                        names.add(name.asText());
                    }
                });
                kept.put(kind, names);
            }
            doc.put(MessageFields.E2E_MENTIONS, kept);
        }
    }

    private static String text(JsonNode node, String field, int max) {
        JsonNode value = node.get(field);
        if (!value.isTextual() || value.asText().length() > max) {
            throw CaravanException.invalidParams("must be string '" + field + "'");
        }
        return value.asText();
    }

    private static final String E2E = "e2e";

    static String newId() {
        return Ids.random();
    }
}
