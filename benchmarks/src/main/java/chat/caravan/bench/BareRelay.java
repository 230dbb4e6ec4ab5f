package chat.caravan.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The baseline: a bare NATS-to-WebSocket relay with no Caravan logic. A client sends {@code sub <room>}; every NATS
 * message on {@code bench.room.<room>} is written, unchanged, to each socket subscribed to that room.
 */
public final class BareRelay implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer server;
    private final Connection nats;
    private final Dispatcher dispatcher;
    private final Map<String, Set<ServerWebSocket>> rooms = new ConcurrentHashMap<>();

    public BareRelay(Vertx vertx, String natsUrl, int port) throws Exception {
        this.vertx = vertx;
        this.nats = Nats.connect(natsUrl);
        this.dispatcher = nats.createDispatcher(message -> {
            String room = message.getSubject().substring("bench.room.".length());
            Buffer frame = Buffer.buffer(message.getData());
            for (ServerWebSocket socket : rooms.getOrDefault(room, Set.of())) {
                if (!socket.writeQueueFull()) {
                    socket.writeTextMessage(frame.toString());
                }
            }
        });
        dispatcher.subscribe("bench.room.*");
        nats.flush(java.time.Duration.ofSeconds(5));
        CountDownLatch listening = new CountDownLatch(1);
        this.server = vertx.createHttpServer().webSocketHandler(socket -> {
            socket.textMessageHandler(text -> {
                if (text.startsWith("sub ")) {
                    rooms.computeIfAbsent(text.substring(4), r -> ConcurrentHashMap.newKeySet()).add(socket);
                    socket.writeTextMessage("ready");
                }
            });
            socket.closeHandler(v -> rooms.values().forEach(set -> set.remove(socket)));
        });
        server.listen(port, "127.0.0.1").onComplete(done -> listening.countDown());
        if (!listening.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("relay did not listen");
        }
    }

    /**
     * A client of the relay subscribed to {@code room}: each frame's message text ({@code fields.args[0].msg}, the
     * frame parsed as Caravan's clients parse theirs) goes to {@code onMessage}. Completes once the relay has it
     * subscribed.
     */
    static CompletableFuture<WebSocket> subscriber(WebSocketClient client, int port, String room, Consumer<String> onMessage) {
        CompletableFuture<WebSocket> subscribed = new CompletableFuture<>();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/websocket"))
                .onSuccess(ws -> {
                    ws.textMessageHandler(text -> {
                        if ("ready".equals(text)) {
                            subscribed.complete(ws);
                            return;
                        }
                        try {
                            onMessage.accept(JSON.readTree(text).path("fields").path("args").path(0).path("msg").asText());
                        } catch (Exception ignored) {
                            // not a frame of ours
                        }
                    });
                    ws.writeTextMessage("sub " + room);
                }).onFailure(subscribed::completeExceptionally);
        return subscribed;
    }

    /** The relay's clients, once every one of them is subscribed (two minutes at most). */
    static List<WebSocket> subscribed(List<CompletableFuture<WebSocket>> pending) throws Exception {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return pending.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        nats.close();
    }
}
