package chat.caravan.common.bus;

/**
 * The one place subject names are made. On NATS a request-reply call {@code <service>.<method>} travels on
 * {@code <prefix>.rpc.<service>.<method>} with queue group {@code <service>}; a broadcast event {@code <name>} on
 * {@code <prefix>.event.<name>} with no queue group, so every instance gets it. The prefix is
 * {@code caravan.bus.subject-prefix} (default {@code caravan}).
 *
 * <p>Calls and events in use (payloads are JSON objects, dates as EJSON {@code {"$date": millis}}):
 * <ul>
 *   <li>{@code accounts.*}: login, resume, logout, validateToken, user management (accounts service)</li>
 *   <li>{@code authorization.*}: hasPermission, hasAllPermission, hasAtLeastOnePermission, canAccessRoom,
 *       canReadRoom, canSendMessage (authorization service)</li>
 *   <li>{@code presence.*}: connection open/close/activity, setStatus (presence service)</li>
 *   <li>{@code core.*}: methods ddp-streamer forwards to core (sendMessage, loadHistory, ...)</li>
 *   <li>events {@code watch.<collection>}: MongoDB changes from stream-hub ({@code watch.messages},
 *       {@code watch.users}, {@code watch.rooms}, {@code watch.subscriptions}, {@code watch.roles},
 *       {@code watch.permissions}, {@code watch.settings}, ...)</li>
 *   <li>events {@code presence.status}, {@code accounts.login}, {@code accounts.logout}, {@code stream.*}
 *       (notifications that do not come from a collection, e.g. typing)</li>
 * </ul>
 */
public final class Subjects {

    private final String prefix;

    public Subjects(String prefix) {
        this.prefix = prefix;
    }

    /** NATS subject of a request-reply call such as {@code accounts.login}. */
    public String rpc(String call) {
        return prefix + ".rpc." + call;
    }

    /** NATS subject of a broadcast event such as {@code watch.messages}. */
    public String event(String name) {
        return prefix + ".event." + name;
    }

    /** Queue group of a call: the service that owns it, the part before the first dot. */
    public static String queueGroupOf(String call) {
        int dot = call.indexOf('.');
        return dot < 0 ? call : call.substring(0, dot);
    }
}
