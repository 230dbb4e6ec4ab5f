package chat.caravan.common.authz;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/**
 * Asks the authorization service (over the bus) what a user may do. Every REST endpoint, DDP method and stream
 * subscription goes through here; the service caches roles and permissions and answers fast.
 */
@Component
public class Authorization {

    private final BusClient bus;

    public Authorization(BusClient bus) {
        this.bus = bus;
    }

    /** Whether the user has the permission globally, or in the room {@code scope} (a room id) when given. */
    public boolean hasPermission(String uid, String permission, String scope) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", uid);
        request.put("permission", permission);
        if (scope != null) {
            request.put("scope", scope);
        }
        return bus.call("authorization.hasPermission", request).asBoolean(false);
    }

    public boolean hasPermission(String uid, String permission) {
        return hasPermission(uid, permission, null);
    }

    public boolean hasAllPermission(String uid, Collection<String> permissions, String scope) {
        return bus.call("authorization.hasAllPermission", scoped(uid, permissions, scope)).asBoolean(false);
    }

    public boolean hasAtLeastOnePermission(String uid, Collection<String> permissions, String scope) {
        return bus.call("authorization.hasAtLeastOnePermission", scoped(uid, permissions, scope)).asBoolean(false);
    }

    /** Rocket.Chat's canAccessRoom: members; anyone with view-c-room for public rooms. */
    public boolean canAccessRoom(String uid, String rid) {
        return bus.call("authorization.canAccessRoom", Map.of("uid", uid, "rid", rid)).asBoolean(false);
    }

    /** Whether the user may read the room's messages (its stream, its history). */
    public boolean canReadRoom(String uid, String rid) {
        return bus.call("authorization.canReadRoom", Map.of("uid", uid, "rid", rid)).asBoolean(false);
    }

    /** The room, if the user may post in it now; otherwise the coded error Rocket.Chat gives. */
    public JsonNode canSendMessage(String uid, String rid) {
        return bus.call("authorization.canSendMessage", Map.of("uid", uid, "rid", rid));
    }

    /**
     * Requires a permission, failing with Rocket.Chat's route-level answer: 403
     * {@code User does not have the permissions required for this action [error-unauthorized]}.
     */
    public void require(String uid, String permission) {
        if (!hasPermission(uid, permission)) {
            throw new CaravanException(403, "error-unauthorized",
                    "User does not have the permissions required for this action", null);
        }
    }

    /** Requires a permission, failing with the given coded business error (400), as many handlers do. */
    public void require(String uid, String permission, String scope, String errorType, String reason) {
        if (!hasPermission(uid, permission, scope)) {
            throw CaravanException.coded(errorType, reason);
        }
    }

    private static Map<String, Object> scoped(String uid, Collection<String> permissions, String scope) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", uid);
        request.put("permissions", List.copyOf(permissions));
        if (scope != null) {
            request.put("scope", scope);
        }
        return request;
    }
}
