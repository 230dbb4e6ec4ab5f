package chat.caravan.common.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.error.CaravanException;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's password policy (the {@code Accounts_Password_Policy_*} settings): checked wherever a password is set
 * (registration, account creation, an administrator's or the user's own change), and described to clients by
 * {@code pw.getPolicy}. Off by default, as in Rocket.Chat; a blank password is refused either way.
 */
@Component
public class PasswordPolicy {

    static final String POLICY_NOT_MET = "error-password-policy-not-met";
    private static final Pattern LOWERCASE = Pattern.compile("[a-z]");
    private static final Pattern UPPERCASE = Pattern.compile("[A-Z]");
    private static final Pattern NUMBER = Pattern.compile("[0-9]");
    private static final Pattern SPECIAL = Pattern.compile("[^A-Za-z0-9 ]");

    private final Settings settings;

    public PasswordPolicy(Settings settings) {
        this.settings = settings;
    }

    /** The policy as it stands now (the settings with Rocket.Chat's defaults). */
    Rules rules() {
        return new Rules(settings.bool("Accounts_Password_Policy_Enabled", false),
                settings.integer("Accounts_Password_Policy_MinLength", 7),
                settings.integer("Accounts_Password_Policy_MaxLength", -1),
                settings.bool("Accounts_Password_Policy_ForbidRepeatingCharacters", true),
                settings.integer("Accounts_Password_Policy_ForbidRepeatingCharactersCount", 3),
                settings.bool("Accounts_Password_Policy_AtLeastOneLowercase", true),
                settings.bool("Accounts_Password_Policy_AtLeastOneUppercase", true),
                settings.bool("Accounts_Password_Policy_AtLeastOneNumber", true),
                settings.bool("Accounts_Password_Policy_AtLeastOneSpecialCharacter", true));
    }

    /** Refuses a password the policy does not allow: 400 {@code error-password-policy-not-met} with every reason. */
    public void validate(String password) {
        if (password == null || password.trim().isEmpty()) {
            throw CaravanException.coded(POLICY_NOT_MET, "The password provided does not meet the server's password policy.");
        }
        List<Map<String, String>> reasons = rules().violations(password);
        if (!reasons.isEmpty()) {
            throw CaravanException.coded(POLICY_NOT_MET, "The password provided does not meet the server's password policy.",
                    reasons);
        }
    }

    /** {@code pw.getPolicy}'s answer: {@code {enabled, policy: [[name, {limit}?], ...]}}. */
    public Map<String, Object> describe() {
        Rules rules = rules();
        List<List<Object>> policy = new ArrayList<>();
        if (rules.enabled) {
            if (rules.minLength >= 1) {
                policy.add(List.of("get-password-policy-minLength", Map.of("minLength", rules.minLength)));
            }
            if (rules.maxLength >= 1) {
                policy.add(List.of("get-password-policy-maxLength", Map.of("maxLength", rules.maxLength)));
            }
            if (rules.forbidRepeating) {
                policy.add(List.of("get-password-policy-forbidRepeatingCharacters"));
            }
            if (rules.repeatingCount != 0) {
                policy.add(List.of("get-password-policy-forbidRepeatingCharactersCount",
                        Map.of("forbidRepeatingCharactersCount", rules.repeatingCount)));
            }
            if (rules.lowercase) {
                policy.add(List.of("get-password-policy-mustContainAtLeastOneLowercase"));
            }
            if (rules.uppercase) {
                policy.add(List.of("get-password-policy-mustContainAtLeastOneUppercase"));
            }
            if (rules.number) {
                policy.add(List.of("get-password-policy-mustContainAtLeastOneNumber"));
            }
            if (rules.special) {
                policy.add(List.of("get-password-policy-mustContainAtLeastOneSpecialCharacter"));
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("enabled", rules.enabled);
        result.put("policy", policy);
        return result;
    }

    record Rules(boolean enabled, int minLength, int maxLength, boolean forbidRepeating, int repeatingCount,
            boolean lowercase, boolean uppercase, boolean number, boolean special) {

        List<Map<String, String>> violations(String password) {
            List<Map<String, String>> reasons = new ArrayList<>();
            if (!enabled) {
                return reasons;
            }
            if (minLength >= 1 && password.length() < minLength) {
                reasons.add(reason("minLength", "The password does not meet the minimum length password policy."));
            }
            if (maxLength >= 1 && password.length() > maxLength) {
                reasons.add(reason("maxLength", "The password does not meet the maximum length password policy."));
            }
            // the same character more than repeatingCount times in a row
            if (forbidRepeating && Pattern.compile("(.)\\1{" + Math.max(0, repeatingCount) + ",}").matcher(password).find()) {
                reasons.add(reason("repeatingCharacters",
                        "The password contains repeating characters which is against the password policy."));
            }
            if (lowercase && !LOWERCASE.matcher(password).find()) {
                reasons.add(reason("oneLowercase",
                        "The password does not contain at least one lowercase character which is against the password policy."));
            }
            if (uppercase && !UPPERCASE.matcher(password).find()) {
                reasons.add(reason("oneUppercase",
                        "The password does not contain at least one uppercase character which is against the password policy."));
            }
            if (number && !NUMBER.matcher(password).find()) {
                reasons.add(reason("oneNumber",
                        "The password does not contain at least one numerical character which is against the password policy."));
            }
            if (special && !SPECIAL.matcher(password).find()) {
                reasons.add(reason("oneSpecial",
                        "The password does not contain at least one special character which is against the password policy."));
            }
            return reasons;
        }

        private static Map<String, String> reason(String rule, String message) {
            Map<String, String> reason = new LinkedHashMap<>();
            reason.put("error", POLICY_NOT_MET + "-" + rule);
            reason.put("message", message);
            return reason;
        }
    }
}
