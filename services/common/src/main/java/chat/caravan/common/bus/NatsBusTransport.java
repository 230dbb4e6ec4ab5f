package chat.caravan.common.bus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import chat.caravan.common.observability.RequestIds;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.nats.NatsConstants;
import org.apache.camel.component.nats.NatsConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus over NATS, on one connection shared with the camel-nats endpoints (the bean {@value #CONNECTION_BEAN}): a
 * served call is a camel-nats consumer in a queue group whose calls run on a pool and reply to the message's reply
 * subject; an event is a plain publish, received in order by a camel-nats consumer; a request uses the client's
 * asynchronous request.
 */
public class NatsBusTransport implements BusTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NatsBusTransport.class);
    public static final String CONNECTION_BEAN = "caravanNatsConnection";
    /** Calls a replica answers at once: they mostly wait on MongoDB. */
    static final int CALL_THREADS = 32;
    static final int CALL_QUEUE = 10_000;

    private final CamelContext camelContext;
    private final Connection connection;
    private final String servers;
    /** Runs served calls; when all are busy and the queue is full, the dispatcher runs the call itself. */
    private final ThreadPoolExecutor callWorkers;

    public NatsBusTransport(CamelContext camelContext, Connection connection, String servers) {
        this.camelContext = camelContext;
        this.connection = connection;
        this.servers = servers;
        AtomicInteger threads = new AtomicInteger();
        this.callWorkers = new ThreadPoolExecutor(CALL_THREADS, CALL_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(CALL_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "bus-call-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.callWorkers.allowCoreThreadTimeOut(true);
    }

    @Override
    public AutoCloseable serve(String subject, String queueGroup, UnaryOperator<byte[]> handler) {
        // camel-nats runs a consumer's messages one at a time on its dispatcher thread: calls are handed to a pool so
        // a replica answers many at once (events, below, stay in order on the dispatcher)
        return consume(uri(subject) + "&queueName=" + encode(queueGroup) + "&replyToDisabled=true", exchange -> {
            byte[] request = exchange.getIn().getBody(byte[].class);
            String replyTo = exchange.getIn().getHeader(NatsConstants.NATS_REPLY_TO, String.class);
            String requestId = requestIdOf(exchange);
            callWorkers.execute(() -> {
                String previous = RequestIds.enter(requestId);
                byte[] reply;
                try {
                    reply = handler.apply(request);
                } finally {
                    RequestIds.restore(previous);
                }
                if (replyTo != null && reply != null) {
                    try {
                        connection.publish(replyTo, reply);
                    } catch (IllegalStateException e) {
                        // the connection closed meanwhile: the caller times out and may retry elsewhere
                        LOG.warn("Reply on {} lost: {}", subject, e.getMessage());
                    }
                }
            });
        });
    }

    @Override
    public AutoCloseable subscribe(String subject, Consumer<byte[]> listener) {
        return consume(uri(subject) + "&replyToDisabled=true", exchange -> {
            String previous = RequestIds.enter(requestIdOf(exchange));
            try {
                listener.accept(exchange.getIn().getBody(byte[].class));
            } finally {
                RequestIds.restore(previous);
            }
        });
    }

    /**
     * A request through the NATS client's own asynchronous request, so a call in flight holds no thread while it waits
     * (camel-nats' InOut producer would block one of a small pool for each).
     */
    @Override
    public CompletableFuture<byte[]> request(String subject, byte[] payload, Duration timeout) {
        CompletableFuture<Message> reply;
        try {
            reply = connection.requestWithTimeout(subject, headers(), payload, timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new BusUnavailableException("request on " + subject + " failed: " + e.getMessage(), e));
        }
        return reply.handle((message, failure) -> {
            if (failure == null) {
                return message.getData();
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof CancellationException) {
                // no responders, or nothing came back in time
                throw new BusUnavailableException("no service answers " + subject);
            }
            throw new BusUnavailableException("request on " + subject + " failed: " + cause.getMessage(), cause);
        });
    }

    @Override
    public void publish(String subject, byte[] payload) {
        // straight to the NATS connection: no Camel exchange per event, and it works before the Camel context has
        // started (services announce what they create at start-up)
        try {
            connection.publish(subject, headers(), payload);
        } catch (RuntimeException e) {
            throw new BusUnavailableException("cannot publish on " + subject + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void flush(Duration timeout) {
        try {
            connection.flush(timeout);
        } catch (Exception e) {
            throw new BusUnavailableException("NATS did not confirm published events: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "NATS " + servers;
    }

    private AutoCloseable consume(String uri, org.apache.camel.Processor processor) {
        try {
            Endpoint endpoint = camelContext.getEndpoint(uri);
            org.apache.camel.Consumer consumer = endpoint.createConsumer(processor);
            consumer.start();
            awaitSubscribed(consumer, uri);
            return consumer::stop;
        } catch (Exception e) {
            throw new BusUnavailableException("cannot subscribe " + uri, e);
        }
    }

    /**
     * camel-nats subscribes on a thread of its own; wait until it has and the server knows, so a call or event sent
     * right after start-up is not lost.
     */
    private void awaitSubscribed(org.apache.camel.Consumer consumer, String uri) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (consumer instanceof NatsConsumer nats && !nats.isActive()) {
            if (System.nanoTime() > deadline) {
                throw new BusUnavailableException("subscription not active after 10 s: " + uri);
            }
            Thread.sleep(5);
        }
        connection.flush(Duration.ofSeconds(5));
    }

    /** The current request id as a NATS header, so the service answering logs it too; null when there is none. */
    private static Headers headers() {
        String requestId = RequestIds.current();
        return requestId == null ? null : new Headers().put(RequestIds.HEADER, requestId);
    }

    /** camel-nats copies a message's NATS headers onto the exchange (a value, or a list of them). */
    private static String requestIdOf(org.apache.camel.Exchange exchange) {
        Object value = exchange.getIn().getHeader(RequestIds.HEADER);
        if (value instanceof java.util.List<?> values) {
            value = values.isEmpty() ? null : values.get(0);
        }
        return value == null ? null : RequestIds.acceptOrCreate(value.toString());
    }

    private static String uri(String subject) {
        return "nats:" + subject + "?connection=#" + CONNECTION_BEAN;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
