package chat.caravan.common.model;

import java.util.List;

/** Field names of {@code rocketchat_room}, as Rocket.Chat names them. */
public final class RoomFields {

    public static final String ID = "_id";
    public static final String TYPE = "t";
    public static final String NAME = "name";
    public static final String FNAME = "fname";
    public static final String CREATOR = "u";
    public static final String TS = "ts";
    public static final String UPDATED_AT = "_updatedAt";
    public static final String MSGS = "msgs";
    public static final String USERS_COUNT = "usersCount";
    public static final String LAST_MESSAGE_AT = "lm";
    public static final String LAST_MESSAGE = "lastMessage";
    public static final String READ_ONLY = "ro";
    public static final String DEFAULT = "default";
    public static final String ARCHIVED = "archived";
    public static final String TOPIC = "topic";
    public static final String DESCRIPTION = "description";
    public static final String ANNOUNCEMENT = "announcement";
    public static final String SYSTEM_MESSAGES = "sysMes";
    public static final String BROADCAST = "broadcast";
    public static final String MUTED = "muted";
    public static final String UIDS = "uids";
    public static final String USERNAMES = "usernames";
    public static final String UNMUTED = "unmuted";
    /** A discussion's parent room. */
    public static final String PARENT_ROOM_ID = "prid";
    public static final String TEAM_ID = "teamId";
    /** Set on the room that is a team's main room. */
    public static final String TEAM_MAIN = "teamMain";
    public static final String TEAM_DEFAULT = "teamDefault";
    public static final String FEATURED = "featured";
    public static final String FAVORITE = "favorite";
    public static final String REACT_WHEN_READ_ONLY = "reactWhenReadOnly";
    public static final String CUSTOM_FIELDS = "customFields";
    public static final String SIDEPANEL = "sidepanel";
    public static final String ENCRYPTED = "encrypted";
    public static final String JOIN_CODE = "joinCode";
    /** Whether joining the channel needs its join code. */
    public static final String JOIN_CODE_REQUIRED = "joinCodeRequired";

    /** Never returned to clients (spec 1.6 defaultFieldsToExclude). */
    public static final List<String> HIDDEN = List.of("joinCode", "members", "importIds", "e2e");

    public static final String CHANNEL = "c";
    public static final String PRIVATE_GROUP = "p";
    public static final String DIRECT = "d";
    public static final String LIVECHAT = "l";

    private RoomFields() {
    }
}
