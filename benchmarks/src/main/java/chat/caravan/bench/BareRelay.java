package chat.caravan.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

/**
 * The baseline: a bare NATS-to-WebSocket relay with no Caravan logic. A client sends {@code sub <room>}; every NATS
 * message on {@code bench.room.<room>} is written, unchanged, to each socket subscribed to that room.
 */
public final class BareRelay implements AutoCloseable {

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

    @Override
    public void close() throws InterruptedException {
        server.close();
        nats.close();
    }
}
