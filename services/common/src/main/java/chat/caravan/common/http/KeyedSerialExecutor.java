package chat.caravan.common.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time per key, in the order given, on a shared pool: the frames of one WebSocket connection are
 * handled in order, while different connections proceed in parallel.
 *
 * <p>A key's lane is added, given a task and retired under the map's lock for that key, so a task given while its
 * lane drains is either run by that lane or starts a new one after it is gone: never two lanes of one key at once.
 */
public final class KeyedSerialExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedSerialExecutor.class);

    private final ExecutorService pool;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    public KeyedSerialExecutor(ExecutorService pool) {
        this.pool = pool;
    }

    public void execute(String key, Runnable task) {
        lanes.compute(key, (k, lane) -> {
            Lane current = lane == null ? new Lane(k) : lane;
            current.tasks.add(task);
            if (!current.scheduled) {
                current.scheduled = true;
                pool.execute(current);
            }
            return current;
        });
    }

    private final class Lane implements Runnable {
        private final String key;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        /** Whether a pool thread runs (or is about to run) this lane; under the map's lock for the key. */
        private boolean scheduled;

        Lane(String key) {
            this.key = key;
        }

        @Override
        public void run() {
            while (true) {
                Runnable task = tasks.poll();
                if (task == null) {
                    if (retired()) {
                        return;
                    }
                    // a task came while retiring: take it
                    continue;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Task for {} failed: {}", key, e.toString());
                }
            }
        }

        /** Leaves the map when nothing was given meanwhile; otherwise the lane goes on. */
        private boolean retired() {
            boolean[] retired = {false};
            lanes.compute(key, (k, current) -> {
                if (current != this) {
                    // never happens while scheduled; a lane the map no longer holds stops
                    retired[0] = true;
                    return current;
                }
                if (tasks.isEmpty()) {
                    scheduled = false;
                    retired[0] = true;
                    return null;
                }
                return current;
            });
            return retired[0];
        }
    }
}
