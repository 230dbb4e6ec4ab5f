package chat.caravan.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import chat.caravan.common.settings.Settings;
import chat.caravan.common.testing.CaravanTestProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Core, accounts, authorization and presence in one JVM, driven over real HTTP as a REST client would. */
abstract class CoreRestTestBase {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.core", "chat.caravan.accounts",
            "chat.caravan.authorization", "chat.caravan.presence"})
    static class App {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        port = CaravanTestProperties.register(registry);
        registry.add("ADMIN_USERNAME", () -> "admin");
        registry.add("ADMIN_PASS", () -> "admin-pass");
        registry.add("ADMIN_EMAIL", () -> "admin@core.test");
        // the sweep of unconfirmed uploads runs often enough for a test to see it
        registry.add("caravan.files.sweep-every", () -> "300");
        // the suite's administrator is named admin, a name Rocket.Chat reserves for new accounts
    }

    @Autowired
    MongoDatabase settingsDatabase;

    @Autowired
    Settings settings;

    /**
     * The suite logs in from one address far more often than Rocket.Chat's default REST limit (10 per minute) allows;
     * the tests of that limit set their own.
     */
    @Autowired
    org.springframework.core.env.Environment environment;

    /**
     * Points the clients at this test's own server: test classes with other properties (TEST_MODE, say) get a context,
     * and a port, of their own, and the cached context of the others must not be left talking to it.
     */
    @BeforeEach
    void useThisContextsServer() {
        port = environment.getRequiredProperty("caravan.http.port", Integer.class);
    }

    @BeforeEach
    void raiseTheRestRateLimitForTheSuite() {
        setting("API_Enable_Rate_Limiter_Limit_Calls_Default", 100_000);
    }

    /** Changes a setting as an administrator would, seen at once. */
    void setting(String id, Object value) {
        settingsDatabase.getCollection("rocketchat_settings").updateOne(Filters.eq("_id", id), Updates.set("value", value),
                new UpdateOptions().upsert(true));
        settings.invalidate();
    }

    /** A client with credentials (or none). */
    record Client(String userId, String token, String username) {

        Reply get(String path) {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
        }

        Reply delete(String path) {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).DELETE());
        }

        Reply post(String path, Object body) {
            try {
                return postRaw(path, JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Reply postRaw(String path, String body) {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        /** A PUT with a JSON body, as Rocket.Chat's {@code integrations.update} takes. */
        Reply put(String path, Object body) {
            try {
                return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A DELETE with a JSON body, as the mobile app's SDK sends {@code push.token} removals. */
        Reply delete(String path, Object body) {
            try {
                return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                        .method("DELETE", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A POST with extra headers, e.g. an X-Forwarded-For the client wrote itself. */
        Reply post(String path, Object body, String... headers) {
            try {
                return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).headers(headers)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private Reply send(HttpRequest.Builder request) {
            if (userId != null) {
                request.header("X-User-Id", userId).header("X-Auth-Token", token);
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(response.statusCode(), response.body(), response.headers());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    static Client anonymous() {
        return new Client(null, null, null);
    }

    static Client login(String username, String password) {
        Reply reply = anonymous().post("/api/v1/login", Map.of("user", username, "password", password));
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply);
        }
        JsonNode data = reply.json().path("data");
        return new Client(data.path("userId").asText(), data.path("authToken").asText(), username);
    }

    static Client admin() {
        return login("admin", "admin-pass");
    }

    static Client newUser(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = admin().post("/api/v1/users.create", Map.of("username", username, "email", username + "@core.test",
                "password", "pw-" + username, "name", username));
        if (created.status() != 200) {
            throw new AssertionError("users.create failed: " + created);
        }
        return login(username, "pw-" + username);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
