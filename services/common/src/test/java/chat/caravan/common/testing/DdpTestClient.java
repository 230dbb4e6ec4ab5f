package chat.caravan.common.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain DDP client over a raw WebSocket, for tests that need exact control of sockets and frames. */
public final class DdpTestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile WebSocket socket;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile boolean answerPings = true;

    private DdpTestClient() {
    }

    /** Connects to {@code ws://host:port/websocket} and completes the DDP handshake. */
    public static DdpTestClient connect(String websocketUrl) {
        return connect(websocketUrl, Map.of(), HttpClient.newHttpClient());
    }

    /** Connects with extra headers on the upgrade request (e.g. X-Forwarded-For as a proxy would add it). */
    public static DdpTestClient connect(String websocketUrl, Map<String, String> headers) {
        return connect(websocketUrl, headers, HttpClient.newHttpClient());
    }

    /** As {@link #connect(String)}, over a given HTTP client (many sockets need not each start their own). */
    public static DdpTestClient connect(String websocketUrl, HttpClient http) {
        return connect(websocketUrl, Map.of(), http);
    }

    private static DdpTestClient connect(String websocketUrl, Map<String, String> headers, HttpClient http) {
        DdpTestClient client = open(websocketUrl, headers, http);
        client.send(Map.of("msg", "connect", "version", "1", "support", List.of("1")));
        client.await(m -> "connected".equals(m.path("msg").asText()), Duration.ofSeconds(10));
        return client;
    }

    /** Opens the socket only: the test speaks first (or wrongly). */
    public static DdpTestClient open(String websocketUrl) {
        return open(websocketUrl, Map.of(), HttpClient.newHttpClient());
    }

    private static DdpTestClient open(String websocketUrl, Map<String, String> headers, HttpClient http) {
        // the client exists before the socket, so frames the server sends at once (SockJS "o") are not lost
        DdpTestClient[] holder = {new DdpTestClient()};
        StringBuilder partial = new StringBuilder();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        WebSocket socket = builder
                .buildAsync(URI.create(websocketUrl), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            holder[0].receive(text);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        holder[0].closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        holder[0].closed.complete(-1);
                    }
                }).orTimeout(10, TimeUnit.SECONDS).join();
        holder[0].socket = socket;
        return holder[0];
    }

    /** Sends a text frame as is, well-formed or not. */
    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends one message as several continuation frames, each part its own frame. */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    /** Stops (or resumes) answering the server's pings, as a client whose network vanished would. */
    public void answerPings(boolean answer) {
        answerPings = answer;
    }

    /** The close code the server sent, or -1 if the socket did not close within the timeout. */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    private void receive(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if ("ping".equals(message.path("msg").asText()) && answerPings) {
                send(Map.of("msg", "pong"));
            }
            if ("result".equals(message.path("msg").asText())) {
                CompletableFuture<JsonNode> call = calls.remove(message.path("id").asText());
                if (call != null) {
                    call.complete(message);
                }
            }
            inbox.add(message);
        } catch (Exception e) {
            inbox.add(JSON.createObjectNode().put("unparsable", text));
        }
    }

    public void send(Object message) {
        try {
            socket.sendText(JSON.writeValueAsString(message), true).join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls a method and returns the whole result message ({@code result} or {@code error}). */
    public JsonNode call(String method, Object... params) {
        String id = "c" + ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        calls.put(id, result);
        send(Map.of("msg", "method", "id", id, "method", method, "params", java.util.Arrays.asList(params)));
        return result.orTimeout(15, TimeUnit.SECONDS).join();
    }

    public JsonNode loginWithToken(String token) {
        JsonNode result = call("login", Map.of("resume", token));
        if (result.has("error")) {
            throw new AssertionError("login failed: " + result);
        }
        return result.get("result");
    }

    /** Subscribes and returns {@code ready} or {@code nosub}. */
    public JsonNode subscribe(String name, Object... params) {
        String id = "s" + ids.incrementAndGet();
        send(Map.of("msg", "sub", "id", id, "name", name, "params", List.of(params)));
        return await(m -> (("ready".equals(m.path("msg").asText()) && m.path("subs").toString().contains("\"" + id + "\""))
                || ("nosub".equals(m.path("msg").asText()) && id.equals(m.path("id").asText()))), Duration.ofSeconds(10));
    }

    /** The next received message matching, or fails after the timeout. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        JsonNode found = poll(match, timeout);
        if (found == null) {
            throw new AssertionError("no matching DDP message within " + timeout);
        }
        return found;
    }

    /** The next received message matching, or null after the timeout. */
    public JsonNode poll(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode message = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message != null && match.test(message)) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    /** Drops the socket without a close handshake, as a vanished client would. */
    public void abort() {
        socket.abort();
    }
}
