package chat.caravan.core.integrations;

import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.core.Caller;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * A step for integrators' routes that bring messages in (a folder, a broker, mail): {@code to:
 * bean:routePostedMessages?method=post} posts the body as a message, like an incoming webhook but without one. The body
 * is the text, or a map in an incoming webhook's shape ({@code text}, {@code channel}, {@code alias},
 * {@code attachments}, ...). Headers: {@code caravanChannel} ({@code #room}, {@code @user} or a room id) unless the map
 * names one, {@code caravanPostAs} (the username to post as, required), {@code caravanAlias} optional. The message
 * goes through the message pipeline; its {@code bot.i} is the route's id.
 */
@Component("routePostedMessages")
public class RoutePostedMessages {

    public static final String CHANNEL = "caravanChannel";
    public static final String POST_AS = "caravanPostAs";
    public static final String ALIAS = "caravanAlias";

    private final WebhookMessages messages;
    private final MongoDatabase database;

    public RoutePostedMessages(WebhookMessages messages, MongoDatabase database) {
        this.messages = messages;
        this.database = database;
    }

    public void post(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        ObjectNode payload;
        if (body instanceof Map<?, ?> map) {
            payload = CaravanJson.ejson().valueToTree(map);
        } else {
            payload = CaravanJson.ejson().createObjectNode().put("text", exchange.getIn().getBody(String.class));
        }
        String channel = exchange.getIn().getHeader(CHANNEL, String.class);
        if (!payload.hasNonNull("channel") && !payload.hasNonNull("roomId")) {
            if (channel == null) {
                throw CaravanException.coded("invalid-channel", "Header caravanChannel names no room");
            }
            payload.put("channel", channel);
        }
        String alias = exchange.getIn().getHeader(ALIAS, String.class);
        if (alias != null && !payload.hasNonNull("alias")) {
            payload.put("alias", alias);
        }
        String username = exchange.getIn().getHeader(POST_AS, String.class);
        Document user = username == null ? null : database.getCollection("users").find(Filters.eq("username", username)).first();
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Header caravanPostAs names no user");
        }
        Document source = new Document("_id", exchange.getFromRouteId());
        List<Document> sent = messages.post(payload, Caller.byId(user.getString("_id"), database), source, List.of());
        exchange.getMessage().setBody(sent.isEmpty() ? null : sent.get(0));
    }
}
