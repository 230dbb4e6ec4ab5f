package chat.caravan.accounts.users;

import chat.caravan.common.model.UserFields;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The first administrator, from ADMIN_USERNAME / ADMIN_PASS / ADMIN_EMAIL (and ADMIN_NAME), created on start when
 * no user by that name exists, as Rocket.Chat does. Safe with several accounts replicas: the username is unique.
 */
@Component
public class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserDirectory users;
    private final UserAccounts accounts;
    private final String username;
    private final String password;
    private final String email;
    private final String name;

    public AdminBootstrap(UserDirectory users, UserAccounts accounts,
            @Value("${ADMIN_USERNAME:}") String username, @Value("${ADMIN_PASS:}") String password,
            @Value("${ADMIN_EMAIL:}") String email, @Value("${ADMIN_NAME:Administrator}") String name) {
        this.users = users;
        this.accounts = accounts;
        this.username = username.isBlank() && !password.isBlank() ? "admin" : username;
        this.password = password;
        this.email = email;
        this.name = name;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void createFirstAdmin() {
        if (password.isBlank() || email.isBlank()) {
            return;
        }
        if (users.collection().find(Filters.eq(UserFields.USERNAME, username)).first() != null) {
            return;
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode()
                .put("username", username).put("password", password).put("email", email).put("name", name)
                .put("verified", true);
        request.putArray("roles").add("admin").add("user");
        try {
            accounts.createUser(request);
            LOG.info("First administrator {} created from ADMIN_USERNAME", username);
        } catch (RuntimeException e) {
            if (users.collection().find(Filters.eq(UserFields.USERNAME, username)).first() == null) {
                LOG.error("Could not create the administrator {}: {}", username, e.getMessage());
            }
        }
    }
}
