package chat.caravan.core.info;

import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.rest.RestReplies;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** What {@code GET /api/info} tells clients: the Rocket.Chat version this server speaks. */
@Component("serverInfo")
public class ServerInfo {

    private final CaravanProperties properties;

    public ServerInfo(CaravanProperties properties) {
        this.properties = properties;
    }

    public void info(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", properties.getVersion());
        body.put("minimumClientVersions", Map.of("desktop", "3.9.0", "mobile", "4.39.0"));
        RestReplies.ok(exchange, body);
    }
}
