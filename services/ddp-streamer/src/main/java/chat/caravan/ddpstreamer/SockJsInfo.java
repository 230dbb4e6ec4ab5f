package chat.caravan.ddpstreamer;

import java.security.SecureRandom;

import chat.caravan.common.rest.RestReplies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code GET /sockjs/info}: SockJS's capability probe. Only the websocket transport is offered. */
@Component("sockJsInfo")
public class SockJsInfo {

    private final SecureRandom random = new SecureRandom();

    public void info(Exchange exchange) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("websocket", true);
        body.putArray("origins").add("*:*");
        body.put("cookie_needed", false).put("entropy", Integer.toUnsignedLong(random.nextInt()));
        RestReplies.write(exchange, 200, body);
        exchange.getMessage().setHeader("Access-Control-Allow-Origin", "*");
        exchange.getMessage().setHeader("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0");
    }
}
