package chat.caravan.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.model.Collections;
import chat.caravan.common.testing.CaravanTestProperties;
import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.ddpstreamer.DdpTimers;
import chat.caravan.ddpstreamer.session.DdpServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The all-in-one under connection churn: while hundreds of logged-in sockets drop at once, another user's
 * {@code /api/info} and {@code /api/v1/login} still answer promptly, and every dropped connection leaves presence;
 * and the heartbeat that finds sockets gone without a close.
 */
@SpringBootTest(classes = AllInOneApplication.class)
class ConnectionChurnTest {

    static final int USERS = 50;
    static final int SOCKETS_PER_USER = 10;
    /** Generous: on a loaded 2-core machine a REST call normally takes milliseconds. */
    static final Duration REST_BOUND = Duration.ofSeconds(3);
    static final ObjectMapper JSON = new ObjectMapper();

    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        port = CaravanTestProperties.register(registry);
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    @Autowired
    DdpServer ddpServer;

    @Autowired
    DdpTimers timers;

    @Test
    void restStaysResponsiveWhileHundredsOfSocketsDrop() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> userIds = new ArrayList<>();
        List<DdpTestClient> sockets = new ArrayList<>();
        ExecutorService openers = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<DdpTestClient>>> opened = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String username = "churn" + u + "x" + System.nanoTime();
                userIds.add(bus.call("accounts.createUser", Map.of("username", username, "email", username + "@t.io",
                        "password", "pw", "name", username)).path("user").path("_id").asText());
                String token = bus.call("accounts.login", Map.of("username", username, "password", "pw")).path("token").asText();
                opened.add(openers.submit(() -> {
                    List<DdpTestClient> mine = new ArrayList<>();
                    for (int s = 0; s < SOCKETS_PER_USER; s++) {
                        DdpTestClient client = DdpTestClient.connect(url(), http);
                        client.loginWithToken(token);
                        mine.add(client);
                    }
                    return mine;
                }));
            }
            for (Future<List<DdpTestClient>> batch : opened) {
                sockets.addAll(batch.get());
            }
        } finally {
            openers.shutdown();
        }
        awaitOnline(userIds);
        // every socket logged in; on a machine busy enough, the server may already have dropped one or two as Meteor
        // does (no pong within its heartbeat timeout, or a client that stopped reading; both logged): what this test
        // is about is what follows, REST during the churn and every dropped connection leaving presence
        int open = ddpServer.sessions().size();
        System.out.printf("%d of %d sockets open before the churn%n", open, USERS * SOCKETS_PER_USER);
        assertThat(open).isGreaterThanOrEqualTo(USERS * SOCKETS_PER_USER * 95 / 100).isLessThanOrEqualTo(USERS * SOCKETS_PER_USER);

        String other = "bystander" + System.nanoTime();
        bus.call("accounts.createUser", Map.of("username", other, "email", other + "@t.io", "password", "pw", "name", other));

        for (int warmUp = 0; warmUp < 5; warmUp++) {
            restRound(http, other);
        }

        sockets.forEach(DdpTestClient::abort);
        long worstInfo = 0;
        long worstLogin = 0;
        int rounds = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            long[] took = restRound(http, other);
            worstInfo = Math.max(worstInfo, took[0]);
            worstLogin = Math.max(worstLogin, took[1]);
            rounds++;
            if (ddpServer.sessions().isEmpty() && allOffline(userIds)) {
                break;
            }
        }
        System.out.printf("churn of %d sockets: %d REST rounds, worst /api/info %d ms, worst /api/v1/login %d ms%n",
                sockets.size(), rounds, worstInfo / 1_000_000, worstLogin / 1_000_000);
        assertThat(ddpServer.sessions()).as("every dropped socket is closed").isEmpty();
        assertThat(allOffline(userIds)).as("every dropped connection has left presence").isTrue();
        assertThat(Duration.ofNanos(worstInfo)).as("worst /api/info during the churn").isLessThan(REST_BOUND);
        assertThat(Duration.ofNanos(worstLogin)).as("worst /api/v1/login during the churn").isLessThan(REST_BOUND);
    }

    /** One {@code /api/info} and one password {@code /api/v1/login}: their durations in nanoseconds. */
    private long[] restRound(HttpClient http, String username) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/info"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long infoNanos = System.nanoTime() - start;
        start = System.nanoTime();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("user", username, "password", "pw"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        long loginNanos = System.nanoTime() - start;
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return new long[] {infoNanos, loginNanos};
    }

    @Test
    void heartbeatDefaultsMirrorMeteors() {
        // Meteor's server: heartbeatInterval 15 s, heartbeatTimeout 15 s; a silent socket leaves presence within ~31 s
        assertThat(timers.pingAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(timers.timeout()).isEqualTo(Duration.ofSeconds(15));
    }

    private String url() {
        return "ws://127.0.0.1:" + port + "/websocket";
    }

    private void awaitOnline(List<String> userIds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (database.getCollection(Collections.USERS).countDocuments(Filters.and(Filters.in("_id", userIds),
                    Filters.eq("status", "online"))) == userIds.size()) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("not every user came online");
    }

    private boolean allOffline(List<String> userIds) {
        return database.getCollection(Collections.USERS).countDocuments(Filters.and(Filters.in("_id", userIds),
                Filters.ne("status", "offline"))) == 0;
    }
}
