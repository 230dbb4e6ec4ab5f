package chat.caravan.streamhub;

import java.time.Duration;
import java.util.Date;
import java.util.UUID;

import chat.caravan.common.CaravanProperties;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import jakarta.annotation.PreDestroy;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * One stream-hub replica publishes; the others stand by. The publisher holds a lease in MongoDB
 * ({@code caravan_leases}) and renews it every {@code renewEvery}; a standby takes it once it has expired. The holder
 * counts its lease as lost {@code safety} before the expiry it wrote, so it has stopped publishing before anyone
 * else can take over: never two publishers at once, even when the holder is cut off from MongoDB.
 */
@Component
public class PublisherLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherLease.class);
    static final String LEASES = "caravan_leases";
    static final String LEASE_ID = "stream-hub-publisher";

    private final MongoCollection<Document> leases;
    private final String holder;
    private final Duration duration;
    private final Duration safety;
    private final java.util.concurrent.ScheduledExecutorService timer;
    private volatile long validUntilNanos;

    public PublisherLease(MongoDatabase database, CaravanProperties properties,
            @Value("${caravan.stream-hub.lease-duration:6s}") Duration duration,
            @Value("${caravan.stream-hub.lease-renew-every:1s}") Duration renewEvery) {
        this.leases = database.getCollection(LEASES);
        this.holder = properties.getInstanceIp() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID();
        this.duration = duration;
        this.safety = renewEvery.multipliedBy(2);
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                new CustomizableThreadFactory("stream-hub-lease-"));
        timer.scheduleWithFixedDelay(this::tryAcquireOrRenew, 0, renewEvery.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether this replica may publish right now. */
    public boolean isHeld() {
        return System.nanoTime() < validUntilNanos;
    }

    public String holder() {
        return holder;
    }

    void tryAcquireOrRenew() {
        long startedAt = System.nanoTime();
        Date now = new Date();
        Date expires = new Date(now.getTime() + duration.toMillis());
        try {
            ensureLeaseDocument();
            Document lease = leases.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", LEASE_ID),
                            Filters.or(Filters.eq("holder", holder), Filters.lt("expiresAt", now))),
                    Updates.combine(Updates.set("holder", holder), Updates.set("expiresAt", expires),
                            Updates.set("renewedAt", now)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            boolean wasHeld = isHeld();
            if (lease != null && holder.equals(lease.getString("holder"))) {
                // valid from when we asked, not from when MongoDB answered
                validUntilNanos = startedAt + duration.minus(safety).toNanos();
                if (!wasHeld) {
                    LOG.info("stream-hub {} is now the publisher", holder);
                }
            }
            if (lease == null) {
                logLoss();
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot renew the publisher lease: {}", e.getMessage());
            logLoss();
        }
    }

    private void ensureLeaseDocument() {
        if (leases.find(Filters.eq("_id", LEASE_ID)).first() == null) {
            try {
                leases.insertOne(new Document("_id", LEASE_ID).append("holder", "").append("expiresAt", new Date(0)));
            } catch (MongoWriteException e) {
                // another replica created it first
            }
        }
    }

    private void logLoss() {
        if (validUntilNanos != 0 && !isHeld()) {
            LOG.info("stream-hub {} is a standby", holder);
            validUntilNanos = 0;
        }
    }

    /** Gives the lease up on a clean stop, so a standby takes over at once. */
    @PreDestroy
    @Override
    public void close() {
        timer.shutdownNow();
        if (isHeld()) {
            validUntilNanos = 0;
            try {
                leases.updateOne(Filters.and(Filters.eq("_id", LEASE_ID), Filters.eq("holder", holder)),
                        Updates.set("expiresAt", new Date(0)));
            } catch (RuntimeException e) {
                LOG.warn("Could not release the publisher lease: {}", e.getMessage());
            }
        }
    }
}
