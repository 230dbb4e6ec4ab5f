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

    /**
     * Sends a file as a Rocket.Chat client does ({@code multipart/form-data}: the file in {@code field}, then the
     * other form fields), e.g. to {@code rooms.upload/:rid} or {@code users.setAvatar}.
     */
    public Response upload(String path, String field, String fileName, String contentType, byte[] content,
            Map<String, String> fields) {
        String boundary = "----caravan-it-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /**
     * GETs {@code path} as bytes with extra request headers (name, value, ...), e.g. a file with Range or
     * If-None-Match; signed in with this client's headers when {@code signedIn}, anonymous otherwise.
     */
    public Download download(String path, boolean signedIn, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().timeout(Duration.ofSeconds(30));
        if (signedIn && userId != null) {
            request.header("X-User-Id", userId).header("X-Auth-Token", authToken);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Download(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + baseUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A downloaded answer: status, bytes and headers. */
    public record Download(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
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
