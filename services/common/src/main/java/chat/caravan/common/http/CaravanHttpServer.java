package chat.caravan.common.http;

import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * Camel's platform-http server with the WebSocket limits Caravan configures: the stock server builds its
 * {@link HttpServerOptions} inline, so Vert.x's defaults (64 KiB per frame, 256 KiB per message) would apply to DDP.
 * Every request goes to the platform-http router, as with the stock server (its path is "/").
 */
public class CaravanHttpServer extends VertxPlatformHttpServer {

    private final VertxPlatformHttpServerConfiguration configuration;
    private final int maxWebSocketMessageBytes;
    private volatile HttpServer server;

    public CaravanHttpServer(VertxPlatformHttpServerConfiguration configuration, int maxWebSocketMessageBytes) {
        super(configuration);
        this.configuration = configuration;
        this.maxWebSocketMessageBytes = maxWebSocketMessageBytes;
    }

    @Override
    protected void startServer() throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                // no h2c upgrade: Vert.x 4.5 answers an upgraded request whose body is larger than one HTTP/2 frame with
                // bytes out of frame now and then (java.net.http's default client asks for h2c); HTTP/1.1 it is, as Rocket.Chat
                .setHttp2ClearTextEnabled(false)
                // one frame may carry the whole message; a larger one is refused with 1009, never dropped silently
                .setMaxWebSocketFrameSize(maxWebSocketMessageBytes)
                .setMaxWebSocketMessageSize(maxWebSocketMessageBytes);
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        HttpServer created = getVertx().createHttpServer(options).requestHandler(request -> {
            // a GET's body means nothing here; one sent as a form (some clients do) must not fail the body handler,
            // which decodes forms only for POST, PUT, PATCH and DELETE
            if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
                request.headers().remove(HttpHeaders.CONTENT_TYPE);
            }
            router.handle(request);
        });
        server = created.listen(configuration.getBindPort(), configuration.getBindHost())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    protected void stopServer() {
        HttpServer running = server;
        server = null;
        if (running != null) {
            try {
                running.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // stopping anyway: the port is released with the Vert.x instance at the latest
            }
        }
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public int getPort() {
        HttpServer running = server;
        return running != null ? running.actualPort() : configuration.getBindPort();
    }
}
