package chat.caravan.it.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login, resume and logout across processes (REST at core -> accounts over NATS), and Rocket.Chat-shaped users. */
class AccountsIT {

    /** bcrypt(sha256("rocket-pass")), cost 10, as a Rocket.Chat server stored it. */
    private static final String ROCKET_CHAT_HASH = "$2b$10$liz4Cgrye//nrowQLLRKHuaR3mtUIXLVN5chWUOOeMFSJImnwmq4i";

    private static Topology topology;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("accounts").start();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void loginResumeLogoutAndTheTokenIsRejectedAfterwards() {
        RestClient admin = new RestClient(topology.baseUrl()).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        assertThat(admin.get("/api/v1/me").status()).isEqualTo(200);

        RestClient.Response resumed = new RestClient(topology.baseUrl()).post("/api/v1/login", Map.of("resume", admin.authToken()));
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().path("data").path("authToken").asText()).isEqualTo(admin.authToken());

        assertThat(admin.post("/api/v1/logout", Map.of()).status()).isEqualTo(200);
        RestClient.Response afterLogout = admin.get("/api/v1/me");
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.json().path("message").asText()).isEqualTo("You must be logged in to do this.");

        RestClient.Response wrong = new RestClient(topology.baseUrl()).post("/api/v1/login",
                Map.of("user", Topology.ADMIN_USERNAME, "password", "not-the-password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asText()).isEqualTo("Unauthorized");
        assertThat(wrong.body()).doesNotContain("bcrypt").doesNotContain("hashedToken");
    }

    @Test
    void aUserDocumentCopiedFromRocketChatLogsInOverRestAndDdp() throws Exception {
        String id = "rcUser" + System.nanoTime() % 100000;
        String username = "copied-" + id.toLowerCase();
        try (MongoClient mongo = MongoClients.create(topology.mongoUrl())) {
            mongo.getDatabase("rocketchat").getCollection("users").insertOne(new Document("_id", id)
                    .append("createdAt", new Date()).append("username", username).append("name", "Copied User")
                    .append("emails", List.of(new Document("address", username + "@example.org").append("verified", true)))
                    .append("type", "user").append("active", true).append("roles", List.of("user"))
                    .append("status", "offline").append("utcOffset", 0)
                    .append("services", new Document("password", new Document("bcrypt", ROCKET_CHAT_HASH))
                            .append("resume", new Document("loginTokens", List.of())))
                    .append("_updatedAt", new Date()));
        }
        RestClient user = new RestClient(topology.baseUrl()).login(username, "rocket-pass");
        assertThat(user.userId()).isEqualTo(id);
        JsonNode me = user.get("/api/v1/me").json();
        assertThat(me.path("username").asText()).isEqualTo(username);
        assertThat(me.path("services").path("password").path("exists").asBoolean()).isTrue();
        assertThat(me.toString()).doesNotContain(ROCKET_CHAT_HASH);

        try (DdpTestClient ddp = DdpTestClient.connect(topology.instance("ddp-streamer", 0).websocketUrl())) {
            JsonNode result = ddp.call("login", Map.of("user", Map.of("username", username),
                    "password", Map.of("digest", sha256Hex("rocket-pass"), "algorithm", "sha-256")));
            assertThat(result.has("error")).as(result.toString()).isFalse();
            assertThat(result.path("result").path("id").asText()).isEqualTo(id);
            assertThat(result.path("result").path("token").asText()).hasSize(43);
            assertThat(result.path("result").path("tokenExpires").has("$date")).isTrue();
        }
        try (MongoClient mongo = MongoClients.create(topology.mongoUrl())) {
            Document stored = mongo.getDatabase("rocketchat").getCollection("users").find(new Document("_id", id)).first();
            List<Document> tokens = stored.getEmbedded(List.of("services", "resume", "loginTokens"), List.class);
            assertThat(tokens).hasSizeGreaterThanOrEqualTo(2);
            assertThat(tokens).allSatisfy(token -> assertThat(token.getString("hashedToken")).hasSize(44));
            String hashed = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(user.authToken().getBytes(StandardCharsets.UTF_8)));
            assertThat(tokens).anySatisfy(token -> assertThat(token.getString("hashedToken")).isEqualTo(hashed));
        }
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
