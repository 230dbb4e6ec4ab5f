package chat.caravan.common.http;

/**
 * Answers a connection's heartbeat frames (DDP's ping and pong) as they arrive, ahead of the frames queued before them.
 * A connection's frames are otherwise handled one after another, so a heartbeat waited behind any method call still
 * running on it, and under load behind every connection's calls: the client's pongs then arrived too late and the
 * server closed live sessions for a missed heartbeat. A bean of this type, when one exists, is asked first.
 */
public interface HeartbeatFrames {

    /**
     * Handles {@code text}, a frame of connection {@code connectionKey}, at once if it is a heartbeat of an established
     * session; false leaves it to the connection's queue (anything else, or a session not yet connected).
     * Runs on the connection's event loop: it must not block.
     */
    boolean answer(String connectionKey, String text);
}
