package chat.caravan.common.health;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics of this process, served at /metrics (on the HTTP port, or on CARAVAN_METRICS_PORT by
 * {@link MetricsServer}). Every Caravan meter is named {@code caravan.*}: Prometheus sees {@code caravan_*_total}
 * counters and {@code caravan_*_seconds} histograms. Latency histograms share one set of buckets.
 */
@Component("metrics")
public class Metrics implements AutoCloseable {

    /** Buckets of every latency histogram: from a cached read to a timed-out bus call. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};
    /** Distinct values a label fed by clients (a DDP method name) may take before the rest count as "other". */
    public static final int MAX_LABEL_VALUES = 300;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final boolean enabled;
    private final boolean onHttpPort;
    private final Set<String> labelValues = ConcurrentHashMap.newKeySet();

    private final String token;

    public Metrics(@Value("${caravan.metrics.enabled:true}") boolean enabled, @Value("${caravan.metrics.port:0}") int port,
            @Value("${caravan.metrics.token:}") String token) {
        this.enabled = enabled;
        this.onHttpPort = enabled && port <= 0;
        this.token = token == null ? "" : token.trim();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** A latency histogram ({@code <name>_seconds_bucket/_count/_sum}); {@code tags} are name, value pairs. */
    public Timer latency(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** A counter ({@code <name>_total}); {@code tags} are name, value pairs. */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /**
     * A label value that came from a client, kept as is while fewer than {@link #MAX_LABEL_VALUES} distinct ones were
     * seen, else "other": a client sending made-up names cannot grow the series without bound.
     */
    public String bounded(String kind, String value) {
        String key = kind + '\u0000' + value;
        if (labelValues.contains(key)) {
            return value;
        }
        if (labelValues.size() >= MAX_LABEL_VALUES) {
            return "other";
        }
        labelValues.add(key);
        return value;
    }

    /** GET /metrics on the HTTP port: the scrape, or 404 when metrics are off or served on their own port. */
    public void scrape(Exchange exchange) {
        if (!onHttpPort) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getMessage().setBody(enabled ? "metrics are served on CARAVAN_METRICS_PORT\n" : "metrics are off\n");
            return;
        }
        if (!authorized(exchange.getIn().getHeader("Authorization", String.class))) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getMessage().setBody("a bearer token is required (CARAVAN_METRICS_TOKEN)\n");
            return;
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, MetricsServer.CONTENT_TYPE);
        exchange.getMessage().setBody(registry.scrape());
    }

    /** True when no token is set, or the request carries it as {@code Authorization: Bearer <token>}. */
    boolean authorized(String authorization) {
        if (token.isEmpty()) {
            return true;
        }
        return authorization != null && java.security.MessageDigest.isEqual(
                ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
