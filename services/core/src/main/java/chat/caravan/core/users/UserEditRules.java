package chat.caravan.core.users;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Who may change which field of an account, as Rocket.Chat's validateUserEditing decides: the Accounts_Allow*Change
 * settings bind a user editing themselves, and anyone editing another user without edit-other-user-info (or, for
 * passwords, edit-other-user-password). Also the name check every account write shares.
 */
@Component
public class UserEditRules {

    private static final Pattern INVALID_NAME_CHARS = Pattern.compile("[<>\\\\/]");

    private final Authorization authorization;
    private final Settings settings;

    public UserEditRules(Authorization authorization, Settings settings) {
        this.authorization = authorization;
        this.settings = settings;
    }

    /** Refuses a display name with {@code < > / \} (also URI-encoded): plain 400 "Name contains invalid characters". */
    public static void checkNameChars(JsonNode name) {
        if (name == null || name.isNull() || name.isMissingNode()) {
            return;
        }
        if (!name.isTextual() || !validNameChars(name.asText())) {
            throw CaravanException.plain("Name contains invalid characters");
        }
    }

    static boolean validNameChars(String name) {
        if (INVALID_NAME_CHARS.matcher(name).find()) {
            return false;
        }
        try {
            return !INVALID_NAME_CHARS.matcher(URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8)).find();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Checks a change of {@code target} by {@code callerId}; {@code changes} holds the new values by Rocket.Chat's
     * field names (username, name, statusText, email, password, roles), absent when unchanged.
     */
    public void checkEditing(String callerId, Document target, JsonNode changes) {
        boolean myself = callerId.equals(target.getString(UserFields.ID));
        boolean editOtherInfo = authorization.hasPermission(callerId, "edit-other-user-info");
        boolean editOtherPassword = authorization.hasPermission(callerId, "edit-other-user-password");
        if (changes.has("roles") && rolesChanged(target, changes.get("roles")) && !authorization.hasPermission(callerId, "assign-roles")) {
            throw notAllowed("Assign roles is not allowed");
        }
        if (!settings.bool("Accounts_AllowUserProfileChange", true) && !editOtherInfo && !editOtherPassword) {
            throw notAllowed("Edit user profile is not allowed");
        }
        boolean bound = !editOtherInfo || myself;
        if (changed(target.getString(UserFields.USERNAME), changes.get("username"))
                && !settings.bool("Accounts_AllowUsernameChange", true) && bound) {
            throw notAllowed("Edit username is not allowed");
        }
        if (changed(target.getString(UserFields.STATUS_TEXT), changes.get("statusText"))
                && !settings.bool("Accounts_AllowUserStatusMessageChange", true) && bound) {
            throw notAllowed("Edit user status is not allowed");
        }
        if (changed(target.getString(UserFields.NAME), changes.get("name"))
                && !settings.bool("Accounts_AllowRealNameChange", true) && bound) {
            throw notAllowed("Edit user real name is not allowed");
        }
        String email = firstEmail(target);
        if (email != null && changed(email, changes.get("email")) && !settings.bool("Accounts_AllowEmailChange", true) && bound) {
            throw notAllowed("Edit user email is not allowed");
        }
        JsonNode password = changes.get("password");
        if (password != null && password.isTextual() && !password.asText().isEmpty()
                && !settings.bool("Accounts_AllowPasswordChange", true) && (!editOtherPassword || myself)) {
            throw notAllowed("Edit user password is not allowed");
        }
    }

    private static boolean changed(String previous, JsonNode next) {
        return next != null && !next.isNull() && !Objects.equals(previous, next.asText());
    }

    private static boolean rolesChanged(Document target, JsonNode roles) {
        if (roles == null || !roles.isArray()) {
            return false;
        }
        List<String> wanted = new ArrayList<>();
        roles.forEach(role -> wanted.add(role.asText()));
        List<String> current = new ArrayList<>(target.getList(UserFields.ROLES, String.class, List.of()));
        wanted.sort(null);
        current.sort(null);
        return !wanted.equals(current);
    }

    private static String firstEmail(Document user) {
        List<Document> emails = user.getList(UserFields.EMAILS, Document.class, List.of());
        return emails.isEmpty() ? null : emails.get(0).getString("address");
    }

    private static CaravanException notAllowed(String reason) {
        return CaravanException.coded("error-action-not-allowed", reason);
    }
}
