package chat.caravan.it.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A revoked login token stops working everywhere at once, over two ddp-streamers: a REST logout closes the DDP
 * connections logged in with that token (and no other), a deactivation or a new password set by an administrator
 * closes every connection of the user and ends their REST tokens; a closed connection receives nothing more.
 */
class RevokedSessionsIT {

    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

    private static Topology topology;
    private static RestClient admin;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("revoked-sessions").replicas("ddp-streamer", 2).start();
        admin = new RestClient(topology.baseUrl()).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aRestLogoutClosesTheConnectionsUsingThatTokenOnEveryInstanceAndNoOthers() {
        String password = "pw-" + System.nanoTime();
        RestClient first = Users.create(admin, topology.baseUrl(), "logout");
        admin.post("/api/v1/users.update", Map.of("userId", first.userId(), "data", Map.of("password", password)));
        first = new RestClient(topology.baseUrl()).login(first.username(), password);
        RestClient second = new RestClient(topology.baseUrl()).login(first.username(), password);
        String rid = channelWith(first.username());
        DdpTestClient onZero = listening(0, first, rid);
        DdpTestClient onOne = listening(1, first, rid);
        DdpTestClient otherToken = listening(1, second, rid);

        assertThat(first.post("/api/v1/logout", Map.of()).status()).isEqualTo(200);

        assertThat(onZero.awaitClose(CLOSE_WITHIN)).as("instance 0 closed the session of the revoked token").isNotEqualTo(-1);
        assertThat(onOne.awaitClose(CLOSE_WITHIN)).as("instance 1 closed the session of the revoked token").isNotEqualTo(-1);
        post(rid, "after logout");
        otherToken.await(m -> isMessage(m, "after logout"), Duration.ofSeconds(10));
        assertThat(otherToken.isClosed()).isFalse();
        assertThat(onZero.poll(m -> isMessage(m, "after logout"), Duration.ofMillis(500))).isNull();

        try (DdpTestClient again = DdpTestClient.connect(topology.instance("ddp-streamer", 0).websocketUrl())) {
            JsonNode resumed = again.call("login", Map.of("resume", first.authToken()));
            assertThat(resumed.has("error")).as("the revoked token resumes no session: " + resumed).isTrue();
        }
        otherToken.close();
    }

    @Test
    void aDeactivatedUserIsDisconnectedEverywhereAndReadsNothingMore() {
        RestClient user = Users.create(admin, topology.baseUrl(), "deactivated");
        String rid = channelWith(user.username());
        DdpTestClient onZero = listening(0, user, rid);
        DdpTestClient onOne = listening(1, user, rid);

        assertThat(admin.post("/api/v1/users.setActiveStatus", Map.of("userId", user.userId(), "activeStatus", false))
                .status()).isEqualTo(200);

        assertThat(onZero.awaitClose(CLOSE_WITHIN)).isNotEqualTo(-1);
        assertThat(onOne.awaitClose(CLOSE_WITHIN)).isNotEqualTo(-1);
        post(rid, "secret after deactivation");
        assertThat(onZero.poll(m -> isMessage(m, "secret after deactivation"), Duration.ofMillis(500))).isNull();
        assertThat(onOne.poll(m -> isMessage(m, "secret after deactivation"), Duration.ofMillis(200))).isNull();
        assertThat(user.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aPasswordSetByAnAdministratorEndsTheUsersTokensAndConnections() {
        RestClient user = Users.create(admin, topology.baseUrl(), "new-password");
        String rid = channelWith(user.username());
        DdpTestClient onOne = listening(1, user, rid);
        assertThat(user.get("/api/v1/me").status()).isEqualTo(200);

        assertThat(admin.post("/api/v1/users.update", Map.of("userId", user.userId(),
                "data", Map.of("password", "a-brand-new-password"))).status()).isEqualTo(200);

        assertThat(onOne.awaitClose(CLOSE_WITHIN)).isNotEqualTo(-1);
        assertThat(user.get("/api/v1/me").status()).as("the old REST token").isEqualTo(401);
        RestClient relogged = new RestClient(topology.baseUrl()).login(user.username(), "a-brand-new-password");
        assertThat(relogged.get("/api/v1/me").status()).isEqualTo(200);
    }

    private static String channelWith(String username) {
        return admin.post("/api/v1/channels.create", Map.of("name", "revoked-" + System.nanoTime(),
                "members", List.of(username))).json().path("channel").path("_id").asText();
    }

    private static DdpTestClient listening(int instance, RestClient user, String rid) {
        DdpTestClient client = DdpTestClient.connect(topology.instance("ddp-streamer", instance).websocketUrl());
        client.loginWithToken(user.authToken());
        JsonNode ready = client.subscribe("stream-room-messages", rid, Map.of("useCollection", false, "args", List.of()));
        assertThat(ready.path("msg").asText()).isEqualTo("ready");
        return client;
    }

    private static void post(String rid, String text) {
        assertThat(admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", text)).status()).isEqualTo(200);
    }

    private static boolean isMessage(JsonNode frame, String text) {
        return "stream-room-messages".equals(frame.path("collection").asText())
                && text.equals(frame.path("fields").path("args").path(0).path("msg").asText());
    }
}
