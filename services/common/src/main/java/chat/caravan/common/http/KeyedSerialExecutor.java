package chat.caravan.common.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time per key, in the order given, on a shared pool: the frames of one WebSocket connection are
 * handled in order, while different connections proceed in parallel.
 */
public final class KeyedSerialExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedSerialExecutor.class);

    private final ExecutorService pool;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    public KeyedSerialExecutor(ExecutorService pool) {
        this.pool = pool;
    }

    public void execute(String key, Runnable task) {
        lanes.computeIfAbsent(key, k -> new Lane(k)).offer(task);
    }

    private final class Lane implements Runnable {
        private final String key;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Lane(String key) {
            this.key = key;
        }

        void offer(Runnable task) {
            tasks.add(task);
            if (scheduled.compareAndSet(false, true)) {
                pool.execute(this);
            }
        }

        @Override
        public void run() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Task for {} failed: {}", key, e.toString());
                }
            }
            scheduled.set(false);
            if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
                pool.execute(this);
            } else if (tasks.isEmpty()) {
                lanes.remove(key, this);
                // a task that raced the removal is not lost: it reschedules through a fresh lane
                if (!tasks.isEmpty()) {
                    Runnable late;
                    while ((late = tasks.poll()) != null) {
                        execute(key, late);
                    }
                }
            }
        }
    }
}
