package chat.caravan.core.discussions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.messages.MessageWriter;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Discussions as Rocket.Chat has them: a room with {@code prid} (its parent), created with a random name and the
 * given display name, its members invited, and a {@code discussion-created} system message in the parent (or in the
 * room of the message it was started from) that links to it by {@code drid}.
 */
@Component
public class DiscussionService {

    /** What a discussion is created from: {@code prid} and/or {@code pmid}, its name, first reply and members. */
    public record Request(String prid, String pmid, String name, String reply, List<String> usernames, Boolean encrypted,
            String topic) {
    }

    private final RoomStore store;
    private final RoomService rooms;
    private final MessageWriter messages;
    private final Authorization authorization;
    private final Settings settings;

    public DiscussionService(RoomStore store, RoomService rooms, MessageWriter messages, Authorization authorization,
            Settings settings) {
        this.store = store;
        this.rooms = rooms;
        this.messages = messages;
        this.authorization = authorization;
        this.settings = settings;
    }

    /** The new discussion (or the existing one of that message) with {@code rid}, as Rocket.Chat answers it. */
    public Document create(Caller caller, Request request) {
        if (!settings.bool("Discussion_enabled", true)
                || !authorization.hasAtLeastOnePermission(caller.id(), List.of("start-discussion", "start-discussion-other-user"),
                request.prid())) {
            throw CaravanException.coded("error-action-not-allowed", "You are not allowed to create a discussion",
                    Map.of("method", "createDiscussion"));
        }
        String prid = request.prid();
        Document message = null;
        if (request.pmid() != null) {
            message = store.messages().find(Filters.eq(MessageFields.ID, request.pmid())).first();
            if (message == null) {
                throw CaravanException.coded("error-invalid-message", "Invalid message", Map.of("method", "DiscussionCreation"));
            }
            String messageRoom = message.getString(MessageFields.ROOM_ID);
            Document messageParent = store.room(messageRoom);
            if (messageParent != null && messageParent.getString(RoomFields.PARENT_ROOM_ID) != null) {
                messageParent = store.room(messageParent.getString(RoomFields.PARENT_ROOM_ID));
            }
            if (prid == null) {
                prid = messageRoom;
            } else if (messageParent == null || !prid.equals(messageParent.getString(RoomFields.ID))) {
                throw CaravanException.coded("error-invalid-arguments", "Root message room ID does not match parent room ID ",
                        Map.of("method", "DiscussionCreation"));
            }
        }
        if (prid == null) {
            throw CaravanException.coded("error-invalid-arguments", "Missing parent room ID", Map.of("method", "DiscussionCreation"));
        }
        Document parent = parentWhereCallerMayPost(caller, prid);
        if (parent.getString(RoomFields.PARENT_ROOM_ID) != null) {
            throw CaravanException.coded("error-nested-discussion", "Cannot create nested discussions",
                    Map.of("method", "DiscussionCreation"));
        }
        boolean encrypted = request.encrypted() != null ? request.encrypted() : Boolean.TRUE.equals(parent.getBoolean(RoomFields.ENCRYPTED));
        if (encrypted && request.reply() != null && !request.reply().isEmpty()) {
            throw CaravanException.coded("error-invalid-arguments", "Encrypted discussions must not receive an initial reply.",
                    Map.of("method", "DiscussionCreation"));
        }
        if (request.pmid() != null) {
            Document existing = store.rooms().find(Filters.and(Filters.eq(RoomFields.PARENT_ROOM_ID, prid),
                    Filters.eq("pmid", request.pmid()))).first();
            if (existing != null) {
                rooms.addMember(existing, caller.user(), null);
                return withRid(store.room(existing.getString(RoomFields.ID)));
            }
        }
        Set<String> invited = new LinkedHashSet<>();
        if (message != null) {
            invited.add(message.get(MessageFields.USER, Document.class).getString(UserFields.USERNAME));
        }
        invited.addAll(request.usernames());
        List<String> members = store.users().find(Filters.in(UserFields.USERNAME, invited))
                .map(u -> u.getString(UserFields.USERNAME)).into(new ArrayList<>());
        Document extra = new Document(RoomFields.FNAME, request.name());
        if (message != null) {
            extra.append(RoomFields.DESCRIPTION, Boolean.TRUE.equals(parent.getBoolean(RoomFields.ENCRYPTED)) ? ""
                    : message.getString(MessageFields.TEXT));
        }
        extra.append(RoomFields.TOPIC, request.topic() != null && !request.topic().isEmpty() ? request.topic()
                        : parent.getString(RoomFields.NAME))
                .append(RoomFields.PARENT_ROOM_ID, prid)
                .append(RoomFields.ENCRYPTED, encrypted);
        if (request.pmid() != null) {
            extra.append("pmid", request.pmid());
        }
        RoomKind kind = RoomFields.PRIVATE_GROUP.equals(discussionType(parent)) ? RoomKind.GROUP : RoomKind.CHANNEL;
        Document discussion = rooms.create(caller, kind, Ids.random(), members, false, false, extra);
        String drid = discussion.getString(RoomFields.ID);
        if (message != null) {
            Document attachment = attachment(message);
            messages.insertUserMessage(store.room(drid), caller.user(), new Document(MessageFields.TEXT, "")
                    .append(MessageFields.ATTACHMENTS, List.of(attachment)));
            messages.insertSystemMessage(store.room(message.getString(MessageFields.ROOM_ID)), "discussion-created", request.name(),
                    caller.user(), new Document(MessageFields.DISCUSSION_ID, drid).append(MessageFields.ATTACHMENTS, List.of(attachment)));
        } else {
            messages.insertSystemMessage(parent, "discussion-created", request.name(), caller.user(),
                    new Document(MessageFields.DISCUSSION_ID, drid));
        }
        if (request.reply() != null && !request.reply().isEmpty()) {
            messages.insertUserMessage(store.room(drid), caller.user(), new Document(MessageFields.TEXT, request.reply()));
        }
        return withRid(store.room(drid));
    }

    /** Rocket.Chat's getDiscussionType: a public channel's discussions are public unless it is in a private team. */
    private String discussionType(Document parent) {
        if (!RoomFields.CHANNEL.equals(parent.getString(RoomFields.TYPE))) {
            return RoomFields.PRIVATE_GROUP;
        }
        Document team = store.team(parent.getString(RoomFields.TEAM_ID));
        return team != null && Integer.valueOf(1).equals(team.getInteger("type")) ? RoomFields.PRIVATE_GROUP : RoomFields.CHANNEL;
    }

    private Document parentWhereCallerMayPost(Caller caller, String prid) {
        try {
            authorization.canSendMessage(caller.id(), prid);
        } catch (CaravanException e) {
            String code = e.errorType() != null ? e.errorType() : e.reason();
            throw new CaravanException(400, code, "", null);
        }
        return store.room(prid);
    }

    /** The message a discussion was started from, quoted as Rocket.Chat's attachMessage quotes it. */
    private static Document attachment(Document message) {
        Document author = message.get(MessageFields.USER, Document.class);
        Document attachment = new Document("text", message.getString(MessageFields.TEXT))
                .append("author_name", author == null ? null : author.getString(UserFields.USERNAME))
                .append("author_icon", author == null ? null : "/avatar/" + author.getString(UserFields.USERNAME))
                .append("ts", message.get(MessageFields.TS));
        if (message.get(MessageFields.ATTACHMENTS) != null) {
            attachment.append("attachments", message.get(MessageFields.ATTACHMENTS));
        }
        return attachment;
    }

    private static Document withRid(Document room) {
        Document answer = chat.caravan.core.rooms.RoomLookup.view(room);
        answer.put("rid", room.getString(RoomFields.ID));
        return answer;
    }
}
