package chat.caravan.common.bus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.health.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one small API every service uses to talk over the bus: {@link #call} a method of another service and wait
 * for its reply, {@link #publish} an event to every instance. Subject names come from {@link Subjects}.
 */
public class BusClient {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BusClient.class);

    private final BusTransport transport;
    private final Subjects subjects;
    private final Duration timeout;
    private final Metrics metrics;
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, Counter> timeouts = new ConcurrentHashMap<>();

    public BusClient(BusTransport transport, Subjects subjects, Duration timeout) {
        this(transport, subjects, timeout, null);
    }

    /** With {@code metrics}: caravan_bus_request_seconds and caravan_bus_request_timeouts_total per call. */
    public BusClient(BusTransport transport, Subjects subjects, Duration timeout, Metrics metrics) {
        this.transport = transport;
        this.subjects = subjects;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /** Calls {@code service.method} with a JSON payload; returns its result or throws the error it answered. */
    public JsonNode call(String call, Object payload) {
        return call(call, payload, timeout);
    }

    public JsonNode call(String call, Object payload, Duration timeout) {
        CompletableFuture<JsonNode> reply = callAsync(call, payload, timeout);
        try {
            return reply.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause(), call);
        } catch (TimeoutException e) {
            countTimeout(call);
            throw new BusUnavailableException("no reply to " + call + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException("interrupted while waiting for " + call);
        }
    }

    public CompletableFuture<JsonNode> callAsync(String call, Object payload, Duration timeout) {
        if (!transport.isConnected()) {
            // fail at once rather than after the timeout: a request would only wait in the reconnect buffer
            return CompletableFuture.failedFuture(new BusUnavailableException("the bus is disconnected (" + call + ")"));
        }
        long started = System.nanoTime();
        CompletableFuture<byte[]> reply = transport.request(subjects.rpc(call), CaravanJson.toEjsonBytes(payload), timeout);
        if (metrics != null) {
            reply = reply.whenComplete((bytes, failure) -> {
                long elapsed = System.nanoTime() - started;
                latencies.computeIfAbsent(call, c -> {
                    // the call's timeout series exists from its first request, at 0, for dashboards and alerts
                    timeouts.computeIfAbsent(c, this::timeoutCounter);
                    return metrics.latency("caravan.bus.request", "Bus requests by call, until the reply or the failure",
                            "subject", c);
                }).record(elapsed, TimeUnit.NANOSECONDS);
                // NATS answers a request nobody replied to in time like one nobody serves: tell them apart by time
                if (failure != null && elapsed >= timeout.toNanos() * 9 / 10) {
                    countTimeout(call);
                }
            });
        }
        return reply.thenApply(BusReply::unwrap);
    }

    private void countTimeout(String call) {
        if (metrics != null) {
            timeouts.computeIfAbsent(call, this::timeoutCounter).increment();
        }
    }

    private Counter timeoutCounter(String call) {
        return metrics.counter("caravan.bus.request.timeouts", "Bus requests that got no reply within their timeout",
                "subject", call);
    }

    /** Broadcasts an event to every subscriber of {@code name}. */
    public void publish(String name, Object payload) {
        transport.publish(subjects.event(name), CaravanJson.toEjsonBytes(payload));
    }

    /** Serves calls to {@code call}; used by the {@code bus:} Camel component. */
    public AutoCloseable serve(String call, Function<JsonNode, Object> handler) {
        return transport.serve(subjects.rpc(call), Subjects.queueGroupOf(call), request -> {
            try {
                return BusReply.success(handler.apply(CaravanJson.parse(request)));
            } catch (CaravanException e) {
                return BusReply.failure(e);
            } catch (java.io.IOException e) {
                return BusReply.failure(CaravanException.invalidParams("unreadable request on the bus"));
            } catch (RuntimeException e) {
                LOG.error("Call {} failed", call, e);
                return BusReply.failure(new CaravanException(500, null, "Internal server error", null));
            }
        });
    }

    /** Receives every event named {@code name}. */
    public AutoCloseable subscribe(String name, Consumer<JsonNode> listener) {
        return transport.subscribe(subjects.event(name), payload -> {
            try {
                listener.accept(CaravanJson.parse(payload));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("unreadable event on " + name, e);
            }
        });
    }

    public boolean isConnected() {
        return transport.isConnected();
    }

    /** Waits until every event published so far has reached the bus (NATS: a server round trip). */
    public void flush(Duration timeout) {
        transport.flush(timeout);
    }

    public BusTransport transport() {
        return transport;
    }

    private static RuntimeException unwrap(Throwable failure, String call) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new BusUnavailableException("call " + call + " failed", cause);
    }
}
