package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.messages.MessageWriter;
import chat.caravan.core.pipeline.MessagePipeline;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Room lifecycle and membership with Rocket.Chat's rules and side effects: creating channels and groups, joining,
 * leaving, inviting, kicking, renaming, room settings, archiving and deleting.
 */
@Component
public class RoomService {

    static final int MAX_NAME = 100;

    private final RoomStore store;
    private final MessageWriter messages;
    private final Authorization authorization;
    private final Settings settings;
    private final RoomNames names;
    private final MessagePipeline pipeline;

    public RoomService(RoomStore store, MessageWriter messages, Authorization authorization, Settings settings,
            RoomNames names, MessagePipeline pipeline) {
        this.pipeline = pipeline;
        this.store = store;
        this.names = names;
        this.messages = messages;
        this.authorization = authorization;
        this.settings = settings;
    }

    /** Creates a channel or group with its creator as owner and the named members; no join messages. */
    public Document create(Caller caller, RoomKind kind, String name, List<String> memberUsernames, boolean readOnly,
            boolean excludeSelf) {
        // Rocket.Chat's createChannel and createPrivateGroup store customFields, {} when none are given
        return create(caller, kind, name, memberUsernames, readOnly, excludeSelf,
                new Document(RoomFields.CUSTOM_FIELDS, new Document()));
    }

    /**
     * Creates a room with Rocket.Chat's extraData stored on it: a discussion's {@code prid} (whose name is kept as
     * given, not made a unique handle), a {@code teamId} (kept only when that team exists), topic, fname, ....
     */
    public Document create(Caller caller, RoomKind kind, String name, List<String> memberUsernames, boolean readOnly,
            boolean excludeSelf, Document extraData) {
        Document extra = new Document(extraData);
        boolean discussion = extra.getString(RoomFields.PARENT_ROOM_ID) != null;
        String displayName = name == null ? null : name.trim();
        String roomName = discussion ? name : names.valid(name, null);
        String teamId = extra.getString(RoomFields.TEAM_ID);
        Document team = teamId == null ? null : store.team(teamId);
        extra.remove(RoomFields.TEAM_ID);
        List<Document> members = new ArrayList<>();
        if (!excludeSelf) {
            members.add(caller.user());
        }
        for (String username : memberUsernames) {
            Document member = store.users().find(Filters.eq(UserFields.USERNAME, username)).first();
            if (member == null) {
                // as Rocket.Chat's createRoom: a name that is nobody's (any more) adds no one
                continue;
            }
            if (members.stream().noneMatch(m -> m.getString("_id").equals(member.getString("_id")))) {
                members.add(member);
            }
        }
        Date now = new Date();
        Document room = new Document(RoomFields.ID, Ids.random())
                .append(RoomFields.FNAME, displayName)
                .append(RoomFields.UPDATED_AT, now);
        room.putAll(extra);
        if (RoomFields.PRIVATE_GROUP.equals(kind.type) && settings.bool("E2E_Enable", false)
                && settings.bool("E2E_Enabled_Default_PrivateRooms", false)) {
            room.putIfAbsent(RoomFields.ENCRYPTED, true);
        }
        room.append(RoomFields.TYPE, kind.type)
                .append(RoomFields.NAME, roomName)
                .append(RoomFields.CREATOR, MessageWriter.author(caller.user()))
                .append(RoomFields.TS, now)
                .append(RoomFields.MSGS, 0)
                .append(RoomFields.USERS_COUNT, members.size())
                .append(RoomFields.READ_ONLY, readOnly);
        room.putIfAbsent(RoomFields.DEFAULT, false);
        room.putIfAbsent(RoomFields.SYSTEM_MESSAGES, true);
        if (team != null) {
            room.append(RoomFields.TEAM_ID, team.getString("_id"));
        }
        try {
            store.rooms().insertOne(room);
        } catch (MongoWriteException e) {
            throw CaravanException.coded("error-duplicate-channel-name", "A channel with name '" + roomName + "' exists");
        }
        for (Document member : members) {
            boolean creator = member.getString("_id").equals(caller.id());
            Document subscription = newSubscription(room, member, now).append(SubscriptionFields.OPEN, true);
            if (creator) {
                subscription.append(SubscriptionFields.LAST_SEEN, now).append(SubscriptionFields.ROLES, List.of("owner"));
            }
            store.subscriptions().insertOne(subscription);
        }
        if (team != null && RoomFields.CHANNEL.equals(kind.type)) {
            Document teamMain = store.room(team.getString("roomId"));
            if (teamMain != null) {
                messages.insertSystemMessage(teamMain, "user-added-room-to-team", roomName, caller.user(), null);
            }
        }
        pipeline.roomCreated(room, caller.user());
        return room;
    }

    /** Adds a user who joins by themselves ({@code uj}) or is added by someone else ({@code au}). */
    public void addMember(Document room, Document user, Caller addedBy) {
        if (store.subscription(room.getString("_id"), user.getString("_id")) != null) {
            return;
        }
        Date now = new Date();
        Document subscription = newSubscription(room, user, now).append(SubscriptionFields.OPEN, true)
                .append(SubscriptionFields.ALERT, true).append(SubscriptionFields.UNREAD, 1)
                .append(SubscriptionFields.USER_MENTIONS, 1);
        try {
            store.subscriptions().insertOne(subscription);
        } catch (MongoWriteException e) {
            return;
        }
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(
                Updates.inc(RoomFields.USERS_COUNT, 1), Updates.set(RoomFields.UPDATED_AT, now)));
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.TEAM_MAIN)) && room.getString(RoomFields.TEAM_ID) != null) {
            store.addTeamMember(room.getString(RoomFields.TEAM_ID), user.getString("_id"),
                    addedBy == null ? user : addedBy.user(), null);
        }
        boolean self = addedBy == null || addedBy.id().equals(user.getString("_id"));
        messages.insertSystemMessage(room, self ? "uj" : "au", user.getString(UserFields.USERNAME),
                self ? user : addedBy.user(), null);
        pipeline.userJoined(room, user);
    }

    public void join(Caller caller, Document room) {
        join(caller, room, null);
    }

    /** Joins a channel; one with a join code needs it, unless the user may join without. */
    public void join(Caller caller, Document room, String joinCode) {
        requireNotArchived(room, RoomKind.CHANNEL);
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.JOIN_CODE_REQUIRED))
                && !authorization.hasPermission(caller.id(), "join-without-join-code")) {
            if (joinCode == null || joinCode.isEmpty()) {
                throw CaravanException.coded("error-code-required", "Code required", Map.of("method", "joinRoom"));
            }
            if (!joinCode.equals(room.getString(RoomFields.JOIN_CODE))) {
                throw CaravanException.coded("error-code-invalid", "Invalid code", Map.of("method", "joinRoom"));
            }
        }
        addMember(room, caller.user(), null);
    }

    /** Sets a channel's join code; a blank one removes it. */
    public Document setJoinCode(Caller caller, Document room, String joinCode) {
        requireEditRoom(caller, room);
        Date now = new Date();
        String rid = room.getString("_id");
        if (joinCode.trim().isEmpty()) {
            store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(Updates.set(RoomFields.JOIN_CODE_REQUIRED, false),
                    Updates.unset(RoomFields.JOIN_CODE), Updates.set(RoomFields.UPDATED_AT, now)));
        } else {
            store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(Updates.set(RoomFields.JOIN_CODE_REQUIRED, true),
                    Updates.set(RoomFields.JOIN_CODE, joinCode), Updates.set(RoomFields.UPDATED_AT, now)));
        }
        return store.room(rid);
    }

    /** Replaces the room's custom fields, on the room and on every membership of it. */
    public Document setCustomFields(Caller caller, Document room, Document customFields) {
        requireEditRoom(caller, room);
        return storeCustomFields(room.getString("_id"), customFields);
    }

    /** The custom fields a room is created with, or later given. */
    public Document storeCustomFields(String rid, Document customFields) {
        Date now = new Date();
        store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(Updates.set(RoomFields.CUSTOM_FIELDS, customFields),
                Updates.set(RoomFields.UPDATED_AT, now)));
        store.subscriptions().updateMany(Filters.eq(SubscriptionFields.ROOM_ID, rid), Updates.combine(
                Updates.set(SubscriptionFields.CUSTOM_FIELDS, customFields), Updates.set(SubscriptionFields.UPDATED_AT, now)));
        return store.room(rid);
    }

    /** Whether new users join the channel by default; deciding it is room administration. */
    public Document setDefault(Caller caller, Document room, boolean isDefault) {
        requireEditRoom(caller, room);
        if (!authorization.hasPermission(caller.id(), "view-room-administration")) {
            throw CaravanException.coded("error-action-not-allowed", "Viewing room administration is not allowed",
                    Map.of("method", "saveRoomSettings", "action", "Viewing_room_administration"));
        }
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(
                Updates.set(RoomFields.DEFAULT, isDefault), Updates.set(RoomFields.UPDATED_AT, new Date())));
        return store.room(room.getString("_id"));
    }

    /** The description (which Rocket.Chat's REST also calls purpose). */
    public void setDescription(Caller caller, Document room, String description) {
        saveText(caller, room, RoomFields.DESCRIPTION, description);
    }

    /**
     * A topic or description as Rocket.Chat's room settings save it: the same value, or an empty one on a room
     * without any, changes nothing; a change posts its system message.
     */
    public void saveText(Caller caller, Document room, String field, String value) {
        requireEditRoom(caller, room);
        String current = room.getString(field);
        if ((value.isEmpty() && (current == null || current.isEmpty())) || value.equals(current)) {
            return;
        }
        if (value.length() > 5000) {
            throw CaravanException.invalidParams("The " + field + " is too long");
        }
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(
                Updates.set(field, value), Updates.set(RoomFields.UPDATED_AT, new Date())));
        messages.insertSystemMessage(room, "room_changed_" + field, value, caller.user(), null);
    }

    /** Adds every user (or every active one) who is not yet a member, each as if they had joined. */
    public void addAll(Caller caller, Document room, boolean activeUsersOnly) {
        if (!authorization.hasPermission(caller.id(), "add-all-to-room")) {
            throw new CaravanException(400, "403", "Access to Method Forbidden", Map.of("method", "addAllToRoom"));
        }
        List<org.bson.conversions.Bson> filter = new ArrayList<>(List.of(Filters.exists(UserFields.USERNAME)));
        if (activeUsersOnly) {
            filter.add(Filters.eq("active", true));
        }
        if (store.users().countDocuments(Filters.and(filter)) > settings.integer("API_User_Limit", 500)) {
            throw CaravanException.coded("error-user-limit-exceeded", "User Limit Exceeded", Map.of("method", "addAllToRoom"));
        }
        for (Document user : store.users().find(Filters.and(filter))) {
            addMember(store.room(room.getString("_id")), user, null);
        }
    }

    public void leave(Caller caller, Document room, RoomKind kind) {
        if (!authorization.hasPermission(caller.id(), kind.leavePermission)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        Document subscription = store.subscription(room.getString("_id"), caller.id());
        if (subscription == null) {
            throw CaravanException.coded("error-user-not-in-room", "You are not in this room");
        }
        requireNotLastOwner(room, subscription);
        removeMember(room, caller.user(), "ul", caller.user());
    }

    /**
     * Removes another user, as Rocket.Chat's removeUserFromRoom: remove-user in the room; a caller without
     * kick-user-from-any-*-room must be able to see the room and can remove only its members; the last owner stays.
     */
    public void kick(Caller caller, Document room, Document user, RoomKind kind) {
        String rid = room.getString("_id");
        if (!authorization.hasPermission(caller.id(), "remove-user", rid)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "removeUserFromRoom"));
        }
        boolean kickAny = authorization.hasPermission(caller.id(), kind.kickAnyPermission);
        if (!kickAny && !authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-room-not-found",
                    "The required \"roomId\" or \"roomName\" param provided does not match any group");
        }
        Document subscription = store.subscription(rid, user.getString("_id"));
        if (subscription == null) {
            if (kickAny) {
                return;
            }
            throw CaravanException.coded("error-user-not-in-room", "User is not in this room", Map.of("method", "removeUserFromRoom"));
        }
        if (subscription.getList(SubscriptionFields.ROLES, String.class, List.of()).contains("owner")
                && store.subscriptions().countDocuments(Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                Filters.eq(SubscriptionFields.ROLES, "owner"))) == 1) {
            throw CaravanException.coded("error-you-are-last-owner",
                    "You are the last owner. Please set new owner before leaving the room.", Map.of("method", "removeUserFromRoom"));
        }
        removeMember(room, user, "ru", caller.user());
    }

    public void invite(Caller caller, Document room, List<Document> users, RoomKind kind) {
        String rid = room.getString("_id");
        boolean member = store.subscription(rid, caller.id()) != null;
        if (!(member && authorization.hasPermission(caller.id(), "add-user-to-joined-room", rid))
                && !authorization.hasPermission(caller.id(), kind.addAnyPermission)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        requireNotArchived(room, kind);
        for (Document user : users) {
            addMember(room, user, caller);
        }
    }

    /** Removes a membership (to the trash) and posts {@code ul} or {@code ru}. */
    public void removeMember(Document room, Document user, String messageType, Document actor) {
        String rid = room.getString("_id");
        store.deleteWithTrash(store.subscriptions(), Filters.and(Filters.eq(SubscriptionFields.ROOM_ID, rid),
                Filters.eq(SubscriptionFields.USER_ID, user.getString("_id"))));
        store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(Updates.inc(RoomFields.USERS_COUNT, -1),
                Updates.set(RoomFields.UPDATED_AT, new Date())));
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.TEAM_MAIN)) && room.getString(RoomFields.TEAM_ID) != null) {
            store.teamMembers().deleteOne(Filters.and(Filters.eq("teamId", room.getString(RoomFields.TEAM_ID)),
                    Filters.eq("userId", user.getString("_id"))));
        }
        messages.insertSystemMessage(room, messageType, user.getString(UserFields.USERNAME), actor, null);
        pipeline.userLeft(room, user);
    }

    public Document rename(Caller caller, Document room, String name) {
        requireEditRoom(caller, room);
        if (name == null || name.isBlank()) {
            throw CaravanException.plain("The bodyParam \"name\" is required");
        }
        if (name.equals(room.getString(RoomFields.NAME))) {
            throw CaravanException.plain("The channel name is the same as what it would be renamed to.");
        }
        validateName(name);
        if (store.rooms().find(Filters.and(Filters.regex(RoomFields.NAME, Pattern.compile("^" + Pattern.quote(name) + "$",
                Pattern.CASE_INSENSITIVE)), Filters.ne("_id", room.getString("_id")))).first() != null) {
            throw CaravanException.coded("error-duplicate-channel-name", "A channel with name '" + name + "' exists");
        }
        Date now = new Date();
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(Updates.set(RoomFields.NAME, name),
                Updates.set(RoomFields.FNAME, name), Updates.set(RoomFields.UPDATED_AT, now)));
        store.subscriptions().updateMany(Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")), Updates.combine(
                Updates.set(SubscriptionFields.NAME, name), Updates.set(SubscriptionFields.FNAME, name),
                Updates.set(SubscriptionFields.UPDATED_AT, now)));
        messages.insertSystemMessage(room, "r", name, caller.user(), null);
        return store.room(room.getString("_id"));
    }

    /** Topic, description or announcement: the value, and the system message Rocket.Chat posts for it. */
    public void setText(Caller caller, Document room, String field, String value, RoomKind kind) {
        requireEditRoom(caller, room);
        if (value == null) {
            throw CaravanException.plain("The bodyParam \"" + field + "\" is required");
        }
        if (value.length() > 5000) {
            throw CaravanException.invalidParams("The " + field + " is too long");
        }
        if (value.equals(room.getString(field))) {
            throw CaravanException.plain("The " + kind.key + " " + field + " is the same as what it would be changed to.");
        }
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(Updates.set(field, value),
                Updates.set(RoomFields.UPDATED_AT, new Date())));
        messages.insertSystemMessage(room, "room_changed_" + field, value, caller.user(), null);
    }

    public Document setReadOnly(Caller caller, Document room, boolean readOnly, RoomKind kind) {
        if (!authorization.hasPermission(caller.id(), "set-readonly", room.getString("_id"))) {
            throw CaravanException.coded("error-action-not-allowed", "Editing room is not allowed");
        }
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.READ_ONLY)) == readOnly) {
            throw CaravanException.plain("The " + kind.key + " read only setting is the same as what it would be changed to.");
        }
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(
                Updates.set(RoomFields.READ_ONLY, readOnly), Updates.set(RoomFields.UPDATED_AT, new Date())));
        messages.insertSystemMessage(room, readOnly ? "room-set-read-only" : "room-removed-read-only", "", caller.user(), null);
        return store.room(room.getString("_id"));
    }

    public Document setType(Caller caller, Document room, String type) {
        requireEditRoom(caller, room);
        if (!RoomFields.CHANNEL.equals(type) && !RoomFields.PRIVATE_GROUP.equals(type)) {
            throw CaravanException.coded("error-invalid-room-type", "Invalid room type " + type);
        }
        if (type.equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.plain("The room type is the same as what it would be changed to.");
        }
        Date now = new Date();
        store.rooms().updateOne(Filters.eq("_id", room.getString("_id")), Updates.combine(Updates.set(RoomFields.TYPE, type),
                Updates.set(RoomFields.UPDATED_AT, now)));
        store.subscriptions().updateMany(Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")), Updates.combine(
                Updates.set(SubscriptionFields.TYPE, type), Updates.set(SubscriptionFields.UPDATED_AT, now)));
        messages.insertSystemMessage(room, "room_changed_privacy", RoomFields.CHANNEL.equals(type) ? "public" : "private",
                caller.user(), null);
        return store.room(room.getString("_id"));
    }

    public void archive(Caller caller, Document room, RoomKind kind, boolean archive) {
        String rid = room.getString("_id");
        if (!authorization.hasPermission(caller.id(), archive ? "archive-room" : "unarchive-room", rid)) {
            throw CaravanException.coded("error-action-not-allowed", archive ? "Archiving room is not allowed"
                    : "Unarchiving room is not allowed");
        }
        boolean archived = Boolean.TRUE.equals(room.getBoolean(RoomFields.ARCHIVED));
        if (archive && archived) {
            requireNotArchived(room, kind);
        }
        if (!archive && !archived) {
            throw CaravanException.plain("The " + kind.noun() + ", " + room.getString(RoomFields.NAME) + ", is not archived");
        }
        Date now = new Date();
        store.rooms().updateOne(Filters.eq("_id", rid), Updates.combine(Updates.set(RoomFields.ARCHIVED, archive),
                Updates.set(RoomFields.UPDATED_AT, now)));
        store.subscriptions().updateMany(Filters.eq(SubscriptionFields.ROOM_ID, rid), Updates.combine(
                Updates.set(SubscriptionFields.ARCHIVED, archive), Updates.set(SubscriptionFields.OPEN, !archive),
                Updates.set(SubscriptionFields.UPDATED_AT, now)));
        messages.insertSystemMessage(room, archive ? "room-archived" : "room-unarchived", "", caller.user(), null);
        if (archive) {
            pipeline.roomArchived(room, caller.user());
        }
    }

    public void delete(Caller caller, Document room, String permission) {
        if (!authorization.hasPermission(caller.id(), permission, room.getString("_id"))) {
            throw new CaravanException(403, "error-unauthorized", "User does not have the permissions required for this action", null);
        }
        erase(room.getString("_id"));
    }

    /**
     * Deletes a room with its messages and memberships, then its discussions (Rocket.Chat's deleteRoom and its
     * DeleteDiscussionChain), and unlinks the {@code discussion-created} message that pointed at it.
     */
    public void erase(String rid) {
        store.deleteWithTrash(store.messages(), Filters.eq("rid", rid));
        store.deleteWithTrash(store.subscriptions(), Filters.eq(SubscriptionFields.ROOM_ID, rid));
        store.deleteWithTrash(store.rooms(), Filters.eq("_id", rid));
        for (String discussion : store.rooms().find(Filters.eq(RoomFields.PARENT_ROOM_ID, rid))
                .map(d -> d.getString("_id")).into(new ArrayList<>())) {
            erase(discussion);
        }
        store.messages().updateMany(Filters.eq(MessageFields.DISCUSSION_ID, rid), Updates.combine(
                Updates.unset(MessageFields.DISCUSSION_ID), Updates.unset(MessageFields.DISCUSSION_COUNT),
                Updates.unset(MessageFields.DISCUSSION_LAST_MESSAGE), Updates.set(MessageFields.UPDATED_AT, new Date())));
    }

    public void setOpen(Caller caller, Document room, boolean open, RoomKind kind) {
        Document subscription = store.subscription(room.getString("_id"), caller.id());
        if (subscription == null) {
            throw CaravanException.coded("error-user-not-in-room", "The user/callee is not in the " + kind.key);
        }
        if (Boolean.TRUE.equals(subscription.getBoolean(SubscriptionFields.OPEN)) == open) {
            throw CaravanException.plain("The " + kind.noun() + ", " + room.getString(RoomFields.NAME) + ", is already "
                    + (open ? "open" : "closed") + " to the sender");
        }
        store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(
                Updates.set(SubscriptionFields.OPEN, open), Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
    }

    public void requireNotArchived(Document room, RoomKind kind) {
        if (Boolean.TRUE.equals(room.getBoolean(RoomFields.ARCHIVED))) {
            String noun = kind == RoomKind.CHANNEL ? "channel" : "private group";
            throw CaravanException.coded("error-room-archived", "The " + noun + ", " + room.getString(RoomFields.NAME)
                    + ", is archived");
        }
    }

    private void requireEditRoom(Caller caller, Document room) {
        if (!authorization.hasPermission(caller.id(), "edit-room", room.getString("_id"))) {
            throw CaravanException.coded("error-action-not-allowed", "Editing room is not allowed");
        }
    }

    private void requireNotLastOwner(Document room, Document subscription) {
        if (!subscription.getList(SubscriptionFields.ROLES, String.class, List.of()).contains("owner")) {
            return;
        }
        long owners = store.subscriptions().countDocuments(Filters.and(
                Filters.eq(SubscriptionFields.ROOM_ID, room.getString("_id")), Filters.eq(SubscriptionFields.ROLES, "owner")));
        // as Rocket.Chat's leaveRoom: the only owner may not leave, even a room where they are alone
        if (owners <= 1) {
            throw CaravanException.coded("error-you-are-last-owner",
                    "You are the last owner. Please set new owner before leaving the room.");
        }
    }

    private void validateName(String name) {
        if (name == null || name.isBlank()) {
            throw CaravanException.plain("Param \"name\" is required");
        }
        String charset = settings.string("UTF8_Channel_Names_Validation", "[0-9a-zA-Z-_.]+");
        Pattern pattern;
        try {
            pattern = Pattern.compile("^" + charset + "$");
        } catch (PatternSyntaxException e) {
            pattern = Pattern.compile("^[0-9a-zA-Z-_.]+$");
        }
        if (name.length() > MAX_NAME || !pattern.matcher(name).matches()) {
            throw CaravanException.coded("error-invalid-room-name", name + " is not a valid room name",
                    Map.of("channel_name", name));
        }
    }

    /**
     * The notification choices a new membership takes from its user's preferences (desktop, push, e-mail, highlights),
     * each marked as coming from the user.
     */
    static Document preferenceDefaults(Document user) {
        Document subscription = new Document();
        Object settingsValue = user.get("settings");
        Object preferencesValue = settingsValue instanceof Document s ? s.get("preferences") : null;
        if (!(preferencesValue instanceof Document preferences)) {
            return subscription;
        }
        if (preferences.get("highlights") instanceof List<?> highlights && !highlights.isEmpty()) {
            subscription.append(SubscriptionFields.USER_HIGHLIGHTS, highlights);
        }
        copyPreference(preferences, "desktopNotifications", subscription, "desktopNotifications", "desktopPrefOrigin");
        copyPreference(preferences, "pushNotifications", subscription, "mobilePushNotifications", "mobilePrefOrigin");
        copyPreference(preferences, "emailNotificationMode", subscription, "emailNotifications", "emailPrefOrigin");
        return subscription;
    }

    private static void copyPreference(Document preferences, String preference, Document subscription, String field,
            String originField) {
        if (preferences.get(preference) instanceof String value && !value.isEmpty() && !"default".equals(value)) {
            subscription.append(field, value).append(originField, "user");
        }
    }

    static Document newSubscription(Document room, Document user, Date now) {
        return withPreferences(newSubscriptionOnly(room, user, now), user);
    }

    static Document withPreferences(Document subscription, Document user) {
        subscription.putAll(preferenceDefaults(user));
        return subscription;
    }

    private static Document newSubscriptionOnly(Document room, Document user, Date now) {
        Document subscription = new Document(SubscriptionFields.ID, Ids.random())
                .append(SubscriptionFields.ROOM_ID, room.getString("_id"))
                .append(SubscriptionFields.USER, MessageWriter.author(user))
                .append(SubscriptionFields.NAME, room.getString(RoomFields.NAME))
                .append(SubscriptionFields.FNAME, room.getString(RoomFields.FNAME))
                .append(SubscriptionFields.TYPE, room.getString(RoomFields.TYPE))
                .append(SubscriptionFields.TS, now)
                .append(SubscriptionFields.OPEN, false)
                .append(SubscriptionFields.ALERT, false)
                .append(SubscriptionFields.UNREAD, 0)
                .append(SubscriptionFields.USER_MENTIONS, 0)
                .append(SubscriptionFields.GROUP_MENTIONS, 0)
                .append(SubscriptionFields.UPDATED_AT, now);
        if (room.getString(RoomFields.PARENT_ROOM_ID) != null) {
            subscription.append(RoomFields.PARENT_ROOM_ID, room.getString(RoomFields.PARENT_ROOM_ID));
        }
        return subscription;
    }
}
