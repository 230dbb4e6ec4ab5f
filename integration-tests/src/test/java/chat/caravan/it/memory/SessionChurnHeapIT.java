package chat.caravan.it.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.ManagedProcess;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ordinary account cannot exhaust the server's heap: in rounds, one user opens 400 new DDP sessions and drops
 * the 400 of the round before (half closed, half vanished), so some 400 to 800 of their sessions are always live.
 * The all-in-one's live heap (measured after a full GC) comes back to where it was after the second round once the
 * churn's last changes are through, where the embedded store used to keep every change of the user's ever longer
 * connections list on the heap, whole, until it ran out.
 */
class SessionChurnHeapIT {

    private static final int SESSIONS = 400;
    private static final int ROUNDS = 7;
    /** What the live heap may grow by between the second round and the end: the oplog's memory window and noise. */
    private static final long ALLOWED_GROWTH = 64L << 20;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path work;

    @Test
    void liveHeapStaysFlatUnderOneUsersSessionChurn() throws Exception {
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        Map<String, String> env = Map.of("PORT", String.valueOf(port), "CARAVAN_DATA_DIR", work.resolve("data").toString(),
                "ADMIN_USERNAME", "admin", "ADMIN_PASS", "admin-pass-1", "ADMIN_EMAIL", "admin@caravan.test");
        HttpClient http = HttpClient.newHttpClient();
        try (ManagedProcess server = new ManagedProcess("all-in-one-churn", List.of(Topology.jdkTool("java"), "-Xmx768m",
                "-XX:+UseG1GC", "-jar", Topology.jarOf("all-in-one").toString()), env, work.resolve("logs")).start()) {
            server.awaitHttpOk(url + "/health/ready", Duration.ofSeconds(60));
            RestClient admin = new RestClient(url).login("admin", "admin-pass-1");
            String websocket = "ws://127.0.0.1:" + port + "/websocket";
            long afterWarmUp = 0;
            List<Long> perRound = new ArrayList<>();
            List<DdpTestClient> previous = List.of();
            for (int round = 1; round <= ROUNDS; round++) {
                List<DdpTestClient> current = open(websocket, admin.authToken(), http, round);
                drop(previous);
                previous = current;
                long live = liveHeap(server.pid());
                perRound.add(live >> 20);
                if (round == 2) {
                    afterWarmUp = live;
                }
            }
            drop(previous);
            awaitOffline(admin);
            // the last drop's hundreds of presence changes may still be on their way through the change streams when
            // presence shows offline: what is retained is what stays once they are through, so the figure is taken
            // again until it settles under the bound (a leak never does) or a minute passes
            long last = liveHeap(server.pid());
            perRound.add(last >> 20);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (last - afterWarmUp >= ALLOWED_GROWTH && System.nanoTime() < deadline) {
                Thread.sleep(2000);
                last = liveHeap(server.pid());
                perRound.add(last >> 20);
            }
            System.out.println("live heap after each round of " + SESSIONS + " sessions, then with all gone (MiB): " + perRound);
            assertThat(last - afterWarmUp).as("live heap growth from round 2 to the end, once settled (MiB: " + perRound + ")")
                    .isLessThan(ALLOWED_GROWTH);
            assertThat(server.isAlive()).isTrue();
        }
    }

    /** Opens SESSIONS sessions of one user and logs each in. */
    private static List<DdpTestClient> open(String websocket, String token, HttpClient http, int round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DdpTestClient>> opening = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                opening.add(pool.submit(() -> {
                    DdpTestClient client = DdpTestClient.connect(websocket, http);
                    client.loginWithToken(token);
                    return client;
                }));
            }
            List<DdpTestClient> opened = new ArrayList<>();
            for (Future<DdpTestClient> future : opening) {
                try {
                    opened.add(future.get(2, TimeUnit.MINUTES));
                } catch (ExecutionException | TimeoutException e) {
                    throw new AssertionError("round " + round + ": the server stopped answering logins", e);
                }
            }
            return opened;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Drops sessions: half closed, half vanished without a close. */
    private static void drop(List<DdpTestClient> sessions) {
        for (int i = 0; i < sessions.size(); i++) {
            if (i % 2 == 0) {
                sessions.get(i).close();
            } else {
                sessions.get(i).abort();
            }
        }
    }

    /** Waits until presence has seen every session go. */
    private static void awaitOffline(RestClient admin) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            RestClient.Response presence = admin.get("/api/v1/users.getPresence?userId=" + admin.userId());
            if (presence.status() == 200 && "offline".equals(presence.json().path("presence").asText())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the user still shows online 90 s after every session was dropped");
    }

    /** The process's live heap: used heap right after a full GC, as jcmd reports it. */
    private static long liveHeap(long pid) throws IOException, InterruptedException {
        run(Topology.jdkTool("jcmd"), String.valueOf(pid), "GC.run");
        String info = run(Topology.jdkTool("jcmd"), String.valueOf(pid), "GC.heap_info");
        Matcher used = USED.matcher(info);
        if (!used.find()) {
            throw new AssertionError("no heap figure in: " + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

}
