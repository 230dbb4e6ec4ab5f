package chat.caravan.common.http;

import java.util.List;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.health.Metrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Vert.x HTTP server per process, on PORT: Camel's platform-http (REST DSL, health, metrics) and the Vert.x
 * WebSocket consumers of ddp-streamer share it, so the all-in-one answers REST and DDP on one port as Rocket.Chat
 * does.
 */
@Configuration(proxyBeanMethods = false)
public class HttpServerConfiguration {

    @Bean(destroyMethod = "close")
    Vertx vertx(CaravanProperties properties) {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setWorkerPoolSize(Math.max(1, properties.getHttp().getWorkerThreads())));
    }

    @Bean
    VertxPlatformHttpServer platformHttpServer(CaravanProperties properties) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(properties.getHttp().getHost());
        configuration.setBindPort(properties.getHttp().getPort());
        configuration.setMaxBodySize(properties.getHttp().getMaxBodySize());
        // multipart file parts stream to disk here, and are deleted when the reply ends or the request fails
        configuration.getBodyHandler().setUploadsDirectory(
                properties.getDataDir().resolve("upload-tmp").toAbsolutePath().toString());
        configuration.getBodyHandler().setDeleteUploadedFilesOnEnd(true);
        return new CaravanHttpServer(configuration, properties.getHttp().getMaxWebsocketMessageBytes());
    }

    /**
     * platform-http's engine (found by this name), with Caravan's handler between a request's body and the worker
     * pool: the bound on pending requests.
     */
    @Bean(name = "platform-http-engine")
    VertxPlatformHttpEngine platformHttpEngine(CaravanProperties properties, Metrics metrics) {
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine();
        engine.setHandlers(List.of(new PendingRequestLimit(properties.getHttp().getMaxPendingRequests(), metrics)));
        return engine;
    }

    /** Starts the server before any route, answers unknown API paths with a JSON 404, and serves the web client at /. */
    @Bean
    CamelContextConfiguration platformHttpServerStarter(VertxPlatformHttpServer server) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                try {
                    camelContext.addService(server, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the HTTP server: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                VertxPlatformHttpRouter router = platformRouter(camelContext, server);
                router.route("/api/*").last().handler(UnknownPathHandler.INSTANCE);
                ClassLoader classLoader = HttpServerConfiguration.class.getClassLoader();
                if (WebClientHandler.present(classLoader)) {
                    router.route().last().handler(new WebClientHandler(classLoader));
                }
            }
        };
    }

    /** ddp-streamer's WebSocket routes, mounted on the same server. */
    @Bean(name = "vertx-websocket")
    SharedServerWebsocketComponent vertxWebsocketComponent(Vertx vertx, VertxPlatformHttpServer server, Metrics metrics) {
        SharedServerWebsocketComponent component =
                new SharedServerWebsocketComponent(camelContext -> platformRouter(camelContext, server));
        component.setVertx(vertx);
        Gauge.builder("caravan_websocket_frames_queued", component, SharedServerWebsocketComponent::queuedFrames)
                .description("WebSocket frames waiting for a frame thread or running on one, over all connections")
                .register(metrics.registry());
        FunctionCounter.builder("caravan_websocket_paused", component, SharedServerWebsocketComponent::pauses)
                .description("Times a connection's socket stopped being read because it had too many frames waiting")
                .register(metrics.registry());
        return component;
    }

    /** The router of the platform-http server, registered under a name derived from its port. */
    static VertxPlatformHttpRouter platformRouter(CamelContext camelContext, VertxPlatformHttpServer server) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camelContext,
                VertxPlatformHttpRouter.getRouterNameFromPort(server.getConfigurationPort()));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(camelContext);
        }
        if (router == null) {
            throw new IllegalStateException("the platform-http server has not registered its router");
        }
        return router;
    }
}
