package chat.caravan.it.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.Eventually;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence over separate processes with two ddp-streamers: statuses follow connections, a killed instance's users go
 * offline within the configured time, status changes reach other clients, messages reach clients on both instances.
 */
class PresenceAcrossInstancesIT {

    private static Topology topology;
    private static RestClient admin;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("presence").replicas("ddp-streamer", 2)
                .env("presence", "CARAVAN_PRESENCE_INSTANCE_TIMEOUT", "6s")
                .env("presence", "CARAVAN_PRESENCE_SWEEP_EVERY", "1000")
                .env("ddp-streamer", "CARAVAN_DDP_INSTANCE_HEARTBEAT", "1000")
                .start();
        admin = new RestClient(topology.baseUrl()).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aUserOnTwoSocketsStaysOnlineUntilBothClose() {
        RestClient alice = Users.create(admin, topology.baseUrl(), "two-sockets");
        DdpTestClient first = login(0, alice);
        DdpTestClient second = login(1, alice);
        awaitStatus(alice, "online");
        first.close();
        sleep(1500);
        assertThat(status(alice)).isEqualTo("online");
        second.close();
        awaitStatus(alice, "offline");
    }

    @Test
    void idleConnectionsMakeAUserAwayAndBusyStaysBusyAcrossReconnects() {
        RestClient bob = Users.create(admin, topology.baseUrl(), "away-busy");
        try (DdpTestClient socket = login(0, bob)) {
            awaitStatus(bob, "online");
            assertThat(socket.call("UserPresence:away").has("error")).isFalse();
            awaitStatus(bob, "away");
            assertThat(socket.call("UserPresence:online").has("error")).isFalse();
            awaitStatus(bob, "online");
            assertThat(socket.call("UserPresence:setDefaultStatus", "busy").has("error")).isFalse();
            awaitStatus(bob, "busy");
        }
        awaitStatus(bob, "offline");
        try (DdpTestClient again = login(1, bob)) {
            awaitStatus(bob, "busy");
        }
    }

    @Test
    void statusChangesReachAnotherClientsStream() {
        RestClient carol = Users.create(admin, topology.baseUrl(), "watcher");
        RestClient dave = Users.create(admin, topology.baseUrl(), "changer");
        try (DdpTestClient watcher = login(0, carol); DdpTestClient changer = login(1, dave)) {
            JsonNode ready = watcher.subscribe("stream-notify-logged", "user-status", Map.of("useCollection", false, "args", List.of()));
            assertThat(ready.path("msg").asText()).isEqualTo("ready");
            changer.call("UserPresence:setDefaultStatus", "away");
            JsonNode event = watcher.await(m -> "user-status".equals(m.path("fields").path("eventName").asText())
                    && dave.userId().equals(m.path("fields").path("args").path(0).path(0).asText())
                    && m.path("fields").path("args").path(0).path(2).asInt() == 2, Duration.ofSeconds(10));
            assertThat(event.path("fields").path("args").path(0).path(1).asText()).isEqualTo(dave.username());
        }
    }

    @Test
    void aMessageReachesClientsOnBothDdpStreamers() {
        RestClient erin = Users.create(admin, topology.baseUrl(), "on-first");
        RestClient frank = Users.create(admin, topology.baseUrl(), "on-second");
        JsonNode channel = admin.post("/api/v1/channels.create", Map.of("name", "both-" + System.nanoTime(),
                "members", List.of(erin.username(), frank.username()))).json().path("channel");
        String rid = channel.path("_id").asText();
        try (DdpTestClient one = login(0, erin); DdpTestClient two = login(1, frank)) {
            assertThat(one.subscribe("stream-room-messages", rid, Map.of("useCollection", false, "args", List.of()))
                    .path("msg").asText()).isEqualTo("ready");
            assertThat(two.subscribe("stream-room-messages", rid, Map.of("useCollection", false, "args", List.of()))
                    .path("msg").asText()).isEqualTo("ready");
            admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "to both instances"));
            for (DdpTestClient client : List.of(one, two)) {
                client.await(m -> "stream-room-messages".equals(m.path("collection").asText())
                        && "to both instances".equals(m.path("fields").path("args").path(0).path("msg").asText()), Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void usersOfAKilledDdpStreamerGoOfflineWhileOthersStayOnline() {
        RestClient gina = Users.create(admin, topology.baseUrl(), "survivor");
        RestClient hank = Users.create(admin, topology.baseUrl(), "victim");
        DdpTestClient survivor = login(0, gina);
        DdpTestClient victim = login(1, hank);
        awaitStatus(gina, "online");
        awaitStatus(hank, "online");
        topology.instance("ddp-streamer", 1).kill();
        long killedAt = System.nanoTime();
        awaitStatus(hank, "offline");
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(20));
        assertThat(status(gina)).isEqualTo("online");
        survivor.close();
        victim.abort();
        topology.instance("ddp-streamer", 1).restart();
    }

    private static DdpTestClient login(int instance, RestClient user) {
        DdpTestClient client = DdpTestClient.connect(topology.instance("ddp-streamer", instance).websocketUrl());
        client.loginWithToken(user.authToken());
        return client;
    }

    private static String status(RestClient user) {
        return admin.get("/api/v1/users.getStatus?userId=" + user.userId()).json().path("status").asText();
    }

    /** Waits until {@code user}'s status reads {@code expected}; a timeout names the status it last read. */
    private static void awaitStatus(RestClient user, String expected) {
        Eventually.holds(user.username() + " to be " + expected, Duration.ofSeconds(60), () -> {
            String now = status(user);
            if (!expected.equals(now)) {
                throw new AssertionError(user.username() + " is " + now);
            }
            return true;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
