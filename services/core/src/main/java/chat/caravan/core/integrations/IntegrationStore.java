package chat.caravan.core.integrations;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's {@code rocketchat_integrations} and {@code rocketchat_integration_history}. The enabled outgoing
 * webhooks are read on every message, so they are kept in memory for a moment (changes made here are seen at once,
 * those made by another instance within {@link #OUTGOING_TTL_MILLIS}).
 */
@Component
public class IntegrationStore {

    public static final String INTEGRATIONS = "rocketchat_integrations";
    public static final String HISTORY = "rocketchat_integration_history";
    public static final String INCOMING = "webhook-incoming";
    public static final String OUTGOING = "webhook-outgoing";
    static final long OUTGOING_TTL_MILLIS = 2_000;

    private final MongoDatabase database;
    private volatile List<Document> outgoing;
    private volatile long outgoingReadAt;

    public IntegrationStore(MongoDatabase database) {
        this.database = database;
    }

    public MongoCollection<Document> integrations() {
        return database.getCollection(INTEGRATIONS);
    }

    public MongoCollection<Document> history() {
        return database.getCollection(HISTORY);
    }

    public Document byId(String id) {
        return id == null ? null : integrations().find(Filters.eq("_id", id)).first();
    }

    /** The enabled outgoing webhooks of {@code event}. */
    public List<Document> outgoing(String event) {
        List<Document> all = outgoing;
        long now = System.currentTimeMillis();
        if (all == null || now - outgoingReadAt > OUTGOING_TTL_MILLIS) {
            all = integrations().find(Filters.and(Filters.eq("type", OUTGOING), Filters.eq("enabled", true)))
                    .into(new ArrayList<>());
            outgoing = all;
            outgoingReadAt = now;
        }
        List<Document> matching = new ArrayList<>();
        for (Document integration : all) {
            if (event.equals(integration.getString("event"))) {
                matching.add(integration);
            }
        }
        return matching;
    }

    /** Forgets the cached outgoing webhooks after a change. */
    public void changed() {
        outgoing = null;
    }

    public void disable(String id) {
        integrations().updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("enabled", false),
                Updates.set("_updatedAt", new Date())));
        changed();
    }
}
