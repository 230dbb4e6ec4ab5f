package chat.caravan.common.health;

import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.rest.RestReplies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;

/**
 * Kubernetes probes. Live: the process answers. Ready: start-up has finished (its ready-time work such as creating
 * the first administrator included), Camel has started, MongoDB answers a ping and the bus is connected; until then
 * the pod gets no traffic.
 */
@Component("healthChecks")
public class HealthChecks {

    private final CamelContext camelContext;
    private final MongoDatabase database;
    private final BusClient bus;
    private final CaravanProperties properties;
    private final ObjectProvider<ApplicationAvailability> availability;

    public HealthChecks(CamelContext camelContext, MongoDatabase database, BusClient bus, CaravanProperties properties,
            ObjectProvider<ApplicationAvailability> availability) {
        this.availability = availability;
        this.camelContext = camelContext;
        this.database = database;
        this.bus = bus;
        this.properties = properties;
    }

    public void live(Exchange exchange) {
        RestReplies.write(exchange, 200, JsonNodeFactory.instance.objectNode().put("status", "UP"));
    }

    public void ready(Exchange exchange) {
        Map<String, Boolean> checks = readiness();
        boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("service", properties.getService());
        checks.forEach(body.putObject("checks")::put);
        RestReplies.write(exchange, ready ? 200 : 503, body);
    }

    public Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        ApplicationAvailability state = availability.getIfAvailable();
        // Spring says "accepting traffic" only once every ready-time listener has run
        checks.put("started", state == null || state.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
        checks.put("camel", camelContext.getStatus().isStarted());
        checks.put("mongodb", mongoAnswers());
        checks.put("bus", bus.isConnected());
        return checks;
    }

    private boolean mongoAnswers() {
        try {
            database.runCommand(new Document("ping", 1));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
