package chat.caravan.common.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A login token as Rocket.Chat stores it ({@code services.resume.loginTokens.hashedToken}): SHA-256, Base64. Services
 * compare tokens by this hash, so a raw token never crosses the bus in an event.
 */
public final class LoginTokenHash {

    private LoginTokenHash() {
    }

    public static String of(String token) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
