package chat.caravan.core.rooms;

import chat.caravan.common.model.RoomFields;

/** The two kinds of named rooms and how their REST endpoints name them. */
public enum RoomKind {
    CHANNEL(RoomFields.CHANNEL, "channel", "channels", "create-c", "leave-c", "delete-c", "add-user-to-any-c-room",
            "kick-user-from-any-c-room"),
    GROUP(RoomFields.PRIVATE_GROUP, "group", "groups", "create-p", "leave-p", "delete-p", "add-user-to-any-p-room",
            "kick-user-from-any-p-room");

    public final String type;
    public final String key;
    public final String listKey;
    public final String createPermission;
    public final String leavePermission;
    public final String deletePermission;
    public final String addAnyPermission;
    public final String kickAnyPermission;

    RoomKind(String type, String key, String listKey, String createPermission, String leavePermission,
            String deletePermission, String addAnyPermission, String kickAnyPermission) {
        this.type = type;
        this.key = key;
        this.listKey = listKey;
        this.createPermission = createPermission;
        this.leavePermission = leavePermission;
        this.deletePermission = deletePermission;
        this.addAnyPermission = addAnyPermission;
        this.kickAnyPermission = kickAnyPermission;
    }

    /** How error messages name it: "channel" or "private group". */
    public String noun() {
        return this == CHANNEL ? "channel" : "private group";
    }
}
