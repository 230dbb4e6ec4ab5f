package chat.caravan.core.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.common.health.Metrics;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * caravan_messages_stored_total{room_type, event}: a step of the message-after-save route, so it counts every message
 * stored whatever path it came by (room_type: Rocket.Chat's c, p, d, l; event: send, update, system).
 */
@Component("messageMetrics")
public class MessageMetrics {

    private static final Set<String> ROOM_TYPES = Set.of("c", "p", "d", "l", "v");
    private static final Set<String> EVENTS = Set.of(PipelineHeaders.SEND, PipelineHeaders.UPDATE, PipelineHeaders.SYSTEM);

    private final Metrics metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MessageMetrics(Metrics metrics) {
        this.metrics = metrics;
        // the common series exist from the start, at 0, so a dashboard shows them before the first message
        for (String type : Set.of("c", "p", "d")) {
            counter(type, PipelineHeaders.SEND);
        }
    }

    public void stored(@Header(PipelineHeaders.ROOM_TYPE) String roomType, @Header(PipelineHeaders.EVENT) String event) {
        counter(ROOM_TYPES.contains(roomType) ? roomType : "other", EVENTS.contains(event) ? event : "other").increment();
    }

    private Counter counter(String roomType, String event) {
        return counters.computeIfAbsent(roomType + "/" + event, key -> metrics.counter("caravan.messages.stored",
                "Messages stored, by room type and event", "room_type", roomType, "event", event));
    }
}
