package chat.caravan.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import chat.caravan.common.testing.Await;
import chat.caravan.common.testing.CommonTestApplication;
import chat.caravan.common.testing.NatsServerProcess;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A client that sends frames faster than the server handles them is held back by TCP once its connection has
 * {@link SharedServerWebsocketComponent#MAX_QUEUED_FRAMES} frames waiting, instead of filling the heap; every frame
 * is still handled, in order, once the server catches up.
 */
@SpringBootTest(classes = CommonTestApplication.class)
class WebSocketBacklogTest {

    static final int PORT = NatsServerProcess.freePort();
    /** 2,000 frames of 16 KB: 32 MB, more than loopback's socket buffers hold, so a paused server stops the sender. */
    static final int FRAMES = 2_000;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("caravan.http.port", () -> PORT);
        registry.add("caravan.data-dir", () -> dataDir.toString());
    }

    @Autowired
    CamelContext camelContext;

    @Test
    void aFloodingClientIsHeldBackAndLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> handled = new CopyOnWriteArrayList<>();
        camelContext.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("vertx-websocket:/flood").routeId("test-flood")
                        .filter(exchange -> exchange.getMessage().getHeader(VertxWebsocketConstants.EVENT)
                                == VertxWebsocketEvent.MESSAGE)
                        .process(exchange -> {
                            release.await(2, TimeUnit.MINUTES);
                            String body = exchange.getMessage().getBody(String.class);
                            handled.add(Integer.parseInt(body.substring(0, body.indexOf(':'))));
                        });
            }
        });
        SharedServerWebsocketComponent component = camelContext.getComponent("vertx-websocket",
                SharedServerWebsocketComponent.class);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + PORT + "/flood"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);

        String padding = "x".repeat(16 * 1024);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < FRAMES; i++) {
                socket.sendText(i + ":" + padding, true).join();
                sent.incrementAndGet();
            }
        });
        AtomicInteger mostQueued = new AtomicInteger();
        Await.until(() -> {
            mostQueued.accumulateAndGet(component.queuedFrames(), Math::max);
            return mostQueued.get() >= SharedServerWebsocketComponent.MAX_QUEUED_FRAMES || sender.isDone();
        });
        // the sender stalls once the socket buffers are full; a server reading on would take all 32 MB at once
        int sentBefore = -1;
        while (sent.get() != sentBefore && !sender.isDone()) {
            sentBefore = sent.get();
            for (int look = 0; look < 50; look++) {
                mostQueued.accumulateAndGet(component.queuedFrames(), Math::max);
                Thread.sleep(10);
            }
        }
        assertThat(sender).isNotDone();
        assertThat(sent.get()).isLessThan(FRAMES);
        assertThat(mostQueued.get()).isEqualTo(SharedServerWebsocketComponent.MAX_QUEUED_FRAMES);
        assertThat(component.pauses()).isPositive();

        release.countDown();
        sender.get(2, TimeUnit.MINUTES);
        Await.until(() -> handled.size() == FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(handled.get(i)).isEqualTo(i);
        }
        socket.abort();
    }
}
