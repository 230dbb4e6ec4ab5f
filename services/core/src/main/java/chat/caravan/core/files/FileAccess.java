package chat.caravan.core.files;


import chat.caravan.common.authz.Authorization;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomStore;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Who may read a stored file, as Rocket.Chat's requestCanAccessFiles: anyone when {@code FileUpload_ProtectFiles} is
 * off; otherwise a logged-in user (the {@code rc_uid} / {@code rc_token} query or cookies, or the
 * {@code X-User-Id} / {@code X-Auth-Token} headers), restricted by {@code FileUpload_Restrict_to_room_members} and
 * {@code FileUpload_Restrict_to_users_who_can_access_room} for a room's files.
 */
@Component
public class FileAccess {

    private final Settings settings;
    private final RestAuth auth;
    private final Authorization authorization;
    private final RoomStore rooms;

    public FileAccess(Settings settings, RestAuth auth, Authorization authorization, RoomStore rooms) {
        this.settings = settings;
        this.auth = auth;
        this.authorization = authorization;
        this.rooms = rooms;
    }

    /** The requesting user's id, from query, cookies or headers, or null when none is logged in. */
    public String user(Exchange exchange) {
        String uid = RestRequest.query(exchange, "rc_uid");
        String token = RestRequest.query(exchange, "rc_token");
        if (uid == null) {
            String cookies = RestRequest.query(exchange, "Cookie");
            if (cookies != null) {
                for (String part : cookies.split(";")) {
                    int eq = part.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String name = part.substring(0, eq).trim();
                    String value = part.substring(eq + 1).trim();
                    if ("rc_uid".equals(name)) {
                        uid = value;
                    } else if ("rc_token".equals(name)) {
                        token = value;
                    }
                }
            }
        }
        if (uid != null && token != null) {
            exchange.getIn().setHeader("X-User-Id", uid);
            exchange.getIn().setHeader("X-Auth-Token", token);
        }
        return auth.tryAuthenticate(exchange) ? RestAuth.userId(exchange) : null;
    }

    public boolean canRead(Exchange exchange, Document record) {
        if (!settings.bool("FileUpload_ProtectFiles", true)) {
            return true;
        }
        String userId = user(exchange);
        if (userId == null) {
            return false;
        }
        String rid = record.getString(UploadRecords.ROOM_ID);
        if (rid == null) {
            return true;
        }
        boolean membersOnly = settings.bool("FileUpload_Restrict_to_room_members", true);
        boolean accessOnly = settings.bool("FileUpload_Restrict_to_users_who_can_access_room", false);
        if (!membersOnly && !accessOnly) {
            return true;
        }
        if (membersOnly && !accessOnly) {
            return rooms.subscription(rid, userId) != null;
        }
        if (accessOnly && !membersOnly) {
            return authorization.canAccessRoom(userId, rid);
        }
        return false;
    }

}
