package chat.caravan.presence;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.common.health.Metrics;
import chat.caravan.common.model.Collections;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.Gauge;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * caravan_users_online{status}: the users whose status is online, away or busy, counted across the whole install
 * (every presence replica reports the same figure). Counted at most once per refresh interval, whatever the scrapes.
 */
@Component
public class PresenceMetrics {

    static final List<String> STATUSES = List.of("online", "away", "busy");

    private final MongoCollection<Document> users;
    private final long refreshMillis;
    private volatile Map<String, Long> counts = Map.of();
    private volatile long countedAt;

    public PresenceMetrics(MongoDatabase database, Metrics metrics,
            @Value("${caravan.presence.metrics-refresh:10s}") java.time.Duration refresh) {
        this.users = database.getCollection(Collections.USERS);
        this.refreshMillis = refresh.toMillis();
        for (String status : STATUSES) {
            Gauge.builder("caravan.users.online", this, self -> self.count(status))
                    .description("Users by presence status (online, away, busy), across the install")
                    .tag("status", status).register(metrics.registry());
        }
    }

    private double count(String status) {
        long now = System.currentTimeMillis();
        if (now - countedAt >= refreshMillis) {
            synchronized (this) {
                if (now - countedAt >= refreshMillis) {
                    Map<String, Long> fresh = new ConcurrentHashMap<>();
                    for (Document group : users.aggregate(List.of(Aggregates.match(Filters.in("status", STATUSES)),
                            Aggregates.group("$status", Accumulators.sum("n", 1))))) {
                        fresh.put(String.valueOf(group.get("_id")), ((Number) group.get("n")).longValue());
                    }
                    counts = fresh;
                    countedAt = now;
                }
            }
        }
        return counts.getOrDefault(status, 0L);
    }
}
