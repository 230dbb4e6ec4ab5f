package chat.caravan.common.model;

/** Names of the MongoDB collections, as Rocket.Chat names them (so a Rocket.Chat database works unchanged). */
public final class Collections {

    public static final String USERS = "users";
    public static final String ROOMS = "rocketchat_room";
    public static final String SUBSCRIPTIONS = "rocketchat_subscription";
    public static final String MESSAGES = "rocketchat_message";
    public static final String ROLES = "rocketchat_roles";
    public static final String PERMISSIONS = "rocketchat_permissions";
    public static final String SETTINGS = "rocketchat_settings";
    /** Where deleted documents are copied, with {@code __collection__} naming their origin. */
    public static final String TRASH = "rocketchat__trash";
    /** Messages and users reported to the moderators. */
    public static final String MODERATION_REPORTS = "rocketchat_moderation_reports";
    public static final String TEAMS = "rocketchat_team";
    public static final String TEAM_MEMBERS = "rocketchat_team_member";
    public static final String UPLOADS = "rocketchat_uploads";
    public static final String INVITES = "rocketchat_invites";
    /** The devices' push tokens (Rocket.Chat's name, from the raix:push package it started with). */
    public static final String PUSH_TOKENS = "_raix_push_app_tokens";
    /** Presence: one document per user with its connections. */
    public static final String USERS_SESSIONS = "usersSessions";
    /** Link previews already fetched (Rocket.Chat's OEmbed cache): {_id: url, data: {url, meta, headers}, updatedAt}. */
    public static final String OEMBED_CACHE = "rocketchat_oembed_cache";

    private Collections() {
    }
}
