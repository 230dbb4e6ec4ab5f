package chat.caravan.it.harness;

import java.util.Map;
import java.util.UUID;

/** Test users created through the REST API by the administrator. */
public final class Users {

    private Users() {
    }

    /** Creates a user with a unique name and returns a client logged in as them. */
    public static RestClient create(RestClient admin, String baseUrl, String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = username + "-pw";
        RestClient.Response created = admin.post("/api/v1/users.create", Map.of("username", username,
                "email", username + "@caravan.test", "password", password, "name", username));
        if (created.status() != 200) {
            throw new AssertionError("users.create failed: " + created);
        }
        return new RestClient(baseUrl).login(username, password);
    }
}
