package chat.caravan.common.rest;

import chat.caravan.common.bus.BusUnavailableException;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one place a failure becomes a REST reply in Rocket.Chat's error shape. Route files reach it through the
 * {@code rest-errors} route configuration (routes/platform/rest-errors.yaml). No stack trace ever leaves.
 */
@Component("restErrors")
public class RestErrors {

    private static final Logger LOG = LoggerFactory.getLogger(RestErrors.class);

    /** Exchange property holding the failure once rendered, so a bus consumer still answers it as an error. */
    public static final String FAILURE = "caravanFailure";

    public void render(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        exchange.setException(null);
        exchange.setProperty(FAILURE, failure);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("success", false);
        int status;
        CaravanException coded = find(failure, CaravanException.class);
        if (coded != null) {
            status = coded.status();
            body.put("error", coded.getMessage());
            if (status == 429) {
                // Rocket.Chat's tooManyRequests: the message alone
                RestReplies.write(exchange, status, body);
                return;
            }
            if (coded.errorType() != null) {
                body.put("errorType", coded.errorType());
            }
            if (coded.details() != null) {
                body.set("details", CaravanJson.ejson().valueToTree(coded.details()));
            }
            if (status == 401) {
                // clients of older servers read status and message on a 401
                body.put("status", "error");
                body.put("message", coded.getMessage());
            }
        } else if (find(failure, JsonProcessingException.class) != null) {
            status = 400;
            body.put("error", "The request body is not valid JSON [invalid-params]");
            body.put("errorType", "invalid-params");
        } else if (find(failure, BusUnavailableException.class) != null) {
            status = 503;
            LOG.warn("Request {} {} failed: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_PATH), failure.getMessage());
            body.put("error", "Service unavailable, try again");
            body.put("errorType", "error-service-unavailable");
            // how long a client waits before trying again: about one bus reconnect
            RestReplies.addReplyHeader(exchange, "Retry-After", "5");
        } else {
            status = 500;
            LOG.error("Route {} failed ({} {})", exchange.getFromRouteId(),
                    exchange.getIn().getHeader(Exchange.HTTP_METHOD), exchange.getIn().getHeader(Exchange.HTTP_URI),
                    failure);
            body.put("error", "Internal server error");
        }
        RestReplies.write(exchange, status, body);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
