package chat.caravan.core.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.http.ClientAddress;
import chat.caravan.common.ratelimit.RateLimiter;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's REST rate limiter as a route step ({@code bean:restRateLimiter?method=check}): each endpoint that
 * names it allows API_Enable_Rate_Limiter_Limit_Calls_Default calls per API_Enable_Rate_Limiter_Limit_Time_Default ms
 * from one client address, answers every call with X-RateLimit-Limit, -Remaining and -Reset (epoch ms), and refuses
 * the calls beyond with 429 {@code error-too-many-requests}. Settings are read on every call, so an administrator's
 * change applies at once; counts are kept in memory per instance, as Rocket.Chat keeps them. With {@code TEST_MODE=true}
 * (Rocket.Chat's switch for running its own test suite) nothing is limited, as in Rocket.Chat.
 */
@Component("restRateLimiter")
public class RestRateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RestRateLimiter.class);

    private final RateLimiter limiter = new RateLimiter();
    private final Settings settings;
    private final ClientAddress clientAddress;
    private final boolean development;
    private final boolean testMode;

    public RestRateLimiter(Settings settings, ClientAddress clientAddress, Environment environment) {
        this.settings = settings;
        this.clientAddress = clientAddress;
        // Rocket.Chat skips its REST limiter in development unless API_Enable_Rate_Limiter_Dev says otherwise
        this.development = "development".equals(environment.getProperty("NODE_ENV"));
        this.testMode = "true".equals(environment.getProperty("TEST_MODE"));
    }

    /** Counts this call against its endpoint and client address; throws 429 once the limit is passed. */
    public void check(Exchange exchange) {
        if (testMode || !settings.bool("API_Enable_Rate_Limiter", true)
                || (development && !settings.bool("API_Enable_Rate_Limiter_Dev", true))) {
            return;
        }
        int limit = settings.integer("API_Enable_Rate_Limiter_Limit_Calls_Default", 10);
        int intervalMs = settings.integer("API_Enable_Rate_Limiter_Limit_Time_Default", 60_000);
        if (limit <= 0 || intervalMs <= 0) {
            return;
        }
        String endpoint = exchange.getFromRouteId() + " " + exchange.getIn().getHeader(Exchange.HTTP_METHOD, "", String.class);
        String address = String.valueOf(clientAddress.of(exchange));
        RateLimiter.Decision decision = limiter.hit(endpoint, ClientAddress.rateLimitKey(address), limit, intervalMs);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", String.valueOf(decision.limit()));
        headers.put("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
        headers.put("X-RateLimit-Reset", String.valueOf(decision.resetAtMs()));
        exchange.setProperty(RestReplies.REPLY_HEADERS, headers);
        if (!decision.allowed()) {
            LOG.info("Rate limit of {} reached by {}", endpoint, address);
            throw new CaravanException(429, "error-too-many-requests", "Error, too many requests. Please slow down. You must wait "
                    + decision.secondsToReset() + " seconds before trying this endpoint again.",
                    Map.of("timeToReset", decision.timeToResetMs(), "seconds", decision.secondsToReset()));
        }
    }
}
