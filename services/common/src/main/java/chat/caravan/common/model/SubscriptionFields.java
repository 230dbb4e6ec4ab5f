package chat.caravan.common.model;

/** Field names of {@code rocketchat_subscription}, as Rocket.Chat names them. */
public final class SubscriptionFields {

    public static final String ID = "_id";
    public static final String ROOM_ID = "rid";
    public static final String USER = "u";
    public static final String USER_ID = "u._id";
    public static final String NAME = "name";
    public static final String FNAME = "fname";
    public static final String TYPE = "t";
    public static final String TS = "ts";
    public static final String LAST_SEEN = "ls";
    public static final String OPEN = "open";
    public static final String ALERT = "alert";
    public static final String UNREAD = "unread";
    public static final String USER_MENTIONS = "userMentions";
    public static final String GROUP_MENTIONS = "groupMentions";
    public static final String USER_HIGHLIGHTS = "userHighlights";
    public static final String ROLES = "roles";
    public static final String FAVORITE = "f";
    public static final String ARCHIVED = "archived";
    public static final String IGNORED = "ignored";
    /** Threads with replies the member has not read, and those that mention them or everyone. */
    public static final String THREADS_UNREAD = "tunread";
    public static final String THREADS_UNREAD_USER = "tunreadUser";
    public static final String THREADS_UNREAD_GROUP = "tunreadGroup";
    /** When the last reply in one of the room's threads the member follows was sent. */
    public static final String LAST_REPLY = "lr";
    public static final String UPDATED_AT = "_updatedAt";
    /** Thread ids with unread replies, and those of them that mention the user or all (Rocket.Chat's tunread*). */
    public static final String THREAD_UNREAD = "tunread";
    public static final String THREAD_UNREAD_USER = "tunreadUser";
    public static final String THREAD_UNREAD_GROUP = "tunreadGroup";
    /** Room custom fields, copied onto each membership. */
    public static final String CUSTOM_FIELDS = "customFields";

    private SubscriptionFields() {
    }
}
