package chat.caravan.common.bus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Moves bytes between Caravan instances: request-reply to one member of a queue group, and broadcast to every
 * subscriber. Two implementations: NATS (through camel-nats) and in-process (all-in-one without TRANSPORTER).
 */
public interface BusTransport {

    /** Serves requests on a subject; replicas sharing {@code queueGroup} share the load. */
    AutoCloseable serve(String subject, String queueGroup, UnaryOperator<byte[]> handler);

    /** Receives every event published on a subject. */
    AutoCloseable subscribe(String subject, Consumer<byte[]> listener);

    CompletableFuture<byte[]> request(String subject, byte[] payload, Duration timeout);

    void publish(String subject, byte[] payload);

    boolean isConnected();

    /** Returns once everything published so far has reached the bus, or throws when it cannot within the timeout. */
    default void flush(Duration timeout) {
    }

    /** A short description for logs and health output. */
    String describe();
}
