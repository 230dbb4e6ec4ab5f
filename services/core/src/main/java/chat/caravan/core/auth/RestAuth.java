package chat.caravan.core.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.LoginTokenHash;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Authenticates a REST request from its {@code X-User-Id} and {@code X-Auth-Token} headers by asking the accounts
 * service ({@code accounts.validateToken}). Route files call {@code bean:restAuth?method=authenticate} first; the
 * user document (without secrets) is then the exchange property {@link #USER}, its id {@link #USER_ID}.
 *
 * <p>Validated pairs are remembered for a few seconds; a logout or a change to the user evicts them at once.
 */
@Component("restAuth")
public class RestAuth {

    public static final String USER = "caravanUser";
    public static final String USER_ID = "caravanUserId";
    public static final String AUTH_TOKEN = "caravanAuthToken";

    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final BusClient bus;
    private final Map<String, Cached> validated = new ConcurrentHashMap<>();
    private AutoCloseable logoutEvents;
    private AutoCloseable userEvents;
    private AutoCloseable revocations;

    public RestAuth(BusClient bus) {
        this.bus = bus;
    }

    @PostConstruct
    void listen() {
        logoutEvents = bus.subscribe("accounts.logout", event -> evictUser(event.path("userId").asText()));
        userEvents = bus.subscribe("watch.users", event -> evictUser(event.path("id").asText()));
        revocations = bus.subscribe("accounts.tokensRevoked", event -> evictUser(event.path("userId").asText()));
    }

    @PreDestroy
    void stop() throws Exception {
        logoutEvents.close();
        userEvents.close();
        revocations.close();
    }

    /** Requires a valid user; otherwise 401 "You must be logged in to do this.". */
    public void authenticate(Exchange exchange) {
        if (!tryAuthenticate(exchange)) {
            throw CaravanException.notLoggedIn();
        }
    }

    /** Authenticates when credentials are present; true when the request now has a user. */
    public boolean tryAuthenticate(Exchange exchange) {
        String userId = header(exchange, "X-User-Id");
        String token = header(exchange, "X-Auth-Token");
        if (userId == null || token == null || userId.isBlank() || token.isBlank()) {
            return false;
        }
        String key = userId + ":" + LoginTokenHash.of(token);
        long now = System.nanoTime();
        Cached cached = validated.get(key);
        JsonNode user;
        if (cached != null && cached.expiresAt > now) {
            user = cached.user;
        } else {
            try {
                user = bus.call("accounts.validateToken", Map.of("userId", userId, "token", token)).path("user");
            } catch (CaravanException e) {
                if (e.status() == 401 || e.status() == 403) {
                    return false;
                }
                throw e;
            }
            validated.put(key, new Cached(user, userId, now + CACHE_TTL.toNanos()));
        }
        exchange.setProperty(USER, user);
        exchange.setProperty(USER_ID, userId);
        exchange.setProperty(AUTH_TOKEN, token);
        return true;
    }

    /** The authenticated user's id; only after {@link #authenticate}. */
    public static String userId(Exchange exchange) {
        return exchange.getProperty(USER_ID, String.class);
    }

    public static JsonNode user(Exchange exchange) {
        return exchange.getProperty(USER, JsonNode.class);
    }

    /** Forgets a token at once (this replica's logout); other replicas hear the accounts.logout event. */
    public void forget(String userId, String token) {
        validated.remove(userId + ":" + LoginTokenHash.of(token));
    }

    /**
     * Forgets every validated token of the user at once (this replica removed some of them); other replicas hear the
     * accounts.tokensRevoked event.
     */
    public void forgetUser(String userId) {
        evictUser(userId);
    }

    private void evictUser(String userId) {
        validated.values().removeIf(cached -> cached.userId.equals(userId));
    }

    private static String header(Exchange exchange, String name) {
        Object value = exchange.getIn().getHeader(name);
        if (value == null) {
            value = exchange.getIn().getHeader(name.toLowerCase());
        }
        return value == null ? null : value.toString().trim();
    }

    private record Cached(JsonNode user, String userId, long expiresAt) {
    }
}
