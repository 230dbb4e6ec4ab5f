package chat.caravan.streamhub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import chat.caravan.common.health.Metrics;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Per followed collection: caravan_change_stream_lag_seconds (from a change's write in MongoDB to its publish on the
 * bus) and caravan_change_stream_resume_position_age_seconds (how far the saved resume position is behind: 0 while
 * the stream is caught up and saved, growing while events wait to be confirmed or the stream is stuck).
 */
@Component
public class ChangeStreamMetrics {

    private final Metrics metrics;
    private final Map<String, Timer> lags = new ConcurrentHashMap<>();
    /** Per collection, when its saved position was last known to be current. */
    private final Map<String, AtomicLong> currentAt = new ConcurrentHashMap<>();

    public ChangeStreamMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** A change of {@code collection} reached the bus. */
    void published(String collection, ChangeStreamDocument<?> change) {
        long writtenAt;
        if (change.getWallTime() != null) {
            writtenAt = change.getWallTime().getValue();
        } else if (change.getClusterTime() != null) {
            writtenAt = change.getClusterTime().getTime() * 1000L;
        } else {
            return;
        }
        lags.computeIfAbsent(collection, c -> metrics.latency("caravan.change.stream.lag",
                        "From a change's write in MongoDB to its publish on the bus", "collection", c))
                .record(Math.max(0, System.currentTimeMillis() - writtenAt), TimeUnit.MILLISECONDS);
    }

    /** The saved position of {@code collection} now covers everything read from its stream. */
    void positionCurrent(String collection) {
        position(collection).set(System.currentTimeMillis());
    }

    private AtomicLong position(String collection) {
        return currentAt.computeIfAbsent(collection, c -> {
            AtomicLong at = new AtomicLong(System.currentTimeMillis());
            Gauge.builder("caravan.change.stream.resume.position.age", at,
                            value -> (System.currentTimeMillis() - value.get()) / 1000.0)
                    .description("How far the saved resume position of a change stream is behind what was read")
                    .baseUnit("seconds").tag("collection", c).register(metrics.registry());
            return at;
        });
    }
}
