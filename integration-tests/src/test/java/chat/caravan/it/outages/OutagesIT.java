package chat.caravan.it.outages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each part of the microservices topology killed in turn while people are connected: during the outage clients get
 * fast, Rocket.Chat-shaped errors (never a hang), and after a restart everything recovers by itself: presence right
 * for every live session, no message lost or doubled, subscriptions working. Times printed are for reading, not judged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutagesIT {

    /** Longer than presence's instance timeout below: the outage outlasts it, as the outages that broke presence did. */
    private static final Duration LONG_OUTAGE = Duration.ofSeconds(9);

    private static Topology topology;
    private static RestClient admin;
    private static RestClient ann;
    private static RestClient cid;
    private static String room;
    private static DdpTestClient annSocket;
    private static DdpTestClient cidSocket;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("outages").replicas("ddp-streamer", 2)
                .env("presence", "CARAVAN_PRESENCE_INSTANCE_TIMEOUT", "6s")
                .env("presence", "CARAVAN_PRESENCE_SWEEP_EVERY", "1000")
                .env("ddp-streamer", "CARAVAN_DDP_INSTANCE_HEARTBEAT", "1000")
                .start();
        admin = new RestClient(topology.baseUrl()).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        ann = Users.create(admin, topology.baseUrl(), "ann");
        cid = Users.create(admin, topology.baseUrl(), "cid");
        room = admin.post("/api/v1/channels.create", Map.of("name", "outages-" + System.nanoTime(),
                "members", List.of(ann.username(), cid.username()))).json().path("channel").path("_id").asText();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    @Order(1)
    void presenceKilledForLongerThanItsTimeoutComesBackRightForEveryLiveSession() {
        RestClient ben = Users.create(admin, topology.baseUrl(), "ben");
        annSocket = login(0, ann);
        DdpTestClient benSocket = login(1, ben);
        awaitStatus(ann, "online");
        awaitStatus(ben, "online");

        topology.instance("presence", 0).kill();
        // while presence is away: cid logs in, ben leaves; neither reaches presence now
        cidSocket = login(1, cid);
        benSocket.close();
        pause(LONG_OUTAGE);
        topology.instance("presence", 0).restart();

        awaitStatus(ann, "online");
        awaitStatus(cid, "online");
        awaitStatus(ben, "offline");
    }

    @Test
    @Order(2)
    void withNatsDownCallsFailAtOnceAndEverythingRecoversWhenItIsBack() {
        String unread = admin.post("/api/v1/groups.create", Map.of("name", "nats-" + System.nanoTime(),
                "members", List.of(ann.username()))).json().path("group").path("_id").asText();
        topology.killNats();

        long started = System.nanoTime();
        RestClient.Response rest = ann.get("/api/v1/me");
        System.out.printf("REST with the bus down answered %d in %d ms%n", rest.status(), millisSince(started));
        assertThat(rest.status()).isEqualTo(503);
        assertThat(rest.json().path("errorType").asText()).isEqualTo("error-service-unavailable");
        RestClient.Download ready = new RestClient(topology.coreUrl()).download("/health/ready", false);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(new String(ready.bytes())).contains("\"bus\":false");

        started = System.nanoTime();
        JsonNode sub = annSocket.subscribe("stream-room-messages", unread, Map.of("useCollection", false, "args", List.of()));
        System.out.printf("a DDP subscription with the bus down answered %s in %d ms%n", sub.path("msg").asText(), millisSince(started));
        assertThat(sub.path("msg").asText()).isEqualTo("nosub");
        assertThat(sub.path("error").path("error").asText()).isEqualTo("error-service-unavailable");
        JsonNode method = annSocket.call("getRoomRoles", room);
        assertThat(method.path("error").path("error").asText()).isEqualTo("error-service-unavailable");

        pause(LONG_OUTAGE);
        topology.restartNats();

        awaitStatus(ann, "online");
        awaitStatus(cid, "online");
        awaitCondition("a subscription works again", () -> "ready".equals(annSocket.subscribe("stream-room-messages", unread,
                Map.of("useCollection", false, "args", List.of())).path("msg").asText()));
        // presence may still read "online" from before the outage and core may reconnect after the ddp-streamer: the
        // post is retried the way a client honouring 503 + Retry-After would, and each refused attempt wrote nothing
        awaitOk("core takes writes again", () -> admin.post("/api/v1/chat.postMessage",
                Map.of("roomId", unread, "text", "after the bus came back")));
        annSocket.await(m -> "after the bus came back".equals(m.path("fields").path("args").path(0).path("msg").asText()),
                Duration.ofSeconds(20));
    }

    @Test
    @Order(3)
    void withAuthorizationDownSubscriptionsAndWritesAnswerAtOnce() {
        String other = admin.post("/api/v1/groups.create", Map.of("name", "authz-" + System.nanoTime(),
                "members", List.of(ann.username()))).json().path("group").path("_id").asText();
        topology.instance("authorization", 0).kill();
        JsonNode sub = annSocket.subscribe("stream-room-messages", other, Map.of("useCollection", false, "args", List.of()));
        assertThat(sub.path("msg").asText()).isEqualTo("nosub");
        assertThat(sub.path("error").path("error").asText()).isEqualTo("error-service-unavailable");
        RestClient.Response create = ann.post("/api/v1/channels.create", Map.of("name", "nope-" + System.nanoTime()));
        assertThat(create.status()).isEqualTo(503);
        topology.instance("authorization", 0).restart();
        awaitCondition("the subscription is allowed again", () -> "ready".equals(annSocket.subscribe("stream-room-messages",
                other, Map.of("useCollection", false, "args", List.of())).path("msg").asText()));
        awaitOk("channels are created again", () -> ann.post("/api/v1/channels.create",
                Map.of("name", "yes-" + System.nanoTime())));
    }

    @Test
    @Order(4)
    void withAccountsDownLoginsAnswer503AndWorkAfterwards() {
        topology.instance("accounts", 0).kill();
        RestClient.Response login = new RestClient(topology.baseUrl()).post("/api/v1/login",
                Map.of("user", cid.username(), "password", cid.username() + "-pw"));
        assertThat(login.status()).isEqualTo(503);
        try (DdpTestClient fresh = DdpTestClient.connect(topology.instance("ddp-streamer", 0).websocketUrl())) {
            JsonNode result = fresh.call("login", Map.of("resume", cid.authToken()));
            assertThat(result.path("error").path("error").asText()).isEqualTo("error-service-unavailable");
        }
        topology.instance("accounts", 0).restart();
        awaitOk("logins work again", () -> new RestClient(topology.baseUrl()).post("/api/v1/login",
                Map.of("user", cid.username(), "password", cid.username() + "-pw")));
    }

    @Test
    @Order(5)
    void withStreamHubDownNoMessageIsLostOrDoubled() {
        JsonNode ready = cidSocket.subscribe("stream-room-messages", room, Map.of("useCollection", false, "args", List.of()));
        assertThat(ready.path("msg").asText()).isEqualTo("ready");
        topology.instance("stream-hub", 0).kill();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            texts.add("while stream-hub was down " + i);
            assertThat(ann.post("/api/v1/chat.postMessage", Map.of("roomId", room, "text", texts.get(i))).status()).isEqualTo(200);
        }
        topology.instance("stream-hub", 0).restart();
        for (String text : texts) {
            cidSocket.await(m -> text.equals(m.path("fields").path("args").path(0).path("msg").asText()), Duration.ofSeconds(60));
        }
        // once each: a marker sent after them arrives with no repeat of any of them before it
        ann.post("/api/v1/chat.postMessage", Map.of("roomId", room, "text", "marker"));
        List<String> seen = new ArrayList<>();
        cidSocket.await(m -> {
            String text = m.path("fields").path("args").path(0).path("msg").asText();
            seen.add(text);
            return "marker".equals(text);
        }, Duration.ofSeconds(30));
        assertThat(seen).doesNotContainAnyElementsOf(texts);
    }

    @Test
    @Order(6)
    void withCoreDownMethodsAnswerAtOnceAndWorkAfterwards() {
        topology.instance("core", 0).kill();
        JsonNode method = annSocket.call("getRoomRoles", room);
        assertThat(method.path("error").path("error").asText()).isEqualTo("error-service-unavailable");
        topology.instance("core", 0).restart();
        awaitCondition("methods work again", () -> !annSocket.call("getRoomRoles", room).has("error"));
        awaitStatus(ann, "online");
        awaitStatus(cid, "online");
    }

    @Test
    @Order(7)
    void aKilledDdpStreamersUsersGoOfflineAndComeBackOnReconnect() {
        topology.instance("ddp-streamer", 1).kill();
        cidSocket.abort();
        awaitStatus(cid, "offline");
        assertThat(status(ann)).isEqualTo("online");
        topology.instance("ddp-streamer", 1).restart();
        cidSocket = login(1, cid);
        awaitStatus(cid, "online");
        annSocket.close();
        cidSocket.close();
        awaitStatus(ann, "offline");
        awaitStatus(cid, "offline");
    }

    private static DdpTestClient login(int instance, RestClient user) {
        DdpTestClient client = DdpTestClient.connect(topology.instance("ddp-streamer", instance).websocketUrl());
        client.loginWithToken(user.authToken());
        return client;
    }

    private static String status(RestClient user) {
        RestClient.Response reply = admin.get("/api/v1/users.getStatus?userId=" + user.userId());
        return reply.status() == 200 ? reply.json().path("status").asText() : "(" + reply.status() + ")";
    }

    private static void awaitStatus(RestClient user, String expected) {
        awaitCondition(user.username() + " " + expected, () -> expected.equals(status(user)));
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        try {
            Eventually.holds(what, Duration.ofSeconds(90), condition);
        } catch (AssertionError e) {
            throw withServerWarnings(e);
        }
    }

    /** Waits until a request answers 200; a timeout names the last answer and what the servers logged. */
    private static void awaitOk(String what, java.util.function.Supplier<RestClient.Response> request) {
        awaitCondition(what, () -> {
            RestClient.Response response = request.get();
            if (response.status() != 200) {
                throw new AssertionError("answered " + response.status() + " " + response.body());
            }
            return true;
        });
    }

    private static AssertionError withServerWarnings(AssertionError e) {
        AssertionError detailed = new AssertionError(e.getMessage() + "\nthread dumps in " + topology.dumpThreads() + "\n"
                + topology.recentWarnings(8));
        detailed.initCause(e.getCause());
        return detailed;
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
