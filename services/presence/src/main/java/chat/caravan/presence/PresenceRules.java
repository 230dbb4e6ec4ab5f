package chat.caravan.presence;

import java.util.Collection;
import java.util.Set;

/** Rocket.Chat's status rules: what a user's connections and chosen status make of the status others see. */
public final class PresenceRules {

    public static final Set<String> STATUSES = Set.of("online", "away", "busy", "offline");

    private PresenceRules() {
    }

    /** online if any connection is online, away if all are away, offline without connections. */
    public static String connectionStatus(Collection<String> connectionStatuses) {
        if (connectionStatuses.isEmpty()) {
            return "offline";
        }
        return connectionStatuses.contains("online") ? "online" : "away";
    }

    /** The chosen status wins unless it is online; offline connections always show offline. */
    public static String shownStatus(String connectionStatus, String defaultStatus) {
        if ("offline".equals(connectionStatus)) {
            return "offline";
        }
        if (defaultStatus == null || "online".equals(defaultStatus)) {
            return connectionStatus;
        }
        return defaultStatus;
    }
}
