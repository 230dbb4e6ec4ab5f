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
 */
@Component
public class PresenceReporter {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceReporter.class);

    private record Report(boolean opened, String userId, String connectionId) {
    }

    private final BusClient bus;
    private final int maxBatch;
    private final Duration timeout;
    private final LinkedBlockingQueue<Report> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile String instanceId;
    private volatile boolean running = true;

    public PresenceReporter(BusClient bus, @Value("${caravan.ddp.presence-batch:100}") int maxBatch,
            @Value("${caravan.ddp.presence-timeout:5s}") Duration timeout) {
        this.bus = bus;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.worker = new Thread(this::run, "presence-reporter");
        this.worker.setDaemon(true);
    }

    /** Starts reporting for this ddp-streamer instance. */
    void start(String instanceId) {
        this.instanceId = instanceId;
        if (!worker.isAlive()) {
            worker.start();
        }
    }

    public void opened(String userId, String connectionId) {
        queue.add(new Report(true, userId, connectionId));
    }

    public void closed(String userId, String connectionId) {
        queue.add(new Report(false, userId, connectionId));
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
                send(drained);
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
        List<Map<String, Object>> changes = new ArrayList<>(reports.size());
        for (Report report : reports) {
            changes.add(Map.of("userId", report.userId(), "connectionId", report.connectionId(), "opened", report.opened()));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("instanceId", instanceId);
        request.put("changes", changes);
        call("presence.connectionsChanged", request);
    }

    /** Presence may be restarting: a failed report is logged, and its instance sweep cleans up eventually. */
    private void call(String call, Map<String, Object> payload) {
        try {
            bus.call(call, payload, timeout);
        } catch (RuntimeException e) {
            LOG.debug("{} failed: {}", call, e.getMessage());
        }
    }

    @PreDestroy
    public void stop() {
        running = false;
        worker.interrupt();
    }
}
