package chat.caravan.common.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import chat.caravan.common.health.Metrics;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Sheds load instead of queueing it without bound. Each REST request, once its body is in, is handed to the worker
 * pool (CARAVAN_HTTP_WORKER_THREADS); while more than {@code limit} requests are waiting for a worker or running on
 * one, the next is answered at once with 503, Rocket.Chat's error shape and {@code Retry-After: 1}, without being
 * run. A spike then costs its excess a quick refusal, where an unbounded queue made every request wait longer than
 * its client would, so that the server worked only for clients that had gone.
 * <p>
 * Runs on the event loop as the last handler before platform-http hands the request to a worker: a client still
 * sending its body holds no place. A request leaves the count when its reply begins, or when its connection closes
 * first. Health and metrics are never refused, nor counted.
 */
public final class PendingRequestLimit implements Handler<RoutingContext> {

    /** Rocket.Chat's error shape, as CaravanException.coded words it. */
    static final String BUSY_BODY = JsonNodeFactory.instance.objectNode().put("success", false)
            .put("error", "The server is busy, try again in a moment [error-server-busy]")
            .put("errorType", "error-server-busy").toString();

    private final int limit;
    private final AtomicInteger pending = new AtomicInteger();
    private final Counter refused;

    /** @param limit requests waiting for or holding a worker beyond which the next is refused; 0 or less: no limit */
    public PendingRequestLimit(int limit, Metrics metrics) {
        this.limit = limit;
        this.refused = metrics.counter("caravan_http_refused_busy", "REST requests answered 503 because too many were pending");
        Gauge.builder("caravan_http_pending_requests", pending, AtomicInteger::get)
                .description("REST requests waiting for a worker thread or running on one")
                .register(metrics.registry());
    }

    @Override
    public void handle(RoutingContext context) {
        if (exempt(context.normalizedPath())) {
            context.next();
            return;
        }
        int waitingOrRunning = pending.incrementAndGet();
        if (limit > 0 && waitingOrRunning > limit) {
            pending.decrementAndGet();
            refused.increment();
            context.response().setStatusCode(503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.RETRY_AFTER, "1")
                    .end(BUSY_BODY);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        };
        context.addHeadersEndHandler(ignored -> release.run());
        context.addEndHandler(ignored -> release.run());
        context.next();
    }

    private static boolean exempt(String path) {
        return path.startsWith("/health") || path.equals("/metrics");
    }
}
