package chat.caravan.common.health;

import chat.caravan.common.CaravanProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * /metrics on a port of its own (CARAVAN_METRICS_PORT, as Rocket.Chat's Prometheus_Port), so it can stay off the
 * public port; with the port unset, /metrics answers on the HTTP port (routes/platform/health.yaml).
 */
@Configuration(proxyBeanMethods = false)
public class MetricsServer {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The registry Camel's route metrics (camel-micrometer) and Caravan's own meters write to. */
    @Bean
    MeterRegistry meterRegistry(Metrics metrics) {
        return metrics.registry();
    }

    @Bean
    SmartLifecycle metricsPort(Metrics metrics, Vertx vertx, CaravanProperties properties,
            @Value("${caravan.metrics.port:0}") int port) {
        return new SmartLifecycle() {
            private HttpServer server;

            @Override
            public void start() {
                if (!metrics.isEnabled() || port <= 0) {
                    return;
                }
                // HTTP/1.1 only, as on the HTTP port (CaravanHttpServer): Vert.x's h2c upgrade garbles large scrapes now and then
                server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(request -> {
                    if (request.method() != HttpMethod.GET || !"/metrics".equals(request.path())) {
                        request.response().setStatusCode(404).end();
                    } else if (!metrics.authorized(request.getHeader("Authorization"))) {
                        request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
                    } else {
                        request.response().putHeader("Content-Type", CONTENT_TYPE).end(metrics.registry().scrape());
                    }
                }).listen(port, properties.getHttp().getHost()).toCompletionStage().toCompletableFuture().join();
                LOG.info("Metrics on port {} (/metrics)", server.actualPort());
            }

            @Override
            public void stop() {
                if (server != null) {
                    server.close();
                    server = null;
                }
            }

            @Override
            public boolean isRunning() {
                return server != null;
            }
        };
    }
}
