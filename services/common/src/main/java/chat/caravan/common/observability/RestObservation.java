package chat.caravan.common.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.common.health.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * Every REST route: its request id (MDC, reply header) and its latency, {@code caravan_rest_request_seconds} labelled
 * with the HTTP method, the route's path as declared (Rocket.Chat's, e.g. /api/v1/chat.postMessage, never an id) and
 * the status answered. Routes fed by anything but HTTP get no policy.
 */
@Component
public class RestObservation implements RoutePolicyFactory {

    static final String STARTED_AT = "caravanRequestStarted";
    static final String PREVIOUS_ID = "caravanPreviousRequestId";
    static final String REQUEST_ID = "caravanRequestId";

    private final Metrics metrics;

    public RestObservation(Metrics metrics, CamelContext camelContext) {
        this.metrics = metrics;
        camelContext.addRoutePolicyFactory(this);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new Policy();
    }

    private final class Policy extends RoutePolicySupport {
        private String method;
        private String path;
        private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

        @Override
        public void onInit(Route route) {
            Endpoint endpoint = route.getEndpoint();
            if (endpoint instanceof RestEndpoint rest) {
                method = rest.getMethod() == null ? "ANY" : rest.getMethod().toUpperCase();
                path = join(rest.getPath(), rest.getUriTemplate());
            } else if (endpoint instanceof PlatformHttpEndpoint http) {
                method = http.getHttpMethodRestrict() == null ? "ANY" : http.getHttpMethodRestrict().toUpperCase();
                path = http.getPath();
            }
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (path == null) {
                return;
            }
            exchange.setProperty(STARTED_AT, System.nanoTime());
            String id = RequestIds.acceptOrCreate(exchange.getIn().getHeader(RequestIds.HEADER, String.class));
            exchange.setProperty(REQUEST_ID, id);
            String previous = RequestIds.enter(id);
            if (previous != null) {
                exchange.setProperty(PREVIOUS_ID, previous);
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Long started = exchange.getProperty(STARTED_AT, Long.class);
            if (path == null || started == null) {
                return;
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            int code = status != null ? status : exchange.getException() != null ? 500 : 200;
            timers.computeIfAbsent(code, c -> metrics.latency("caravan.rest.request",
                            "REST requests by route path and status", "method", method, "path", path, "status",
                            Integer.toString(c)))
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            exchange.getMessage().setHeader(RequestIds.HEADER, exchange.getProperty(REQUEST_ID, String.class));
            RequestIds.restore(exchange.getProperty(PREVIOUS_ID, String.class));
        }
    }

    private static String join(String base, String template) {
        String left = base == null ? "" : base;
        if (template == null || template.isEmpty()) {
            return left;
        }
        return left.endsWith("/") || template.startsWith("/") ? left + template : left + "/" + template;
    }
}
