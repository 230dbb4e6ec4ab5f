package chat.caravan.authorization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rocket.Chat's default roles and the default permission set for every core action (spec 4.6, 4.11). */
final class DefaultPermissions {

    record Role(String id, String scope, String description) {
    }

    static final List<Role> ROLES = List.of(
            new Role("admin", "Users", "Admin"),
            new Role("moderator", "Subscriptions", "Moderator"),
            new Role("leader", "Subscriptions", "Leader"),
            new Role("owner", "Subscriptions", "Owner"),
            new Role("user", "Users", ""),
            new Role("bot", "Users", ""),
            new Role("app", "Users", ""),
            new Role("guest", "Users", ""),
            new Role("anonymous", "Users", ""));

    static final Map<String, List<String>> PERMISSIONS = new LinkedHashMap<>();

    static {
        grant(List.of("admin", "user", "federated-external", "bot", "app", "anonymous"), "view-c-room");
        grant(List.of("admin", "user", "federated-external", "anonymous", "guest"), "view-p-room");
        grant(List.of("admin", "user", "federated-external", "bot", "app", "guest"), "view-d-room");
        grant(List.of("guest", "bot", "app", "anonymous"), "view-joined-room");
        grant(List.of("admin", "user", "federated-external", "anonymous"), "preview-c-room");
        grant(List.of("admin", "user", "federated-external", "bot", "app"), "create-c", "create-p", "create-d");
        grant(List.of("admin", "owner"), "delete-c", "delete-p", "archive-room", "force-delete-message",
                "set-owner", "set-moderator", "set-leader", "set-readonly", "set-react-when-readonly");
        grant(List.of("admin"), "delete-d", "unarchive-room", "add-user-to-any-c-room", "kick-user-from-any-c-room",
                "view-room-administration", "view-user-administration", "view-full-other-user-info",
                "view-other-user-channels", "create-user", "delete-user", "edit-other-user-info",
                "edit-other-user-password", "edit-other-user-active-status", "edit-other-user-avatar",
                "assign-admin-role", "assign-roles", "access-permissions", "view-privileged-setting",
                "edit-privileged-setting", "manage-selected-settings", "view-statistics", "view-logs",
                "logout-other-user", "user-generate-access-token", "clean-channel-history", "edit-room-retention-policy");
        grant(List.of("admin", "user", "federated-external", "bot", "anonymous", "app"), "leave-c", "leave-p");
        grant(List.of("admin", "owner", "moderator"), "edit-room", "add-user-to-joined-room", "remove-user",
                "mute-user", "ban-user", "post-readonly", "edit-message", "delete-message", "pin-message",
                "view-broadcast-member-list", "create-invite-links");
        grant(List.of(), "add-user-to-any-p-room", "kick-user-from-any-p-room");
        grant(List.of("admin", "user", "federated-external"), "delete-own-message");
        grant(List.of("admin", "owner", "moderator", "user", "federated-external"), "mention-all", "mention-here",
                "view-outside-room");
        grant(List.of("bot", "app"), "message-impersonate", "bypass-time-limit-edit-and-delete");
        grant(List.of("admin", "bot", "app"), "send-many-messages", "api-bypass-rate-limit", "join-without-join-code");
        grant(List.of("admin", "user"), "create-personal-access-tokens", "create-team");
        grant(List.of("admin", "user", "federated-external", "guest", "app"), "start-discussion");
        grant(List.of("admin", "owner", "moderator"), "toggle-room-e2e-encryption");
    }

    private DefaultPermissions() {
    }

    private static void grant(List<String> roles, String... permissions) {
        for (String permission : permissions) {
            PERMISSIONS.put(permission, roles);
        }
    }
}
