package chat.caravan.it.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Permissions decided by the authorization service, changed at run time, enforced over REST and DDP. */
class AuthorizationIT {

    private static Topology topology;
    private static RestClient admin;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("authorization").start();
        admin = new RestClient(topology.baseUrl()).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void createCFollowsThePermissionWithoutARestart() {
        RestClient guest = Users.create(admin, topology.baseUrl(), "guest");
        setRoles(guest.userId(), List.of("guest"));
        RestClient.Response refused = awaitStatus(guest, "denied-" + System.nanoTime(), 403);
        assertThat(refused.json().path("success").asBoolean()).isFalse();

        grant("create-c", "guest", true);
        awaitStatus(guest, "granted-" + System.nanoTime(), 200);

        grant("create-c", "guest", false);
        awaitStatus(guest, "revoked-" + System.nanoTime(), 403);
    }

    @Test
    void aNonMemberCannotReadAPrivateGroupOverRestOrDdp() {
        RestClient member = Users.create(admin, topology.baseUrl(), "member");
        RestClient outsider = Users.create(admin, topology.baseUrl(), "outsider");
        JsonNode group = member.post("/api/v1/groups.create", Map.of("name", "secret-" + System.nanoTime())).json().path("group");
        String rid = group.path("_id").asText();
        member.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "for members only"));

        assertThat(member.get("/api/v1/groups.history?roomId=" + rid).json().path("messages").toString())
                .contains("for members only");
        RestClient.Response history = outsider.get("/api/v1/groups.history?roomId=" + rid);
        assertThat(history.status()).isEqualTo(400);
        assertThat(history.json().path("errorType").asText()).isEqualTo("error-room-not-found");
        assertThat(history.body()).doesNotContain("for members only");
        assertThat(outsider.get("/api/v1/chat.syncMessages?roomId=" + rid + "&lastUpdate=2000-01-01T00:00:00.000Z").body())
                .doesNotContain("for members only");

        try (DdpTestClient ddp = DdpTestClient.connect(topology.instance("ddp-streamer", 0).websocketUrl())) {
            ddp.loginWithToken(outsider.authToken());
            JsonNode answer = ddp.subscribe("stream-room-messages", rid, Map.of("useCollection", false, "args", List.of()));
            assertThat(answer.path("msg").asText()).isEqualTo("nosub");
            assertThat(answer.path("error").path("error").asText()).isEqualTo("not-allowed");
            JsonNode loaded = ddp.call("loadHistory", rid, null, 20, null);
            assertThat(loaded.toString()).doesNotContain("for members only");
        }
    }

    private static RestClient.Response awaitStatus(RestClient user, String name, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RestClient.Response last = null;
        int attempt = 0;
        while (System.nanoTime() < deadline) {
            last = user.post("/api/v1/channels.create", Map.of("name", name + "-" + attempt++));
            if (last.status() == expected) {
                return last;
            }
            sleep(200);
        }
        throw new AssertionError("channels.create should answer " + expected + " but answered " + last);
    }

    private static void setRoles(String userId, List<String> roles) {
        try (MongoClient mongo = MongoClients.create(topology.mongoUrl())) {
            mongo.getDatabase("rocketchat").getCollection("users").updateOne(Filters.eq("_id", userId), Updates.set("roles", roles));
        }
    }

    /** An admin's permission change through permissions.update, as the admin UI makes it. */
    private static void grant(String permission, String role, boolean add) {
        JsonNode all = admin.get("/api/v1/permissions.listAll").json().path("update");
        java.util.List<String> roles = new java.util.ArrayList<>();
        for (JsonNode entry : all) {
            if (permission.equals(entry.path("_id").asText())) {
                entry.path("roles").forEach(r -> roles.add(r.asText()));
            }
        }
        if (add) {
            roles.add(role);
        } else {
            roles.remove(role);
        }
        RestClient.Response updated = admin.post("/api/v1/permissions.update",
                Map.of("permissions", List.of(Map.of("_id", permission, "roles", roles))));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
