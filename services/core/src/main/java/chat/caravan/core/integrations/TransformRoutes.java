package chat.caravan.core.integrations;

import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.core.LazyProducer;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Caravan's version of Rocket.Chat's integration scripts: the payload of a webhook (a map) goes through the route
 * its {@code transformRoute} names (a {@code direct:} endpoint in a YAML file), which may change it, replace it, or
 * leave no body to drop it. Header {@code caravanIntegrationId} and {@code caravanIntegrationName} say which webhook.
 */
@Component
public class TransformRoutes {

    private final CamelContext camel;
    private final LazyProducer producer;

    public TransformRoutes(CamelContext camel) {
        this.camel = camel;
        this.producer = new LazyProducer(camel);
    }

    /** The transformed payload, or null when the route dropped it. */
    @SuppressWarnings("unchecked")
    public JsonNode transform(Document integration, JsonNode payload) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(CaravanJson.ejson().convertValue(payload, Map.class));
        exchange.getIn().setHeader("caravanIntegrationId", integration.getString("_id"));
        exchange.getIn().setHeader("caravanIntegrationName", integration.getString("name"));
        producer.get().send(integration.getString("transformRoute"), exchange);
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(chat.caravan.common.rest.RestErrors.FAILURE, Throwable.class);
        if (failure != null) {
            throw CaravanException.coded("error-running-script", "The integration's transformRoute failed: " + failure.getMessage());
        }
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return null;
        }
        if (body instanceof String || body instanceof byte[]) {
            try {
                return body instanceof String text ? CaravanJson.ejson().readTree(text) : CaravanJson.ejson().readTree((byte[]) body);
            } catch (java.io.IOException e) {
                throw CaravanException.coded("error-running-script", "The integration's transformRoute left no JSON object");
            }
        }
        JsonNode node = CaravanJson.ejson().valueToTree(body);
        if (!node.isObject()) {
            throw CaravanException.coded("error-running-script", "The integration's transformRoute left no JSON object");
        }
        return node;
    }

}
