package chat.caravan.ddpstreamer.streams;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import chat.caravan.ddpstreamer.session.DdpSession;
import org.springframework.stereotype.Component;

/**
 * Who listens to what: (stream, eventName) -> sessions. An event costs work in proportion to its receivers, never
 * to all connections.
 */
@Component
public class StreamIndex {

    private final Map<String, Set<DdpSession>> listeners = new ConcurrentHashMap<>();

    public void add(String stream, String eventName, DdpSession session) {
        listeners.computeIfAbsent(key(stream, eventName), k -> ConcurrentHashMap.newKeySet()).add(session);
    }

    public void remove(String stream, String eventName, DdpSession session) {
        listeners.computeIfPresent(key(stream, eventName), (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    public Collection<DdpSession> listeners(String stream, String eventName) {
        Set<DdpSession> sessions = listeners.get(key(stream, eventName));
        return sessions == null ? Set.of() : sessions;
    }

    public int size() {
        return listeners.size();
    }

    private static String key(String stream, String eventName) {
        return stream + '\u0000' + eventName;
    }
}
