package chat.caravan.core.pipeline;

/**
 * The headers every pipeline route receives beside its body (routes/README.md documents them for integrators).
 * Values are plain strings, but {@link #ROOM} and {@link #USER}, which are the room and user documents as maps.
 */
public final class PipelineHeaders {

    /** What happens: {@code send}, {@code update}, {@code system} (a message the server writes), {@code delete}. */
    public static final String EVENT = "caravanEvent";
    /** The user doing it (the sender, the editor, the deleter; for a system message the user it names as actor). */
    public static final String USER_ID = "caravanUserId";
    public static final String USERNAME = "caravanUsername";
    /** The room the message is in, or the room of a room event. */
    public static final String ROOM_ID = "caravanRoomId";
    public static final String ROOM_NAME = "caravanRoomName";
    /** Rocket.Chat's room type: {@code c} channel, {@code p} private group, {@code d} direct, {@code l} livechat. */
    public static final String ROOM_TYPE = "caravanRoomType";
    /** The room document, as stored (a map). */
    public static final String ROOM = "caravanRoom";
    /** The acting user's document, without secrets (a map). */
    public static final String USER = "caravanUser";
    /** On an update, the message as it was before the edit. */
    public static final String ORIGINAL = "caravanOriginalMessage";

    public static final String SEND = "send";
    public static final String UPDATE = "update";
    public static final String SYSTEM = "system";
    public static final String DELETE = "delete";

    private PipelineHeaders() {
    }
}
