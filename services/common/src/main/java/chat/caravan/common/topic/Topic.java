package chat.caravan.common.topic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import chat.caravan.common.health.Metrics;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One named topic: its listeners, and the lock that gives every listener the same order. */
final class Topic {

    private static final Logger LOG = LoggerFactory.getLogger(Topic.class);

    private final String name;
    private final Metrics metrics;
    private final List<TopicConsumer> listeners = new CopyOnWriteArrayList<>();
    private final Counter dropped;
    /** Misses since the last warning, and when that was: only touched while publishing, under the topic's lock. */
    private long droppedSinceLogged;
    private long lastDropLogged;

    Topic(String name, Metrics metrics) {
        this.name = name;
        this.metrics = metrics;
        this.dropped = metrics.counter("caravan_topic_dropped",
                "Exchanges a topic: listener missed because its queue was full", "topic", name);
    }

    String name() {
        return name;
    }

    /** Where a listener shows how many exchanges it has waiting. */
    Metrics metrics() {
        return metrics;
    }

    void subscribe(TopicConsumer listener) {
        listeners.add(listener);
    }

    void unsubscribe(TopicConsumer listener) {
        listeners.remove(listener);
    }

    /**
     * Queues a copy of the exchange for every listener. Publishing is serialized, so two publishers' exchanges reach
     * every listener in one order.
     */
    void publish(Exchange exchange) {
        if (listeners.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (TopicConsumer listener : listeners) {
                if (!listener.offer(copyOf(exchange))) {
                    droppedOne(listener);
                }
            }
        }
    }

    private void droppedOne(TopicConsumer listener) {
        dropped.increment();
        droppedSinceLogged++;
        long now = System.nanoTime();
        // one line a minute at most, however fast a stuck listener misses
        if (lastDropLogged == 0 || now - lastDropLogged > 60_000_000_000L) {
            LOG.warn("topic:{} listener {} is {} exchanges behind and missed {} since the last warning", name,
                    listener.getRouteId(), listener.queued(), droppedSinceLogged);
            lastDropLogged = now;
            droppedSinceLogged = 0;
        }
    }

    /** A copy of the exchange whose body, when it is maps and lists, is the listener's own. */
    private static Exchange copyOf(Exchange exchange) {
        Exchange copy = ExchangeHelper.createCorrelatedCopy(exchange, false);
        copy.getIn().setBody(deepCopy(exchange.getIn().getBody()));
        return copy;
    }

    static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                copy.put(entry.getKey(), deepCopy(entry.getValue()));
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(deepCopy(item));
            }
            return copy;
        }
        return value;
    }
}
