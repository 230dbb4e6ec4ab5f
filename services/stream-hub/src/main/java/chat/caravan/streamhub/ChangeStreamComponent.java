package chat.caravan.streamhub;

import java.util.Map;

import chat.caravan.common.bus.BusClient;
import com.mongodb.client.MongoDatabase;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.springframework.stereotype.Component;

/**
 * {@code change-stream:<collection>}: a loss-free change-stream consumer. camel-mongodb's changeStreams consumer
 * keeps its resume position in memory and moves it before the route has handled an event, and it passes on neither
 * the update description nor the resume token; stream-hub needs all three, so it has this small consumer of its own
 * (see {@link ChangeStreamConsumer}).
 */
@Component("change-stream")
public class ChangeStreamComponent extends DefaultComponent {

    private final MongoDatabase database;
    private final StreamPositions positions;
    private final PublisherLease lease;
    private final ChangeEvents events;
    private final BusClient bus;
    private final ChangeStreamMetrics metrics;
    /** The consumers following a collection now. */
    private final java.util.Set<ChangeStreamConsumer> following = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ChangeStreamComponent(MongoDatabase database, StreamPositions positions, PublisherLease lease,
            ChangeEvents events, BusClient bus, ChangeStreamMetrics metrics) {
        this.metrics = metrics;
        this.database = database;
        this.positions = positions;
        this.lease = lease;
        this.events = events;
        this.bus = bus;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String collection = remaining;
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                throw new UnsupportedOperationException("change-stream endpoints only consume");
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                return new ChangeStreamConsumer(this, processor, database.getCollection(collection), positions, lease,
                        events, bus, metrics, following);
            }
        };
    }
}
