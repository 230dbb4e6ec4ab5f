package chat.caravan.common.bus;

/**
 * The one place subject names are made. On NATS a request-reply call {@code <service>.<method>} travels on
 * {@code <prefix>.rpc.<service>.<method>} with queue group {@code <service>}; a broadcast event {@code <name>} on
 * {@code <prefix>.event.<name>} with no queue group, so every instance gets it. The prefix is
 * {@code caravan.bus.subject-prefix} (default {@code caravan}).
 *
 * <p>Calls (request-reply; payloads and results are JSON, dates as EJSON {@code {"$date": millis}}; a failure
 * travels back as the {@code CaravanException} the owner raised):
 * <ul>
 *   <li>{@code accounts.login} {@code {user|username|email, password (plain or {digest, algorithm}) | resume, ip}}
 *       -> {@code {userId, token, tokenExpires, type, user}}</li>
 *   <li>{@code accounts.validateToken} {@code {userId, token}} -> {@code {user}} (401 error when invalid)</li>
 *   <li>{@code accounts.logout} {@code {userId, token}}</li>
 *   <li>{@code accounts.createUser}, {@code accounts.updateUser}, {@code accounts.setActiveStatus},
 *       {@code accounts.deleteUser}: account writes (passwords, identities), permissions checked by the caller</li>
 *   <li>{@code accounts.checkPassword} {@code {userId, digest}}: the current password as a second factor;
 *       {@code accounts.removeTokens} {@code {userId, keepToken?, keepPersonalTokens?}} -> {@code {removed, tokenExpires?}};
 *       {@code accounts.generatePersonalToken} / {@code regeneratePersonalToken} {@code {userId, tokenName}} -> {@code {token}},
 *       {@code accounts.removePersonalToken} {@code {userId, tokenName}}, {@code accounts.personalTokens} {@code {userId}}
 *       -> {@code {tokens}}: personal access tokens (permission checked by the caller)</li>
 *   <li>{@code authorization.hasPermission} {@code {uid, permission, scope?}} -> boolean;
 *       {@code authorization.hasAllPermission} / {@code hasAtLeastOnePermission} {@code {uid, permissions[], scope?}}
 *       -> boolean; {@code authorization.canAccessRoom} / {@code canReadRoom} {@code {uid, rid}} -> boolean;
 *       {@code authorization.canSendMessage} {@code {uid, rid}} -> {@code {room}} or a coded error</li>
 *   <li>{@code authorization.permissions} {@code {updatedSince?}} -> {@code {update, remove}}</li>
 *   <li>{@code presence.connectionOpened} / {@code connectionClosed} {@code {userId, connectionId, instanceId}},
 *       {@code presence.connectionsChanged} {@code {instanceId, changes: [{userId, connectionId, opened}]}} (in order),
 *       {@code presence.activity} {@code {userId, connectionId, instanceId, status: online|away}},
 *       {@code presence.setStatus} / {@code setDefaultStatus} {@code {userId, status?, statusText?}} (status from the
 *       connections), {@code presence.setChosenStatus} {@code {userId, status?, statusText?}} (REST users.setStatus:
 *       the status as chosen, at once),
 *       {@code presence.getStatus} {@code {userId}}, {@code presence.instanceHeartbeat} {@code {instanceId}},
 *       {@code presence.instanceStopped} {@code {instanceId}}</li>
 *   <li>{@code core.method} {@code {method, params, userId, connectionId}}: DDP methods that core owns</li>
 * </ul>
 *
 * <p>Broadcast events:
 * <ul>
 *   <li>{@code watch.<collection>} from stream-hub, {@code {eventId, clientAction, id, data?, diff?, unset?}}:
 *       {@code watch.messages}, {@code watch.users}, {@code watch.rooms}, {@code watch.subscriptions},
 *       {@code watch.roles}, {@code watch.permissions}, {@code watch.settings}, {@code watch.userSessions}</li>
 *   <li>{@code accounts.login}, {@code accounts.logout} {@code {userId}}; {@code accounts.userCreated}
 *       {@code {user, joinDefaultChannels}} (core joins new users to the default channels);
 *       {@code accounts.tokensRevoked} {@code {userId, hashedTokens?}} (no {@code hashedTokens}: all the user's
 *       tokens; ddp-streamer closes the connections using them, core forgets them)</li>
 *   <li>{@code presence.status} {@code {userId, username, status, statusText}}</li>
 *   <li>{@code stream.notify} {@code {stream, eventName, args}}: realtime notifications not tied to a collection
 *       change (typing, deleteMessage, ...), delivered by ddp-streamer</li>
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
