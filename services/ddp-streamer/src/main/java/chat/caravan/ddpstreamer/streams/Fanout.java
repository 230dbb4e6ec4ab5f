package chat.caravan.ddpstreamer.streams;

import java.util.Collection;
import java.util.function.Predicate;

import chat.caravan.ddpstreamer.protocol.DdpFrames;
import chat.caravan.ddpstreamer.session.DdpSession;
import org.springframework.stereotype.Component;

/**
 * Delivers a stream event to its listeners. The DDP message is serialized once, and each framing (raw, SockJS) is
 * built at most once, however many sessions receive it.
 */
@Component
public class Fanout {

    private final StreamIndex index;

    public Fanout(StreamIndex index) {
        this.index = index;
    }

    /** {@code stream-<name>} event to every listener of (stream, eventName) that {@code accept}s, except {@code skip}. */
    public int deliver(String stream, String eventName, Object args, Predicate<DdpSession> accept, String skipSessionId) {
        Collection<DdpSession> listeners = index.listeners(stream, eventName);
        if (listeners.isEmpty()) {
            return 0;
        }
        String message = DdpFrames.streamEvent(stream, eventName, args);
        return send(listeners, message, accept, skipSessionId);
    }

    /**
     * The same {@code args} under each of {@code eventNames} (one event per member, say), the arguments serialized
     * once for all of them.
     */
    public int deliverEach(String stream, Collection<String> eventNames, Object args) {
        String serializedArgs = null;
        int sent = 0;
        for (String eventName : eventNames) {
            Collection<DdpSession> listeners = index.listeners(stream, eventName);
            if (listeners.isEmpty()) {
                continue;
            }
            if (serializedArgs == null) {
                serializedArgs = DdpFrames.json(args);
            }
            sent += send(listeners, DdpFrames.streamEventOf(stream, eventName, serializedArgs), null, null);
        }
        return sent;
    }

    /** Sends one prepared DDP message to the sessions, framing it once per transport. */
    public int send(Collection<DdpSession> sessions, String message, Predicate<DdpSession> accept, String skipSessionId) {
        String raw = null;
        String sockJs = null;
        int sent = 0;
        for (DdpSession session : sessions) {
            if (session.isClosed() || session.id().equals(skipSessionId) || (accept != null && !accept.test(session))) {
                continue;
            }
            if (session.sockJs()) {
                if (sockJs == null) {
                    sockJs = DdpFrames.frame(message, true);
                }
                session.sendFrame(sockJs);
            } else {
                if (raw == null) {
                    raw = message;
                }
                session.sendFrame(raw);
            }
            sent++;
        }
        return sent;
    }
}
