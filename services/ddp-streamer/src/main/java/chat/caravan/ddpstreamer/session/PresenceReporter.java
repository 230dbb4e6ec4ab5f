package chat.caravan.ddpstreamer.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import chat.caravan.common.bus.BusClient;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Tells presence about connections opening and closing, on one thread of its own and in the order they happened:
 * a connection's close never overtakes its open, and changes that pile up (hundreds of sockets dropped at once) go
 * as one {@code presence.connectionsChanged} call per batch, so connection churn neither occupies the threads that
 * serve frames nor starves REST of the store.
 * <p>
 * Presence may be away (restarting, or the bus down). A batch that does not reach it is not lost: the reporter then
 * owes presence a snapshot, every live connection of this instance ({@code presence.instanceSync}), sent in order
 * with the changes once presence answers again, and whenever presence asks for one (its digest of this instance's
 * connections differs from the instance's) or announces that it started.
 */
@Component
public class PresenceReporter {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceReporter.class);

    /** A connection opened or closed, or (snapshot) the moment to send every live connection. */
    private record Report(boolean opened, String userId, String connectionId, boolean snapshot) {
    }

    private static final Report SNAPSHOT = new Report(false, null, null, true);

    private final BusClient bus;
    private final int maxBatch;
    private final Duration timeout;
    private final LinkedBlockingQueue<Report> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile String instanceId;
    private volatile boolean running = true;
    private volatile boolean snapshotOwed;
    private volatile java.util.function.Supplier<List<Map<String, Object>>> liveConnections = List::of;

    public PresenceReporter(BusClient bus, @Value("${caravan.ddp.presence-batch:100}") int maxBatch,
            @Value("${caravan.ddp.presence-timeout:5s}") Duration timeout) {
        this.bus = bus;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.worker = new Thread(this::run, "presence-reporter");
        this.worker.setDaemon(true);
    }

    /** Starts reporting for this ddp-streamer instance, whose live connections {@code connections} lists. */
    void start(String instanceId, java.util.function.Supplier<List<Map<String, Object>>> connections) {
        this.instanceId = instanceId;
        this.liveConnections = connections;
        if (!worker.isAlive()) {
            worker.start();
        }
    }

    public void opened(String userId, String connectionId) {
        queue.add(new Report(true, userId, connectionId, false));
    }

    public void closed(String userId, String connectionId) {
        queue.add(new Report(false, userId, connectionId, false));
    }

    /** Sends every live connection of this instance, after the changes already queued. */
    public void sendSnapshot() {
        queue.add(SNAPSHOT);
    }

    /** Whether a report failed since the last snapshot presence accepted. */
    public boolean snapshotOwed() {
        return snapshotOwed;
    }

    /** Presence was not reachable (a heartbeat failed): changes may have been missed, a snapshot is owed. */
    public void presenceUnreachable() {
        snapshotOwed = true;
    }

    private void run() {
        List<Report> drained = new ArrayList<>();
        while (running) {
            try {
                Report first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                drained.add(first);
                queue.drainTo(drained, maxBatch - 1);
                List<Report> changes = new ArrayList<>();
                for (Report report : drained) {
                    if (report.snapshot()) {
                        send(changes);
                        changes.clear();
                        sendLiveConnections();
                    } else {
                        changes.add(report);
                    }
                }
                send(changes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Presence reports failed: {}", e.toString());
            } finally {
                drained.clear();
            }
        }
    }

    /** One call for the batch; presence applies the changes in order and recomputes each user once. */
    private void send(List<Report> reports) {
        if (reports.isEmpty()) {
            return;
        }
        List<Map<String, Object>> changes = new ArrayList<>(reports.size());
        for (Report report : reports) {
            changes.add(Map.of("userId", report.userId(), "connectionId", report.connectionId(), "opened", report.opened()));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("instanceId", instanceId);
        request.put("changes", changes);
        call("presence.connectionsChanged", request);
    }

    /** Every live connection of this instance, in one call: presence makes its record of the instance match. */
    private void sendLiveConnections() {
        boolean owedBefore = snapshotOwed;
        snapshotOwed = false;
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("instanceId", instanceId);
        request.put("connections", liveConnections.get());
        if (call("presence.instanceSync", request)) {
            if (owedBefore) {
                LOG.info("Presence has this instance's {} connections again", ((List<?>) request.get("connections")).size());
            }
        }
    }

    /**
     * Presence may be restarting: a failed report is logged and a snapshot becomes owed, sent once presence answers
     * again (the instance heartbeat finds out).
     */
    private boolean call(String call, Map<String, Object> payload) {
        try {
            bus.call(call, payload, timeout);
            return true;
        } catch (RuntimeException e) {
            snapshotOwed = true;
            LOG.debug("{} failed: {}", call, e.getMessage());
            return false;
        }
    }

    @PreDestroy
    public void stop() {
        running = false;
        worker.interrupt();
    }
}
