package chat.caravan.common.bus;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code bus:} Camel component, so route files read the same in every mode:
 * {@code from: bus:rpc:accounts.login} serves a call, {@code to: bus:rpc:accounts.login} makes one,
 * {@code from: bus:event:watch.messages} receives an event, {@code to: bus:event:watch.messages} publishes one.
 * Whether NATS or the in-process bus carries them is decided once, by TRANSPORTER.
 */
public class BusComponent extends DefaultComponent {

    private final BusClient client;

    public BusComponent(BusClient client) {
        this.client = client;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        int colon = remaining.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("bus endpoint needs a kind and a name, e.g. bus:rpc:accounts.login: " + uri);
        }
        BusEndpoint.Kind kind = BusEndpoint.Kind.of(remaining.substring(0, colon));
        String name = remaining.substring(colon + 1);
        if (name.isBlank()) {
            throw new IllegalArgumentException("bus endpoint without a name: " + uri);
        }
        return new BusEndpoint(uri, this, kind, name, client);
    }
}
