package chat.caravan.accounts.login;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import chat.caravan.common.settings.Settings;
import org.springframework.stereotype.Component;

/**
 * Resume tokens as Meteor issues them: 43 URL-safe characters (256 random bits), stored only as
 * base64(SHA-256(token)) with the time it was issued; valid for Accounts_LoginExpiration days (90).
 */
@Component
public class LoginTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;

    public LoginTokens(Settings settings) {
        this.settings = settings;
    }

    public String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Duration lifetime() {
        int days = settings.integer("Accounts_LoginExpiration", 90);
        return Duration.ofDays(days > 0 ? days : 90);
    }

    public Date expiresAt(Date issued) {
        return Date.from(issued.toInstant().plus(lifetime()));
    }

    public boolean isExpired(Date issued, Instant now) {
        return issued == null || !issued.toInstant().plus(lifetime()).isAfter(now);
    }
}
