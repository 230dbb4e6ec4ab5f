package chat.caravan.common.model;

import java.util.List;

/** Field names of the {@code users} collection, as Rocket.Chat names them. */
public final class UserFields {

    public static final String ID = "_id";
    public static final String USERNAME = "username";
    public static final String NAME = "name";
    public static final String EMAILS = "emails";
    public static final String EMAIL_ADDRESS = "emails.address";
    public static final String TYPE = "type";
    public static final String ACTIVE = "active";
    public static final String ROLES = "roles";
    public static final String STATUS = "status";
    public static final String STATUS_CONNECTION = "statusConnection";
    public static final String STATUS_DEFAULT = "statusDefault";
    public static final String STATUS_TEXT = "statusText";
    public static final String UTC_OFFSET = "utcOffset";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "_updatedAt";
    public static final String LAST_LOGIN = "lastLogin";
    public static final String SERVICES = "services";
    public static final String PASSWORD_BCRYPT = "services.password.bcrypt";
    public static final String LOGIN_TOKENS = "services.resume.loginTokens";
    public static final String HASHED_TOKEN = "hashedToken";
    public static final String TOKEN_WHEN = "when";
    public static final String LOGIN_TOKEN_HASH = "services.resume.loginTokens.hashedToken";
    public static final String INACTIVE_REASON = "inactiveReason";
    public static final String REQUIRE_PASSWORD_CHANGE = "requirePasswordChange";
    public static final String REQUIRE_PASSWORD_CHANGE_REASON = "requirePasswordChangeReason";
    public static final String BIO = "bio";
    public static final String NICKNAME = "nickname";
    public static final String LANGUAGE = "language";
    /** Where a user's preferences live ({@code settings.preferences.<key>}), read by /me and users.getPreferences. */
    public static final String PREFERENCES = "settings.preferences";
    /** A login token's kind: absent for a session, {@code personalAccessToken} for a personal access token. */
    public static final String TOKEN_TYPE = "type";
    public static final String PERSONAL_ACCESS_TOKEN = "personalAccessToken";

    /** Never leave the database: password hashes, login tokens, e2e private keys, invite tokens. */
    public static final List<String> SECRETS = List.of(SERVICES, "e2e", "inviteToken");

    /**
     * All that users.* replies show of another user to a caller without view-full-other-user-info: Rocket.Chat's
     * default user fields (getFullUserData). A list of what may show, so a field a Rocket.Chat database adds
     * ({@code __rooms}, {@code customFields}, {@code ldap}, ...) stays private.
     */
    public static final List<String> PUBLIC = List.of(ID, USERNAME, NAME, NICKNAME, STATUS, STATUS_TEXT, UTC_OFFSET, TYPE,
            ACTIVE, BIO, "reason", "avatarETag", "federated", "extension", "statusLivechat");

    private UserFields() {
    }
}
