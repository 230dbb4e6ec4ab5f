package chat.caravan.core.rooms;

import java.util.List;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Finds the room a request names, as Rocket.Chat's channels.*, groups.* and rooms.* do (spec 3.0). */
@Component
public class RoomLookup {

    private final RoomStore store;
    private final Authorization authorization;

    public RoomLookup(RoomStore store, Authorization authorization) {
        this.store = store;
        this.authorization = authorization;
    }

    /**
     * The channel or group the request names. A group (or a livechat room) the caller may not access is answered as
     * missing; with no caller (an anonymous read, or an action that makes its own access check) every group is found
     * and no livechat room is.
     */
    public Document named(Params params, RoomKind kind, Caller caller) {
        String roomId = params.text("roomId");
        String roomName = params.text("roomName");
        if (blank(roomId) && blank(roomName)) {
            throw CaravanException.coded("error-room-param-not-provided", "The parameter \"roomId\" or \"roomName\" is required");
        }
        Document room = !blank(roomId) ? store.room(roomId)
                : store.rooms().find(Filters.eq(RoomFields.NAME, roomName)).first();
        boolean livechat = room != null && kind == RoomKind.CHANNEL && RoomFields.LIVECHAT.equals(room.getString(RoomFields.TYPE));
        boolean matches = room != null && (kind.type.equals(room.getString(RoomFields.TYPE)) || livechat);
        // a private group or a livechat room is answered as missing to whoever may not access it: nothing of it leaks
        if (matches && livechat && caller == null) {
            matches = false;
        }
        if (matches && caller != null && (kind == RoomKind.GROUP || livechat)
                && !authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            matches = false;
        }
        if (!matches) {
            throw CaravanException.coded("error-room-not-found",
                    "The required \"roomId\" or \"roomName\" param provided does not match any " + kind.key);
        }
        return room;
    }

    /** Any room type by id or name, for rooms.* and chat.*. */
    public Document any(String roomId, String roomName) {
        if (blank(roomId) && blank(roomName)) {
            throw CaravanException.coded("error-roomid-param-not-provided", "The parameter \"roomId\" or \"roomName\" is required");
        }
        Document room = !blank(roomId) ? store.room(roomId)
                : store.rooms().find(Filters.eq(RoomFields.NAME, roomName)).first();
        if (room == null) {
            throw CaravanException.coded("error-room-not-found", "The required \"roomId\" or \"roomName\" param provided does not match any room");
        }
        return room;
    }

    /** A room for a client: without the fields Rocket.Chat never returns. */
    public static Document view(Document room) {
        if (room == null) {
            return null;
        }
        Document view = new Document(room);
        RoomFields.HIDDEN.forEach(view::remove);
        return view;
    }

    public static List<Document> views(List<Document> rooms) {
        return rooms.stream().map(RoomLookup::view).toList();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
