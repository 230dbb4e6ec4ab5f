package chat.caravan.core.integrations;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code POST /hooks/:integrationId/:token}: an incoming webhook posts its payload (JSON, or a form with a
 * {@code payload} field) to its channels as its user, as Rocket.Chat does. A webhook with a {@code transformRoute}
 * first sends the payload (a map) to that route; what the route leaves is posted, and nothing when it leaves no body.
 */
@Component("incomingWebhooks")
public class IncomingWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(IncomingWebhooks.class);

    private final IntegrationStore store;
    private final WebhookMessages messages;
    private final TransformRoutes transforms;
    private final MongoDatabase database;

    public IncomingWebhooks(IntegrationStore store, WebhookMessages messages, TransformRoutes transforms, MongoDatabase database) {
        this.store = store;
        this.messages = messages;
        this.transforms = transforms;
        this.database = database;
    }

    public void execute(Exchange exchange) {
        String id = exchange.getIn().getHeader("integrationId", String.class);
        String token = exchange.getIn().getHeader("token", String.class);
        JsonNode payload = payload(exchange);
        Document integration = id == null || token == null ? null : store.integrations().find(Filters.and(
                Filters.eq("_id", id), Filters.eq("token", URLDecoder.decode(token, StandardCharsets.UTF_8)),
                Filters.eq("type", IntegrationStore.INCOMING))).first();
        if (integration == null) {
            LOG.info("Incoming webhook {}: unknown id or wrong token", id);
            throw CaravanException.notFound("Invalid integration id or token provided.");
        }
        if (!Boolean.TRUE.equals(integration.getBoolean("enabled"))) {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
            exchange.getMessage().setBody("Service Unavailable");
            return;
        }
        Caller user = Caller.byId(integration.getString("userId"), database);
        if (integration.getString("transformRoute") != null) {
            payload = transforms.transform(integration, payload);
            if (payload == null) {
                RestReplies.ok(exchange, Map.of());
                return;
            }
        }
        if (payload.isEmpty()) {
            RestReplies.ok(exchange, Map.of());
            return;
        }
        if ((payload.hasNonNull("channel") || payload.hasNonNull("roomId"))
                && !Boolean.TRUE.equals(integration.getBoolean("overrideDestinationChannelEnabled"))) {
            throw CaravanException.plain("overriding destination channel is disabled for this integration");
        }
        List<Document> sent = messages.post(payload, user, integration,
                integration.getList("channel", String.class, List.of()));
        LOG.info("Incoming webhook {} posted {} message(s)", id, sent.size());
        RestReplies.ok(exchange, Map.of());
    }

    /** The JSON body, or the JSON of a form's {@code payload} field (Slack's form). */
    private static JsonNode payload(Exchange exchange) {
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            String wrapped = RestRequest.query(exchange, "payload");
            if (wrapped == null) {
                String raw = exchange.getIn().getBody(String.class);
                for (String pair : raw == null ? new String[0] : raw.split("&")) {
                    if (pair.startsWith("payload=")) {
                        wrapped = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
                    }
                }
            }
            if (wrapped == null) {
                return CaravanJson.ejson().createObjectNode();
            }
            try {
                JsonNode node = CaravanJson.ejson().readTree(wrapped);
                if (node == null || !node.isObject()) {
                    throw CaravanException.plain("The payload must be a JSON object");
                }
                return node;
            } catch (java.io.IOException e) {
                throw CaravanException.plain(e.getMessage());
            }
        }
        return RestRequest.body(exchange);
    }
}
