package chat.caravan.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A minimal DDP client for load: connect, resume login, subscribe to room message streams, answer pings, and hand
 * every stream event to a listener. Thousands of these share a few Vert.x WebSocket clients.
 */
public final class DdpSession {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Consumer<JsonNode> onEvent;
    /** Sees each frame as text first; a frame it returns true for is handled (not parsed): cheap counting. */
    private volatile java.util.function.Predicate<String> rawFrames;
    private WebSocket socket;
    private CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    public DdpSession(Consumer<JsonNode> onEvent) {
        this.onEvent = onEvent;
    }

    /** Opens the socket and completes once the server answered {@code connected}. */
    public CompletableFuture<Void> open(WebSocketClient client, int port, String host, String path) {
        client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path))
                .onSuccess(ws -> {
                    socket = ws;
                    ws.textMessageHandler(this::onFrame);
                    ws.closeHandler(v -> {
                        connected.completeExceptionally(new IllegalStateException("closed"));
                        closed.complete(null);
                    });
                    ws.writeTextMessage("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}");
                })
                .onFailure(connected::completeExceptionally);
        return connected;
    }

    public CompletableFuture<JsonNode> loginWithToken(String token) {
        return call("login", Map.of("resume", token));
    }

    public CompletableFuture<JsonNode> call(String method, Object... params) {
        String id = "m" + IDS.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        send(Map.of("msg", "method", "id", id, "method", method, "params", params));
        return result;
    }

    /** Subscribes to a stream; completes on {@code ready}, fails on {@code nosub}. */
    public CompletableFuture<JsonNode> subscribe(String stream, Object... params) {
        return subscribeAs(newSubscriptionId(), stream, params);
    }

    /** A fresh subscription id, for {@link #subscribeAs} and a later {@link #unsubscribe}. */
    public static String newSubscriptionId() {
        return "s" + IDS.incrementAndGet();
    }

    /** {@link #subscribe} with the caller's subscription id. */
    public CompletableFuture<JsonNode> subscribeAs(String id, String stream, Object... params) {
        CompletableFuture<JsonNode> ready = new CompletableFuture<>();
        pending.put(id, ready);
        send(Map.of("msg", "sub", "id", id, "name", stream, "params", params));
        return ready;
    }

    /** A DDP ping with an id; completes on the server's pong: the round trip through the server's frame handling. */
    public CompletableFuture<JsonNode> ping() {
        String id = "p" + IDS.incrementAndGet();
        CompletableFuture<JsonNode> pong = new CompletableFuture<>();
        pending.put(id, pong);
        send(Map.of("msg", "ping", "id", id));
        return pong;
    }

    /** Ends a subscription ({@code unsub}); the server answers {@code nosub}, which nothing waits for. */
    public void unsubscribe(String id) {
        pending.remove(id);
        send(Map.of("msg", "unsub", "id", id));
    }

    /** Completes when the socket closed, whichever side closed it. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public void close() {
        if (socket != null && !socket.isClosed()) {
            socket.close();
        }
    }

    private void send(Object message) {
        try {
            socket.writeTextMessage(JSON.writeValueAsString(message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Frames {@code handled} returns true for are not parsed nor given to the event listener. */
    public DdpSession rawFrames(java.util.function.Predicate<String> handled) {
        this.rawFrames = handled;
        return this;
    }

    private void onFrame(String frame) {
        java.util.function.Predicate<String> raw = rawFrames;
        if (raw != null && raw.test(frame)) {
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(frame);
        } catch (Exception e) {
            return;
        }
        switch (message.path("msg").asText()) {
            case "connected" -> connected.complete(null);
            case "pong" -> {
                CompletableFuture<JsonNode> ping = pending.remove(message.path("id").asText());
                if (ping != null) {
                    ping.complete(message);
                }
            }
            case "ping" -> socket.writeTextMessage(message.has("id")
                    ? "{\"msg\":\"pong\",\"id\":" + message.get("id") + "}" : "{\"msg\":\"pong\"}");
            case "result" -> {
                CompletableFuture<JsonNode> call = pending.remove(message.path("id").asText());
                if (call != null) {
                    if (message.has("error")) {
                        call.completeExceptionally(new IllegalStateException(message.get("error").toString()));
                    } else {
                        call.complete(message.path("result"));
                    }
                }
            }
            case "ready" -> message.path("subs").forEach(sub -> {
                CompletableFuture<JsonNode> ready = pending.remove(sub.asText());
                if (ready != null) {
                    ready.complete(message);
                }
            });
            case "nosub" -> {
                CompletableFuture<JsonNode> ready = pending.remove(message.path("id").asText());
                if (ready != null) {
                    ready.completeExceptionally(new IllegalStateException("nosub " + message));
                }
            }
            case "changed" -> onEvent.accept(message);
            default -> {
            }
        }
    }
}
