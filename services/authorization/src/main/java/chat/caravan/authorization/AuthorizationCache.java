package chat.caravan.authorization;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import chat.caravan.common.model.Collections;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * What decisions read, kept in memory: which roles each permission grants, each role's scope, each user's global
 * roles and each membership's room roles. Change events from stream-hub invalidate entries at once on every
 * replica; entries also expire after {@link #MAX_AGE}, a bound should an event ever be missed.
 */
@Component("authorizationCache")
public class AuthorizationCache {

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final MongoDatabase database;
    private volatile Snapshot<Map<String, List<String>>> permissions;
    private volatile Snapshot<Map<String, String>> roleScopes;
    private final Map<String, Snapshot<UserEntry>> users = new ConcurrentHashMap<>();
    private final Map<String, Snapshot<Membership>> memberships = new ConcurrentHashMap<>();

    public AuthorizationCache(MongoDatabase database) {
        this.database = database;
    }

    /** A user's subscription to a room: whether it exists, and its room-scoped roles. */
    public record Membership(boolean member, Set<String> roles) {
    }

    private record UserEntry(Set<String> roles, String username) {
    }

    public List<String> rolesGranting(String permission) {
        Snapshot<Map<String, List<String>>> current = permissions;
        if (current == null || current.stale()) {
            Map<String, List<String>> loaded = new HashMap<>();
            for (Document doc : database.getCollection(Collections.PERMISSIONS).find()) {
                loaded.put(doc.getString("_id"), doc.getList("roles", String.class, List.of()));
            }
            current = new Snapshot<>(loaded);
            permissions = current;
        }
        return current.value().getOrDefault(permission, List.of());
    }

    /** A role's scope ("Users" or "Subscriptions"); unknown roles count as "Users". */
    public String scopeOf(String role) {
        Snapshot<Map<String, String>> current = roleScopes;
        if (current == null || current.stale()) {
            Map<String, String> loaded = new HashMap<>();
            for (Document doc : database.getCollection(Collections.ROLES).find()) {
                loaded.put(doc.getString("_id"), doc.getString("scope"));
                if (doc.getString("name") != null) {
                    loaded.putIfAbsent(doc.getString("name"), doc.getString("scope"));
                }
            }
            current = new Snapshot<>(loaded);
            roleScopes = current;
        }
        return current.value().getOrDefault(role, "Users");
    }

    public Set<String> userRoles(String uid) {
        return user(uid).roles();
    }

    /** A user's username, null for no such user. */
    public String username(String uid) {
        return user(uid).username();
    }

    private UserEntry user(String uid) {
        return cached(users, uid, () -> {
            Document user = database.getCollection(Collections.USERS).find(Filters.eq("_id", uid))
                    .projection(new Document("roles", 1).append("active", 1).append("username", 1)).first();
            if (user == null) {
                return new UserEntry(Set.of(), null);
            }
            // a deactivated user keeps its name (mute lists hold names) but holds no role
            Set<String> roles = Boolean.FALSE.equals(user.getBoolean("active")) ? Set.of()
                    : Set.copyOf(user.getList("roles", String.class, List.of()));
            return new UserEntry(roles, user.getString("username"));
        });
    }

    public Membership membership(String uid, String rid) {
        return cached(memberships, uid + "/" + rid, () -> {
            Document subscription = database.getCollection(Collections.SUBSCRIPTIONS)
                    .find(Filters.and(Filters.eq("rid", rid), Filters.eq("u._id", uid)))
                    .projection(new Document("roles", 1)).first();
            return subscription == null ? new Membership(false, Set.of())
                    : new Membership(true, Set.copyOf(subscription.getList("roles", String.class, List.of())));
        });
    }

    /** Applies a stream-hub change event of the named collection event. */
    public void onChange(String event, JsonNode change) {
        switch (event) {
            case "watch.permissions" -> permissions = null;
            case "watch.roles" -> {
                roleScopes = null;
                permissions = null;
            }
            case "watch.users" -> users.remove(change.path("id").asText());
            case "watch.subscriptions" -> {
                JsonNode data = change.path("data");
                String uid = data.path("u").path("_id").asText(null);
                String rid = data.path("rid").asText(null);
                if (uid != null && rid != null) {
                    memberships.remove(uid + "/" + rid);
                } else {
                    memberships.clear();
                }
            }
            default -> {
            }
        }
    }

    /** Forgets everything; used after this service changes roles or permissions itself. */
    public void clear() {
        permissions = null;
        roleScopes = null;
        users.clear();
        memberships.clear();
    }

    private static <T> T cached(Map<String, Snapshot<T>> cache, String key, Supplier<T> load) {
        Snapshot<T> entry = cache.get(key);
        if (entry == null || entry.stale()) {
            entry = new Snapshot<>(load.get());
            if (cache.size() > 100_000) {
                cache.clear();
            }
            cache.put(key, entry);
        }
        return entry.value();
    }

    private record Snapshot<T>(T value, long loadedAt) {
        Snapshot(T value) {
            this(value, System.nanoTime());
        }

        boolean stale() {
            return System.nanoTime() - loadedAt > MAX_AGE.toNanos();
        }
    }
}
