package chat.caravan.common.http;

import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConsumer;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHost;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostKey;

/**
 * The Vert.x WebSocket component, hosted on the platform-http server instead of a server of its own: its consumers
 * add their paths to the platform-http router, and it never binds a port.
 */
public class SharedServerWebsocketComponent extends VertxWebsocketComponent {

    private final java.util.function.Function<org.apache.camel.CamelContext, io.vertx.ext.web.Router> platformRouter;

    public SharedServerWebsocketComponent(
            java.util.function.Function<org.apache.camel.CamelContext, io.vertx.ext.web.Router> platformRouter) {
        this.platformRouter = platformRouter;
    }

    @Override
    public void connectConsumer(VertxWebsocketConsumer consumer) {
        if (getRouter() == null) {
            setRouter(platformRouter.apply(getCamelContext()));
        }
        super.connectConsumer(consumer);
    }

    @Override
    protected VertxWebsocketHost createVertxWebsocketHost(VertxWebsocketHostConfiguration configuration,
            VertxWebsocketHostKey key) {
        return new VertxWebsocketHost(getCamelContext(), configuration, key) {
            @Override
            public void start() {
                // the platform-http server is already listening on this port
            }
        };
    }
}
