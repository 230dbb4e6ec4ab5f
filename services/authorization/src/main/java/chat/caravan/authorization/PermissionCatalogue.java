package chat.caravan.authorization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rocket.Chat's default roles and its whole permission catalogue with each permission's default roles
 * ({@code authorization/catalogue.json}), so every permission id Rocket.Chat's clients and tools name exists and can be
 * granted, including those of features Caravan does not implement (they guard nothing here).
 */
final class PermissionCatalogue {

    record Role(String id, String scope, String description) {
    }

    static final List<Role> ROLES;
    static final Map<String, List<String>> PERMISSIONS;

    static {
        try (InputStream in = PermissionCatalogue.class.getResourceAsStream("/authorization/catalogue.json")) {
            if (in == null) {
                throw new IllegalStateException("missing /authorization/catalogue.json");
            }
            JsonNode catalogue = new ObjectMapper().readTree(in);
            List<Role> roles = new ArrayList<>();
            for (JsonNode role : catalogue.path("roles")) {
                roles.add(new Role(role.path("_id").asText(), role.path("scope").asText(), role.path("description").asText()));
            }
            Map<String, List<String>> permissions = new LinkedHashMap<>();
            for (JsonNode permission : catalogue.path("permissions")) {
                List<String> granted = new ArrayList<>();
                permission.path("roles").forEach(role -> granted.add(role.asText()));
                permissions.put(permission.path("_id").asText(), List.copyOf(granted));
            }
            ROLES = List.copyOf(roles);
            PERMISSIONS = Collections.unmodifiableMap(permissions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PermissionCatalogue() {
    }
}
