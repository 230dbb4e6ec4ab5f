package chat.caravan.common.ratelimit;

import java.util.Map;
import java.util.Set;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.http.ClientAddress;
import chat.caravan.common.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's DDP rate limiter (its DDP_Rate_Limit_* rules over Meteor's DDPRateLimiter) for method calls and
 * subscriptions, whether they arrive on a DDP connection (ddp-streamer) or through the REST method.call tunnel (core):
 * <ul>
 * <li>IP: every call from one client address (127.0.0.1 exempt, as in Rocket.Chat);</li>
 * <li>User and Connection: every call of one logged-in user, of one connection;</li>
 * <li>User_By_Method and Connection_By_Method: per method name (stream-* methods get 4x the calls in 4x the time);</li>
 * <li>Meteor's own accounts rule: login, createUser, resetPassword, forgotPassword 5 times per 10 s per connection;</li>
 * <li>sendMessage: 5 per second per user, Rocket.Chat's own rule for it (so the per-method rules skip it).</li>
 * </ul>
 * A call every matching rule counts; the call is refused when any rule is over its limit, with Meteor's
 * {@code too-many-requests} error. Limits are read from the settings on every call (an administrator's change applies
 * at once); counts live in memory per instance, as in Rocket.Chat. With {@code TEST_MODE=true} (Rocket.Chat's switch for
 * running its own test suite) no call is limited, as in Rocket.Chat.
 */
@Component("ddpRateLimiter")
public class DdpRateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(DdpRateLimiter.class);
    private static final String LOCALHOST = "127.0.0.1";
    private static final Set<String> ACCOUNT_METHODS = Set.of("login", "createUser", "resetPassword", "forgotPassword");
    /** Methods with a rule of their own in Rocket.Chat: the per-method rules leave them alone. */
    private static final Set<String> OWN_RULES = Set.of("sendMessage");
    private static final int STREAM_FACTOR = 4;

    /** Rocket.Chat's defaults, for a database whose settings were never seeded. */
    private static final Map<String, Integer> DEFAULT_CALLS = Map.of("IP", 120_000, "User", 1200, "Connection", 600,
            "User_By_Method", 20, "Connection_By_Method", 10);
    private static final Map<String, Integer> DEFAULT_INTERVALS = Map.of("IP", 60_000, "User", 60_000, "Connection", 60_000,
            "User_By_Method", 10_000, "Connection_By_Method", 10_000);

    private final RateLimiter limiter = new RateLimiter();
    private final Settings settings;
    private final int accountCalls;
    private final long accountIntervalMs;
    private final boolean testMode;

    public DdpRateLimiter(Settings settings,
            @Value("${caravan.ddp.accounts-rate-limit.calls:5}") int accountCalls,
            @Value("${caravan.ddp.accounts-rate-limit.interval:10000}") long accountIntervalMs,
            @Value("${TEST_MODE:false}") boolean testMode) {
        this.settings = settings;
        this.testMode = testMode;
        this.accountCalls = accountCalls;
        this.accountIntervalMs = accountIntervalMs;
    }

    /** One DDP call as the rules see it; {@code type} is "method" or "subscription". */
    public record Call(String type, String name, String userId, String connectionId, String clientAddress) {
    }

    /** Counts the call against every rule it matches; throws Meteor's too-many-requests when one is over its limit. */
    public void check(Call call) {
        if (testMode) {
            return;
        }
        RateLimiter.Decision refused = null;
        if (call.clientAddress() != null && !LOCALHOST.equals(call.clientAddress())) {
            refused = worse(refused, configured("IP", ClientAddress.rateLimitKey(call.clientAddress()), 1));
        }
        if (call.userId() != null) {
            refused = worse(refused, configured("User", call.userId(), 1));
        }
        refused = worse(refused, configured("Connection", call.connectionId(), 1));
        String name = call.name() == null ? "" : call.name();
        if (!name.isEmpty() && !OWN_RULES.contains(name)) {
            int factor = name.startsWith("stream-") ? STREAM_FACTOR : 1;
            String method = call.type() + ":" + name;
            if (call.userId() != null) {
                refused = worse(refused, configured("User_By_Method", method + ":" + call.userId(), factor));
            }
            refused = worse(refused, configured("Connection_By_Method", method + ":" + call.connectionId(), factor));
        }
        if ("method".equals(call.type()) && ACCOUNT_METHODS.contains(name)) {
            refused = worse(refused, limiter.hit("Accounts", name + ":" + call.connectionId(), accountCalls, accountIntervalMs));
        }
        if ("method".equals(call.type()) && "sendMessage".equals(name) && call.userId() != null) {
            refused = worse(refused, limiter.hit("sendMessage", call.userId(), 5, 1000));
        }
        if (refused != null) {
            LOG.info("DDP rate limit: {} {} refused for user {} on connection {} from {}", call.type(), name, call.userId(),
                    call.connectionId(), call.clientAddress());
            throw tooManyRequests(refused);
        }
    }

    /** Meteor's error for a call over a limit. */
    public static CaravanException tooManyRequests(RateLimiter.Decision decision) {
        return new CaravanException(429, "too-many-requests", "Error, too many requests. Please slow down. You must wait "
                + decision.secondsToReset() + " seconds before trying again.", Map.of("timeToReset", decision.timeToResetMs()));
    }

    private RateLimiter.Decision configured(String rule, String key, int factor) {
        String prefix = "DDP_Rate_Limit_" + rule + "_";
        if (key == null || !settings.bool(prefix + "Enabled", true)) {
            return null;
        }
        int calls = settings.integer(prefix + "Requests_Allowed", DEFAULT_CALLS.get(rule));
        int interval = settings.integer(prefix + "Interval_Time", DEFAULT_INTERVALS.get(rule));
        if (calls <= 0 || interval <= 0) {
            return null;
        }
        return limiter.hit(rule + "x" + factor, key, calls * factor, (long) interval * factor);
    }

    /** The refusal that lasts longest, as Meteor reports when several rules refuse. */
    private static RateLimiter.Decision worse(RateLimiter.Decision current, RateLimiter.Decision next) {
        if (next == null || next.allowed()) {
            return current;
        }
        return current == null || next.timeToResetMs() > current.timeToResetMs() ? next : current;
    }
}
