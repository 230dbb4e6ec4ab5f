package chat.caravan.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import chat.caravan.it.harness.ManagedProcess;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every write a client saw acknowledged survives a SIGKILL of the all-in-one on its embedded store: four writers
 * post, edit and delete messages; the process is killed at a random moment and restarted on the same data dir, over
 * several rounds; every acknowledged post is there with its acknowledged text, every acknowledged delete stays gone.
 * A write in flight when the process died may have landed or not, but nothing else.
 */
class CrashDurabilityIT {

    private static final int ROUNDS = 3;
    private static final int WRITERS = 4;
    private static final String PASSWORD = "admin-pass-1";

    @TempDir
    Path work;

    /** What a message must look like after the crash: its text, or gone; plus what an unanswered write would make it. */
    record Expected(String text, String inFlightText, boolean inFlight) {
        static final String GONE = "\u0000gone";
    }

    private final Map<String, Expected> expected = new ConcurrentHashMap<>();

    @Test
    void acknowledgedPostsEditsAndDeletesSurviveKillMinusNine() throws Exception {
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        Map<String, String> env = Map.of("PORT", String.valueOf(port), "CARAVAN_DATA_DIR", work.resolve("data").toString(),
                "ADMIN_USERNAME", "admin", "ADMIN_PASS", PASSWORD, "ADMIN_EMAIL", "admin@caravan.test");
        Random random = new Random();
        String roomId = null;
        int acknowledged = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            try (ManagedProcess server = allInOne("all-in-one-round-" + round, env)) {
                server.awaitHttpOk(url + "/health/ready", Duration.ofSeconds(60));
                RestClient admin = new RestClient(url).login("admin", PASSWORD);
                verify(admin, round);
                if (roomId == null) {
                    RestClient.Response created = admin.post("/api/v1/channels.create", Map.of("name", "durability"));
                    assertThat(created.status()).as(created.body()).isEqualTo(200);
                    roomId = created.json().path("channel").path("_id").asText();
                }
                AtomicInteger acks = new AtomicInteger();
                int killAfter = 40 + random.nextInt(160);
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String prefix = "r" + round + "w" + w + "m";
                    String rid = roomId;
                    long seed = random.nextLong();
                    running.add(writers.submit(() -> write(admin, rid, prefix, new Random(seed), acks)));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (acks.get() < killAfter && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                server.kill();
                for (Future<?> writer : running) {
                    writer.get(60, TimeUnit.SECONDS);
                }
                writers.shutdown();
                acknowledged += acks.get();
                assertThat(acks.get()).as("writes acknowledged before the kill in round " + round).isGreaterThanOrEqualTo(killAfter);
            }
        }
        try (ManagedProcess server = allInOne("all-in-one-final", env)) {
            server.awaitHttpOk(url + "/health/ready", Duration.ofSeconds(60));
            verify(new RestClient(url).login("admin", PASSWORD), ROUNDS + 1);
        }
        assertThat(acknowledged).isGreaterThan(ROUNDS * 40);
    }

    /** Posts, edits and deletes until the server stops answering, recording what each acknowledgement promises. */
    private void write(RestClient client, String rid, String prefix, Random random, AtomicInteger acks) {
        List<String> mine = new ArrayList<>();
        for (int n = 0; ; n++) {
            int action = mine.isEmpty() ? 0 : random.nextInt(10);
            try {
                if (action < 6) {
                    String id = prefix + n;
                    String text = "post " + id;
                    expected.put(id, new Expected(Expected.GONE, text, true));
                    RestClient.Response sent = client.post("/api/v1/chat.sendMessage",
                            Map.of("message", Map.of("_id", id, "rid", rid, "msg", text)));
                    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
                    expected.put(id, new Expected(text, null, false));
                    mine.add(id);
                } else {
                    String id = mine.get(random.nextInt(mine.size()));
                    Expected before = expected.get(id);
                    if (action < 9) {
                        String text = "edit " + n + " of " + id;
                        expected.put(id, new Expected(before.text(), text, true));
                        RestClient.Response edited = client.post("/api/v1/chat.update",
                                Map.of("roomId", rid, "msgId", id, "text", text));
                        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
                        expected.put(id, new Expected(text, null, false));
                    } else {
                        expected.put(id, new Expected(before.text(), Expected.GONE, true));
                        RestClient.Response deleted = client.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", id));
                        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
                        expected.put(id, new Expected(Expected.GONE, null, false));
                        mine.remove(id);
                    }
                }
                acks.incrementAndGet();
            } catch (IllegalStateException connectionLost) {
                return;
            }
        }
    }

    /** Every message is as its last acknowledged write left it, or as the write in flight at the kill would. */
    private void verify(RestClient client, int round) {
        int checked = 0;
        for (Map.Entry<String, Expected> entry : expected.entrySet()) {
            String id = entry.getKey();
            Expected want = entry.getValue();
            RestClient.Response found = client.get("/api/v1/chat.getMessage?msgId=" + id);
            String actual = found.status() == 200 ? found.json().path("message").path("msg").asText() : Expected.GONE;
            if (found.status() != 200) {
                assertThat(found.status()).as("a missing message answers 400: " + found.body()).isEqualTo(400);
            }
            if (want.inFlight()) {
                assertThat(actual).as("message " + id + " after the crash before round " + round
                        + " (a write was in flight)").isIn(want.text(), want.inFlightText());
                // whichever way it went is now what the store holds
                expected.put(id, new Expected(actual, null, false));
            } else {
                assertThat(actual).as("acknowledged state of message " + id + " after the crash before round " + round)
                        .isEqualTo(want.text());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(expected.size());
    }

    private ManagedProcess allInOne(String name, Map<String, String> env) {
        return new ManagedProcess(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", Topology.jarOf("all-in-one").toString()), env,
                work.resolve("logs")).start();
    }
}
