package chat.caravan.ddpstreamer.session;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.ddpstreamer.protocol.DdpFrames;
import io.vertx.core.http.ServerWebSocket;

/**
 * One client connection: its socket, framing (raw or SockJS), the logged-in user, its subscriptions and the rooms
 * the user belongs to (kept current from subscription events, for rooms-changed and message access).
 */
public final class DdpSession {

    /** Close codes ddp-streamer uses. */
    public static final short PROTOCOL_ERROR = 1002;
    public static final short UNSUPPORTED_DATA = 1007;
    public static final short MESSAGE_TOO_BIG = 1009;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DdpSession.class);
    public static final short SLOW_CONSUMER = 1013;
    public static final short TIMEOUT = 4000;

    private final String id;
    private final ServerWebSocket socket;
    private final boolean sockJs;
    private final int maxBufferedBytes;
    private final String clientAddress;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final Set<String> watchedPresence = ConcurrentHashMap.newKeySet();
    private volatile boolean connected;
    private volatile String userId;
    private volatile String username;
    private volatile String token;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile long pingSentNanos;
    private volatile long lastActivityReportNanos;
    private volatile String presenceSubscription;
    private volatile boolean closed;
    /** This connection's own presence (online, or away when its client said so), re-announced after outages. */
    private volatile String presenceStatus = "online";

    public DdpSession(String id, ServerWebSocket socket, boolean sockJs, int maxBufferedBytes, String clientAddress) {
        this.id = id;
        this.clientAddress = clientAddress;
        this.socket = socket;
        this.sockJs = sockJs;
        this.maxBufferedBytes = maxBufferedBytes;
        socket.setWriteQueueMaxSize(maxBufferedBytes);
    }

    /** A subscription of this session to (stream, eventName). */
    public record Subscription(String id, String stream, String eventName) {
    }

    /** Sends one DDP message, framed for this transport. */
    public void send(String message) {
        sendFrame(DdpFrames.frame(message, sockJs));
    }

    /** Sends an already framed text; a client that stopped reading is dropped rather than buffered forever. */
    public void sendFrame(String frame) {
        if (closed) {
            return;
        }
        if (socket.writeQueueFull()) {
            close(SLOW_CONSUMER, "SLOW_CONSUMER");
            return;
        }
        socket.writeTextMessage(frame);
    }

    public void close(short code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (code == SLOW_CONSUMER || code == TIMEOUT) {
            // the server drops the client (it stopped reading, or answered no ping): say so, it is not the client leaving
            LOG.info("DDP session {} closed by the server: {}", id, reason);
        }
        if (!socket.isClosed()) {
            socket.close(code, reason);
        }
    }

    public void touch() {
        lastSeenNanos = System.nanoTime();
        pingSentNanos = 0;
    }

    public String id() {
        return id;
    }

    /** The client's address, fixed when the WebSocket opened (socket peer and trusted proxies' X-Forwarded-For). */
    public String clientAddress() {
        return clientAddress;
    }

    public boolean sockJs() {
        return sockJs;
    }

    public boolean isClosed() {
        return closed || socket.isClosed();
    }

    public boolean isConnected() {
        return connected;
    }

    public void markConnected() {
        connected = true;
    }

    public boolean isLoggedIn() {
        return userId != null;
    }

    public void login(String userId, String username, String token) {
        this.userId = userId;
        this.username = username;
        this.token = token;
    }

    public void logout() {
        userId = null;
        username = null;
        token = null;
        rooms.clear();
    }

    public String userId() {
        return userId;
    }

    public String username() {
        return username;
    }

    public String token() {
        return token;
    }

    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    public Set<String> rooms() {
        return rooms;
    }

    public Set<String> watchedPresence() {
        return watchedPresence;
    }

    public String presenceSubscription() {
        return presenceSubscription;
    }

    public void presenceSubscription(String subId) {
        presenceSubscription = subId;
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    public long pingSentNanos() {
        return pingSentNanos;
    }

    public void pingSent() {
        pingSentNanos = System.nanoTime();
    }

    /** True at most once per interval: activity is reported to presence sparingly. */
    public boolean activityDue(long intervalNanos) {
        long now = System.nanoTime();
        if (now - lastActivityReportNanos > intervalNanos) {
            lastActivityReportNanos = now;
            return true;
        }
        return false;
    }

    public int maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public String presenceStatus() {
        return presenceStatus;
    }

    public void presenceStatus(String status) {
        this.presenceStatus = status;
    }
}
