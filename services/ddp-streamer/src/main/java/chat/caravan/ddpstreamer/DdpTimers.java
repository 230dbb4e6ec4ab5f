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

    public DdpTimers(DdpServer server, @Value("${caravan.ddp.ping-after:30s}") Duration pingAfter,
            @Value("${caravan.ddp.ping-timeout:30s}") Duration timeout) {
        this.server = server;
        this.pingAfter = pingAfter;
        this.timeout = timeout;
    }

    public void clientHeartbeats() {
        server.heartbeat(pingAfter, timeout);
    }

    public void instanceHeartbeat() {
        server.instanceHeartbeat();
    }
}
