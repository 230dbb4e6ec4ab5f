package chat.caravan.common.bus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import chat.caravan.common.observability.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus inside one JVM, for the all-in-one without TRANSPORTER. Payloads are the same JSON bytes as on NATS, so
 * both modes exercise the same code. A request runs in the caller's thread; each event subscriber has its own
 * ordered queue, bounded so a stuck subscriber cannot exhaust memory.
 */
public class InProcessBusTransport implements BusTransport {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessBusTransport.class);

    private final Map<String, List<UnaryOperator<byte[]>>> handlers = new ConcurrentHashMap<>();
    private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final int queueLimit;

    public InProcessBusTransport(int queueLimit) {
        this.queueLimit = queueLimit;
    }

    @Override
    public AutoCloseable serve(String subject, String queueGroup, UnaryOperator<byte[]> handler) {
        handlers.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> handlers.getOrDefault(subject, List.of()).remove(handler);
    }

    @Override
    public AutoCloseable subscribe(String subject, Consumer<byte[]> listener) {
        Subscriber subscriber = new Subscriber(subject, listener, queueLimit);
        subscribers.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>()).add(subscriber);
        return () -> {
            subscribers.getOrDefault(subject, List.of()).remove(subscriber);
            subscriber.executor.shutdown();
        };
    }

    @Override
    public CompletableFuture<byte[]> request(String subject, byte[] payload, Duration timeout) {
        List<UnaryOperator<byte[]>> candidates = handlers.getOrDefault(subject, List.of());
        if (candidates.isEmpty()) {
            return CompletableFuture.failedFuture(new BusUnavailableException("no service answers " + subject));
        }
        UnaryOperator<byte[]> handler = candidates.get(Math.floorMod(roundRobin.getAndIncrement(), candidates.size()));
        try {
            return CompletableFuture.completedFuture(handler.apply(payload));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void publish(String subject, byte[] payload) {
        for (Subscriber subscriber : subscribers.getOrDefault(subject, List.of())) {
            subscriber.offer(payload);
        }
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String describe() {
        return "in-process bus";
    }

    private static final class Subscriber {
        private final String subject;
        private final Consumer<byte[]> listener;
        private final ThreadPoolExecutor executor;

        Subscriber(String subject, Consumer<byte[]> listener, int queueLimit) {
            this.subject = subject;
            this.listener = listener;
            this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(queueLimit), runnable -> {
                        Thread thread = new Thread(runnable, "bus-" + subject);
                        thread.setDaemon(true);
                        return thread;
                    }, (runnable, pool) -> LOG.warn("Dropped an event on {}: subscriber queue full", subject));
        }

        void offer(byte[] payload) {
            if (executor.isShutdown()) {
                return;
            }
            String requestId = RequestIds.current();
            executor.execute(() -> {
                String previous = RequestIds.enter(requestId);
                try {
                    listener.accept(payload);
                } catch (RuntimeException e) {
                    LOG.warn("Subscriber of {} failed: {}", subject, e.toString());
                } finally {
                    RequestIds.restore(previous);
                }
            });
        }
    }
}
