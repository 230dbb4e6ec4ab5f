package chat.caravan.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A REST client as a Rocket.Chat client uses the API: JSON bodies, X-User-Id/X-Auth-Token once logged in. */
public final class RestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private String userId;
    private String authToken;
    private String username;
    private JsonNode loginData;

    public RestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Logs in with username and password; fails the caller if the server refuses. */
    public RestClient login(String username, String password) {
        Response response = post("/api/v1/login", Map.of("user", username, "password", password));
        if (response.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + response);
        }
        useToken(response.json().path("data").path("userId").asText(),
                response.json().path("data").path("authToken").asText());
        this.username = username;
        this.loginData = response.json().path("data");
        return this;
    }

    public RestClient useToken(String userId, String authToken) {
        this.userId = userId;
        this.authToken = authToken;
        return this;
    }

    public String userId() {
        return userId;
    }

    public String username() {
        return username;
    }

    /** The {@code data} of the last login reply (userId, authToken, me), as the clients read it. */
    public JsonNode loginData() {
        return loginData;
    }

    public String authToken() {
        return authToken;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public Response post(String path, Object body) {
        try {
            return postRaw(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Response postRaw(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Response send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30));
        if (userId != null) {
            request.header("X-User-Id", userId).header("X-Auth-Token", authToken);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + baseUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A reply: status and body, the body parsed as JSON on demand. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
