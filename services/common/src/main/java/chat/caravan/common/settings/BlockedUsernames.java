package chat.caravan.common.settings;

import java.util.Locale;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import org.springframework.stereotype.Component;

/**
 * Usernames no account may take, as Rocket.Chat decides them: the system's reserved names
 * ({@code Accounts_SystemBlockedUsernameList}), the administrator's list ({@code Accounts_BlockedUsernameList}) and the
 * mention keywords {@code all} and {@code here}, compared without regard to case.
 */
@Component
public class BlockedUsernames {

    private final Settings settings;

    public BlockedUsernames(Settings settings) {
        this.settings = settings;
    }

    public boolean isBlocked(String username) {
        if (username == null) {
            return false;
        }
        String wanted = username.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("all") || wanted.equals("here")) {
            return true;
        }
        return listed(settings.string("Accounts_SystemBlockedUsernameList", "admin,administrator,system,user"), wanted)
                || listed(settings.string("Accounts_BlockedUsernameList", ""), wanted);
    }

    /** Refuses a blocked name for an account: 400 {@code error-blocked-username}. */
    public void check(String username) {
        if (isBlocked(username)) {
            throw CaravanException.coded("error-blocked-username", username + " is blocked and can't be used!",
                    Map.of("method", "checkUsernameAvailability", "field", username));
        }
    }

    private static boolean listed(String list, String wanted) {
        for (String entry : list.split(",")) {
            if (!entry.isBlank() && entry.trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
