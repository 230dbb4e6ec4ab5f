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

    /** Never leave the database: password hashes, login tokens, e2e private keys, invite tokens. */
    public static final List<String> SECRETS = List.of(SERVICES, "e2e", "inviteToken");

    /** Left out of users.* replies for callers without view-full-other-user-info (spec 1.6). */
    public static final List<String> PRIVATE = List.of("avatarOrigin", EMAILS, "phone", STATUS_CONNECTION, CREATED_AT,
            LAST_LOGIN, SERVICES, REQUIRE_PASSWORD_CHANGE, "requirePasswordChangeReason", ROLES, STATUS_DEFAULT,
            UPDATED_AT, "settings", "inviteToken", "e2e");

    private UserFields() {
    }
}
