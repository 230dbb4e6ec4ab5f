package chat.caravan.accounts.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

import chat.caravan.common.error.CaravanException;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.stereotype.Component;

/**
 * Passwords as Meteor's accounts-password keeps them: bcrypt (cost 10) of the lowercase SHA-256 hex of the plain
 * password. A client sends the plain password or {@code {digest, algorithm: "sha-256"}}; both verify against the
 * same hash, so a users collection copied from Rocket.Chat logs in unchanged.
 */
@Component
public class PasswordHashing {

    static final int COST = 10;

    /**
     * Compared against when a login names nobody (or a user without a password), so every failure costs one bcrypt:
     * a hash of cost {@link #COST} of a random digest that was thrown away, fixed here rather than hashed at every start
     * (a bcrypt on the start's critical path). A match with it never logs anyone in.
     */
    private final String dummyHash = "$2b$10$I2uZ6wufZue7xC08rRU/U.pYx/CzcaaEDQy.UA/ujYvwLG106xgQW";
    private final LongAdder verifications = new LongAdder();

    /** The bcrypt hash to store for a plain password. */
    public String hash(String plainPassword) {
        return BCrypt.hashpw(sha256Hex(plainPassword), BCrypt.gensalt("$2b", COST));
    }

    /** The SHA-256 hex digest a login request carries, from either accepted form. */
    public String digestOf(JsonNode password) {
        if (password == null || password.isNull() || password.isMissingNode()) {
            throw CaravanException.invalidParams("Match error: password is required");
        }
        if (password.isTextual()) {
            return sha256Hex(password.asText());
        }
        if (password.isObject()) {
            JsonNode digest = password.has("digest") ? password.get("digest") : password.get("hashed");
            String algorithm = password.has("hashed") ? "sha-256" : password.path("algorithm").asText("");
            if (digest != null && digest.isTextual() && "sha-256".equals(algorithm)
                    && digest.asText().matches("[0-9a-fA-F]{64}")) {
                return digest.asText().toLowerCase();
            }
        }
        throw CaravanException.invalidParams("Match error: password must be a string or {digest, algorithm: \"sha-256\"}");
    }

    /**
     * Whether the digest matches the stored bcrypt hash. A missing or malformed hash never matches, but is checked
     * against a dummy hash first so that the answer takes as long as a real comparison.
     */
    public boolean matches(String digest, String storedHash) {
        verifications.increment();
        boolean usable = storedHash != null && storedHash.startsWith("$2");
        try {
            // Meteor writes $2b$; jBCrypt's Java port reads $2a$, $2b$ and $2y$ alike
            return BCrypt.checkpw(digest, usable ? storedHash : dummyHash) && usable;
        } catch (IllegalArgumentException e) {
            if (usable) {
                BCrypt.checkpw(digest, dummyHash);
            }
            return false;
        }
    }

    /** Spends the time of one comparison, for a login that names nobody. */
    public void compareWithNobody(String digest) {
        matches(digest, null);
    }

    /** How many bcrypt comparisons this instance has made (every login failure must make one). */
    public long verifications() {
        return verifications.sum();
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
