package chat.caravan.common.topic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import chat.caravan.common.health.Metrics;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code topic:} Camel component: publish and subscribe inside one process, in order.
 * {@code to: topic:message.saved} hands the exchange to every route that reads {@code from: topic:message.saved}.
 * <ul>
 * <li>Each listening route has its own queue and its own thread, so a slow listener slows only itself.</li>
 * <li>Each listener gets the exchanges in the order they were published, the same order for every listener.</li>
 * <li>Each listener gets its own copy: a listener that changes the body changes only its own.</li>
 * <li>The publisher never waits. With nobody listening nothing is queued; a listener whose queue is full (option
 * {@code size}, default 1000) misses that exchange, which is logged and counted
 * ({@code caravan_topic_dropped_total{topic}}).</li>
 * </ul>
 * Camel's {@code seda:...?multipleConsumers=true} does the first and the last, but hands exchanges to its listeners on
 * a shared pool, so one listener may see the second message before the first.
 */
public class TopicComponent extends DefaultComponent {

    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final Metrics metrics;

    /** @param metrics where each topic counts what its listeners missed and shows what they have waiting */
    public TopicComponent(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String name = remaining.strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("topic endpoint without a name, e.g. topic:message.saved: " + uri);
        }
        TopicEndpoint endpoint = new TopicEndpoint(uri, this, topic(name));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The topic of this name, made on first use. */
    Topic topic(String name) {
        return topics.computeIfAbsent(name, n -> new Topic(n, metrics));
    }
}
