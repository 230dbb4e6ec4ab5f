package chat.caravan.common.model;

/** Field names of {@code rocketchat_message}, as Rocket.Chat names them. */
public final class MessageFields {

    public static final String ID = "_id";
    public static final String ROOM_ID = "rid";
    public static final String TEXT = "msg";
    public static final String TS = "ts";
    public static final String USER = "u";
    public static final String UPDATED_AT = "_updatedAt";
    public static final String TYPE = "t";
    public static final String MENTIONS = "mentions";
    public static final String CHANNELS = "channels";
    public static final String ATTACHMENTS = "attachments";
    /** The parsed message tree Rocket.Chat\'s clients render (@rocket.chat/message-parser\'s output). */
    public static final String MARKDOWN = "md";
    public static final String REACTIONS = "reactions";
    public static final String EDITED_AT = "editedAt";
    public static final String EDITED_BY = "editedBy";
    public static final String PINNED = "pinned";
    public static final String PINNED_AT = "pinnedAt";
    public static final String PINNED_BY = "pinnedBy";
    public static final String STARRED = "starred";
    public static final String THREAD_ID = "tmid";
    public static final String THREAD_SHOW = "tshow";
    public static final String THREAD_COUNT = "tcount";
    public static final String THREAD_LAST_MESSAGE = "tlm";
    public static final String REPLIES = "replies";
    public static final String HIDDEN = "_hidden";
    public static final String GROUPABLE = "groupable";
    /** The discussion a {@code discussion-created} message opens, its message count and last message time. */
    public static final String DISCUSSION_ID = "drid";
    public static final String DISCUSSION_COUNT = "dcount";
    public static final String DISCUSSION_LAST_MESSAGE = "dlm";
    public static final String ALIAS = "alias";
    public static final String AVATAR = "avatar";
    public static final String EMOJI = "emoji";
    public static final String CUSTOM_FIELDS = "customFields";
    public static final String URLS = "urls";
    /** A plain text some clients send beside {@code msg}; Rocket.Chat keeps it as sent. */
    public static final String PLAIN_TEXT = "text";
    /** End-to-end encryption ({@code t: "e2e"}): the state ("pending", "done"), the ciphertext, readable mentions. */
    public static final String E2E_STATE = "e2e";
    public static final String E2E_CONTENT = "content";
    public static final String E2E_MENTIONS = "e2eMentions";

    private MessageFields() {
    }
}
