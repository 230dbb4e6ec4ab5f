package chat.caravan.accounts.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * Which login tokens an account write just removed, told to every instance as the {@code accounts.tokensRevoked}
 * event ({@code {userId, hashedTokens}}; no {@code hashedTokens}: every token of the user). ddp-streamer closes the
 * connections logged in with them, as Meteor does; core forgets them. A bean records the revocation on the exchange;
 * the route {@code accounts-tokens-revoked-event} publishes it.
 */
public final class TokenRevocations {

    /** The exchange property holding the event of this exchange's revocation, if any. */
    public static final String PROPERTY = "caravanRevokedTokens";

    private TokenRevocations() {
    }

    /** The tokens with these hashes were removed. */
    public static void some(Exchange exchange, String userId, List<String> hashedTokens) {
        if (exchange != null) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("userId", userId);
            event.put("hashedTokens", hashedTokens);
            exchange.setProperty(PROPERTY, event);
        }
    }

    /** Every token of the user was removed. */
    public static void all(Exchange exchange, String userId) {
        if (exchange != null) {
            exchange.setProperty(PROPERTY, Map.of("userId", userId));
        }
    }
}
