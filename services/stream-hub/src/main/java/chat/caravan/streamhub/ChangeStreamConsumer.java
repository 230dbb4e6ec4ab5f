package chat.caravan.streamhub;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import chat.caravan.common.bus.BusClient;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one collection's change stream while this replica holds the publisher lease. Each event goes through the
 * route (which publishes it on the bus); the stream position is saved only after the bus has confirmed what was
 * published, so a crash, a redeploy or a bus outage loses nothing: the next publisher resumes from the last
 * confirmed event, and any event published twice carries the same eventId (its resume token).
 */
class ChangeStreamConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamConsumer.class);
    /**
     * How often a position is saved while events flow: one write per collection per interval, not one per event (at
     * a hundred messages a second that was three writes per message, as many as the message's own). A crash replays
     * at most this much, with the same eventIds.
     */
    static final Duration SAVE_EVERY = Duration.ofMillis(250);
    /** MongoDB's code when a resume token points before the oldest entry the oplog keeps. */
    static final int HISTORY_LOST = 286;
    /** A getMore answered this fast did not wait for data (a store without awaitData): ask again a bit later. */
    private static final long NO_AWAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long IDLE_PAUSE_MILLIS = 10;

    private final MongoCollection<Document> collection;
    private final StreamPositions positions;
    private final PublisherLease lease;
    private final ChangeEvents events;
    private final BusClient bus;
    private final ChangeStreamMetrics metrics;
    private volatile boolean running;
    private Thread thread;
    /** Every consumer of the component following a collection, this one too while it runs. */
    private final Set<ChangeStreamConsumer> following;

    ChangeStreamConsumer(Endpoint endpoint, Processor processor, MongoCollection<Document> collection,
            StreamPositions positions, PublisherLease lease, ChangeEvents events, BusClient bus,
            ChangeStreamMetrics metrics, Set<ChangeStreamConsumer> following) {
        super(endpoint, processor);
        this.metrics = metrics;
        this.following = following;
        this.collection = collection;
        this.positions = positions;
        this.lease = lease;
        this.events = events;
        this.bus = bus;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        thread = new Thread(this::follow, "change-stream-" + collection.getNamespace().getCollectionName());
        thread.setDaemon(true);
        following.add(this);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (getEndpoint().getCamelContext().isStopping()) {
            // the whole application stops: every follower winds down now, so that their waits for the next change
            // (up to half a second each, which an interrupt does not cut short) end together, not one after another
            following.forEach(ChangeStreamConsumer::windDown);
        }
        windDown();
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        following.remove(this);
        super.doStop();
    }

    /** Stops following: the thread ends after the event it is publishing or its wait for the next one. */
    private void windDown() {
        running = false;
        Thread follower = thread;
        if (follower != null) {
            follower.interrupt();
        }
    }

    private void follow() {
        String name = collection.getNamespace().getCollectionName();
        while (running) {
            if (!lease.isHeld()) {
                pause(200);
                continue;
            }
            BsonDocument start = positions.load(name);
            ChangeStreamIterable<Document> watch = collection.watch().fullDocument(FullDocument.UPDATE_LOOKUP)
                    .maxAwaitTime(500, TimeUnit.MILLISECONDS);
            if (start != null) {
                watch = watch.resumeAfter(start);
            }
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor = watch.cursor()) {
                LOG.info("Following {} from {}", name, start == null ? "now" : "its saved position");
                metrics.positionCurrent(name);
                BsonDocument unsaved = null;
                long lastSave = System.nanoTime();
                while (running && lease.isHeld()) {
                    long asked = System.nanoTime();
                    ChangeStreamDocument<Document> change = cursor.tryNext();
                    if (change == null && System.nanoTime() - asked < NO_AWAIT_NANOS) {
                        pause(IDLE_PAUSE_MILLIS);
                    }
                    if (change != null) {
                        if (!publish(change)) {
                            break;
                        }
                        metrics.published(name, change);
                        unsaved = change.getResumeToken();
                    } else if (unsaved == null) {
                        metrics.positionCurrent(name);
                    }
                    if (unsaved != null && System.nanoTime() - lastSave >= SAVE_EVERY.toNanos()) {
                        bus.flush(Duration.ofSeconds(5));
                        positions.save(name, unsaved, lease.holder());
                        metrics.positionCurrent(name);
                        unsaved = null;
                        lastSave = System.nanoTime();
                    }
                }
            } catch (MongoException | IllegalStateException e) {
                if (!running) {
                    // stopping: the interrupted wait for the next change is no outage
                    break;
                }
                if (e instanceof MongoCommandException command && command.getErrorCode() == HISTORY_LOST) {
                    // the store no longer holds the changes since the saved position: they cannot be replayed
                    LOG.error("Change stream of {} cannot resume: the oplog no longer holds the changes since its saved "
                            + "position; following it from now on", name);
                    positions.forget(name);
                    continue;
                }
                LOG.warn("Change stream of {} interrupted ({}); resuming from the last confirmed event", name, e.getMessage());
                pause(1000);
            } catch (RuntimeException e) {
                LOG.warn("Events of {} not confirmed by the bus ({}); resuming from the last confirmed event", name,
                        e.getMessage());
                pause(1000);
            }
        }
    }

    /** Runs the route for one event until it succeeds; false when this replica should stop publishing. */
    private boolean publish(ChangeStreamDocument<Document> change) {
        Map<String, Object> payload = events.toPayload(change, change.getResumeToken().getString("_data").getValue());
        if (payload == null) {
            return true;
        }
        long backoff = 100;
        while (running && lease.isHeld()) {
            if (!bus.isConnected()) {
                pause(backoff);
                backoff = Math.min(backoff * 2, 2000);
                continue;
            }
            Exchange exchange = createExchange(false);
            try {
                exchange.getIn().setBody(payload);
                getProcessor().process(exchange);
                Exception failure = exchange.getException() != null ? exchange.getException()
                        : exchange.getProperty(chat.caravan.common.rest.RestErrors.FAILURE, Exception.class);
                if (failure == null) {
                    return true;
                }
                LOG.warn("Publishing an event of {} failed ({}); retrying", collection.getNamespace().getCollectionName(),
                        failure.getMessage());
            } catch (Exception e) {
                LOG.warn("Publishing an event failed ({}); retrying", e.getMessage());
            } finally {
                releaseExchange(exchange, false);
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, 2000);
        }
        return false;
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
