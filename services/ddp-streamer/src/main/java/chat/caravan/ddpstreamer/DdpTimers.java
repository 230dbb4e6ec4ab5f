package chat.caravan.ddpstreamer;

import java.time.Duration;

import chat.caravan.ddpstreamer.session.DdpServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** What the timer routes call: heartbeats to clients, and this instance's heartbeat to presence. */
@Component("ddpTimers")
public class DdpTimers {

    private final DdpServer server;
    private final Duration pingAfter;
    private final Duration timeout;

    /** Meteor's server heartbeat: a ping after 15 s without a frame, the socket closed 15 s later without one. */
    public DdpTimers(DdpServer server, @Value("${caravan.ddp.ping-after:15s}") Duration pingAfter,
            @Value("${caravan.ddp.ping-timeout:15s}") Duration timeout) {
        this.server = server;
        this.pingAfter = pingAfter;
        this.timeout = timeout;
    }

    public Duration pingAfter() {
        return pingAfter;
    }

    public Duration timeout() {
        return timeout;
    }

    public void clientHeartbeats() {
        server.heartbeat(pingAfter, timeout);
    }

    public void instanceHeartbeat() {
        server.instanceHeartbeat();
    }
}
