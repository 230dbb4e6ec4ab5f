package chat.caravan.core.authz;

import chat.caravan.core.rooms.RoomKind;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** channels.* and groups.* room-role endpoints, named as the route files call them. */
@Component("roomRoleEndpoints")
public class RoomRoleEndpoints {

    private final RoleEndpoints roles;

    public RoomRoleEndpoints(RoleEndpoints roles) {
        this.roles = roles;
    }

    public void channelsAddOwner(Exchange e) { roles.setRoomRole(e, RoomKind.CHANNEL, "owner", true); }
    public void channelsRemoveOwner(Exchange e) { roles.setRoomRole(e, RoomKind.CHANNEL, "owner", false); }
    public void channelsAddModerator(Exchange e) { roles.setRoomRole(e, RoomKind.CHANNEL, "moderator", true); }
    public void channelsRemoveModerator(Exchange e) { roles.setRoomRole(e, RoomKind.CHANNEL, "moderator", false); }
    public void channelsAddLeader(Exchange e) { roles.setRoomRole(e, RoomKind.CHANNEL, "leader", true); }
    public void channelsRemoveLeader(Exchange e) { roles.setRoomRole(e, RoomKind.CHANNEL, "leader", false); }
    public void channelsRoles(Exchange e) { roles.roomRoles(e, RoomKind.CHANNEL); }
    public void groupsAddOwner(Exchange e) { roles.setRoomRole(e, RoomKind.GROUP, "owner", true); }
    public void groupsRemoveOwner(Exchange e) { roles.setRoomRole(e, RoomKind.GROUP, "owner", false); }
    public void groupsAddModerator(Exchange e) { roles.setRoomRole(e, RoomKind.GROUP, "moderator", true); }
    public void groupsRemoveModerator(Exchange e) { roles.setRoomRole(e, RoomKind.GROUP, "moderator", false); }
    public void groupsAddLeader(Exchange e) { roles.setRoomRole(e, RoomKind.GROUP, "leader", true); }
    public void groupsRemoveLeader(Exchange e) { roles.setRoomRole(e, RoomKind.GROUP, "leader", false); }
    public void groupsRoles(Exchange e) { roles.roomRoles(e, RoomKind.GROUP); }
}
