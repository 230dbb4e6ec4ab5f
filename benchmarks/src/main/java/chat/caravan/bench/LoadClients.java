package chat.caravan.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Opens many real DDP sessions from several loopback source addresses (127.0.0.2, .3, ...) so tens of thousands fit
 * in the ephemeral port range, a bounded number of handshakes at a time; and posts over REST.
 */
public final class LoadClients implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Semaphore handshakes = new Semaphore(200);
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    public LoadClients(int sourceAddresses) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        for (int i = 0; i < sourceAddresses; i++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
                    .setLocalAddress("127.0.0." + (2 + i)).setMaxFrameSize(1 << 20)
                    .setConnectTimeout(30_000).setIdleTimeout(0)));
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Connects, logs in with the token, subscribes to each room's messages; completes when all is ready. */
    public CompletableFuture<DdpSession> session(URI base, String token, List<String> rooms, Consumer<JsonNode> onEvent) {
        return session(base, token, onEvent, session -> {
            CompletableFuture<?>[] subs = rooms.stream()
                    .map(rid -> session.subscribe("stream-room-messages", rid, false)).toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(subs);
        });
    }

    /**
     * Connects and logs in with the token, then runs {@code setUp} (its subscriptions); completes when that is done.
     * Counts against the bound on handshakes in flight until then.
     */
    public CompletableFuture<DdpSession> session(URI base, String token, Consumer<JsonNode> onEvent,
            java.util.function.Function<DdpSession, CompletableFuture<?>> setUp) {
        return session(base, token, new DdpSession(onEvent), setUp);
    }

    /** {@link #session(URI, String, Consumer, java.util.function.Function)} for a session the caller made. */
    public CompletableFuture<DdpSession> session(URI base, String token, DdpSession session,
            java.util.function.Function<DdpSession, CompletableFuture<?>> setUp) {
        WebSocketClient client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
        handshakes.acquireUninterruptibly();
        return session.open(client, base.getPort(), base.getHost(), "/websocket")
                .thenCompose(v -> session.loginWithToken(token))
                .thenCompose(v -> setUp.apply(session))
                .whenComplete((v, e) -> handshakes.release())
                .thenApply(v -> session);
    }

    /** A REST POST as the given user (JSON body); completes with the HTTP status. */
    public CompletableFuture<Integer> post(URI base, Fixtures.BenchUser user, String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/json").header("X-User-Id", user.id())
                    .header("X-Auth-Token", user.token()).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code chat.postMessage} as the given user; completes with the HTTP status. */
    public CompletableFuture<Integer> postMessage(URI base, Fixtures.BenchUser user, String rid, String text) {
        try {
            String body = JSON.writeValueAsString(java.util.Map.of("roomId", rid, "text", text));
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/chat.postMessage"))
                    .header("Content-Type", "application/json").header("X-User-Id", user.id())
                    .header("X-Auth-Token", user.token()).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        clients.forEach(WebSocketClient::close);
        vertx.close();
    }
}
