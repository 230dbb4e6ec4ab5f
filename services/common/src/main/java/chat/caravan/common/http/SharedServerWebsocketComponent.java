package chat.caravan.common.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpointConfigurer;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerAware;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
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
    private final ExecutorService workers = Executors.newFixedThreadPool(
            Math.max(16, Runtime.getRuntime().availableProcessors() * 8), new CustomizableThreadFactory("websocket-frames-"));
    private final KeyedSerialExecutor lanes = new KeyedSerialExecutor(workers);
    /** Frames longer than this are never heartbeats (DDP's ping with an id is some 40 characters). */
    private static final int HEARTBEAT_MAX_CHARS = 200;
    private volatile HeartbeatFrames heartbeats;
    /**
     * Frames one connection may have waiting or running before its socket is paused: a client that sends faster than
     * its frames are handled is held back by TCP rather than queued in the heap. Reading resumes at half.
     */
    static final int MAX_QUEUED_FRAMES = 128;
    private final ConcurrentHashMap<String, Backlog> backlogs = new ConcurrentHashMap<>();
    private final LongAdder pauses = new LongAdder();

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

    /** The stock configurers: Camel finds generated ones by class name, which a subclass does not share. */
    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new VertxWebsocketEndpointConfigurer();
    }

    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new org.apache.camel.component.vertx.websocket.VertxWebsocketComponentConfigurer();
    }

    /**
     * Server endpoints whose consumers handle each connection's frames in order (the stock consumer hands every
     * frame to an unordered worker task, so two quick frames of one client could be processed out of order).
     */
    @Override
    protected VertxWebsocketEndpoint createEndpointInstance(String uri, VertxWebsocketConfiguration configuration) {
        return new OrderedEndpoint(uri, configuration);
    }

    /** Keeps the stock endpoint's options (its generated configurer is found by class name, so name it here). */
    private final class OrderedEndpoint extends VertxWebsocketEndpoint implements PropertyConfigurerAware {
        private final VertxWebsocketConfiguration configuration;

        OrderedEndpoint(String uri, VertxWebsocketConfiguration configuration) {
            super(uri, SharedServerWebsocketComponent.this, configuration);
            this.configuration = configuration;
        }

        @Override
        public PropertyConfigurer getPropertyConfigurer(Object instance) {
            return new VertxWebsocketEndpointConfigurer();
        }

        ServerWebSocket socket(String connectionKey) {
            return findPeerForConnectionKey(connectionKey);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            if (configuration.isConsumeAsClient()) {
                return super.createConsumer(processor);
            }
            VertxWebsocketConsumer consumer = new OrderedConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    private final class OrderedConsumer extends VertxWebsocketConsumer {
        OrderedConsumer(VertxWebsocketEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        /**
         * Socket failures reach the route as ERROR events with the failure as body (the stock consumer only logs
         * them): a message over the size limit must close its socket rather than vanish while the client waits.
         */
        @Override
        public void onException(String connectionKey, Throwable cause, SocketAddress remote, RoutingContext routingContext) {
            if (!getEndpoint().getConfiguration().isFireWebSocketConnectionEvents()) {
                super.onException(connectionKey, cause, remote, routingContext);
                return;
            }
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(cause);
            populateExchangeHeaders(exchange, connectionKey, remote, routingContext, VertxWebsocketEvent.ERROR);
            processExchange(exchange, routingContext);
        }

        @Override
        protected void processExchange(Exchange exchange, RoutingContext routingContext) {
            String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, "", String.class);
            if (isAnsweredHeartbeat(key, exchange)) {
                releaseExchange(exchange, false);
                return;
            }
            // on the connection's event loop: frames of one connection are counted in arrival order
            Backlog backlog = backlogs.computeIfAbsent(key, k -> new Backlog());
            if (backlog.queued.incrementAndGet() >= MAX_QUEUED_FRAMES && !backlog.paused) {
                backlog.pause(((OrderedEndpoint) getEndpoint()).socket(key));
            }
            lanes.execute(key, () -> {
                try {
                    createUoW(exchange);
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                } finally {
                    if (exchange.getException() != null) {
                        getExceptionHandler().handleException(exchange.getException());
                    }
                    doneUoW(exchange);
                    releaseExchange(exchange, false);
                    int left = backlog.queued.decrementAndGet();
                    if (left == MAX_QUEUED_FRAMES / 2) {
                        backlog.resume();
                    } else if (left == 0) {
                        backlogs.remove(key, backlog);
                    }
                }
            });
        }
    }

    /** Frames waiting or running, over all connections. */
    public int queuedFrames() {
        return backlogs.values().stream().mapToInt(backlog -> backlog.queued.get()).sum();
    }

    /** Times a connection's socket was paused for its backlog. */
    public long pauses() {
        return pauses.sum();
    }

    /**
     * One connection's frames waiting or running. Pausing and resuming its socket both run on the connection's event
     * loop, so they never cross.
     */
    private final class Backlog {
        final AtomicInteger queued = new AtomicInteger();
        /** On the event loop only. */
        boolean paused;
        private volatile ServerWebSocket socket;
        private volatile Context context;

        /** On the event loop, once the connection has too many frames queued. */
        void pause(ServerWebSocket found) {
            if (found != null) {
                socket = found;
                context = Vertx.currentContext();
                found.pause();
                paused = true;
                pauses.increment();
            }
        }

        /** From a worker, once half the frames are handled: resumes on the event loop. */
        void resume() {
            Context loop = context;
            if (loop != null) {
                loop.runOnContext(ignored -> {
                    if (paused) {
                        paused = false;
                        socket.resume();
                    }
                });
            }
        }
    }

    /** A short text frame the {@link HeartbeatFrames} bean (if any) answered itself, outside the connection's queue. */
    private boolean isAnsweredHeartbeat(String key, Exchange exchange) {
        if (exchange.getMessage().getHeader(VertxWebsocketConstants.EVENT) != VertxWebsocketEvent.MESSAGE
                || !(exchange.getMessage().getBody() instanceof String text) || text.length() > HEARTBEAT_MAX_CHARS) {
            return false;
        }
        HeartbeatFrames heartbeats = this.heartbeats;
        if (heartbeats == null) {
            java.util.Set<HeartbeatFrames> found = getCamelContext().getRegistry().findByType(HeartbeatFrames.class);
            if (found.isEmpty()) {
                return false;
            }
            heartbeats = found.iterator().next();
            this.heartbeats = heartbeats;
        }
        return heartbeats.answer(key, text);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        workers.shutdown();
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
