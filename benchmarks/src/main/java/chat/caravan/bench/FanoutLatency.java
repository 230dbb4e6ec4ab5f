package chat.caravan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Scenario 1: one message posted over REST to a room of N subscribers; time from post to delivery at every
 * subscriber. Baseline: the same fan-out through {@link BareRelay}.
 */
public final class FanoutLatency {

    /** Messages sent before measuring, on both sides. */
    private static final int WARM_UP = 3;
    /** Prints each message's figures too (-Dfanout.debug=true). */
    private static final boolean DEBUG = Boolean.getBoolean("fanout.debug");

    private FanoutLatency() {
    }

    /**
     * The fan-out with {@code gapMillis} between measured messages, counted from the previous one reaching every
     * subscriber (the suite runs each of {@code fanout.gaps}, 1000 and 100 ms by default); the throughput scenario
     * measures sustained load.
     */
    public static List<Result> run(BenchContext ctx, int subscribers, int messages, long gapMillis) throws Exception {
        List<Fixtures.BenchUser> users = ctx.fixtures().users("fan" + subscribers + ctx.mode().charAt(0) + "g" + gapMillis, subscribers);
        String rid = ctx.fixtures().room("fanout-" + ctx.mode() + "-" + subscribers + "-" + gapMillis, users);

        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        Map<Integer, CountDownLatch> arrivals = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        Map<Integer, ConcurrentLinkedQueue<Double>> perMessage = new java.util.concurrent.ConcurrentSkipListMap<>();
        Map<Integer, Long> stampedAt = new ConcurrentHashMap<>();
        Map<Integer, Long> postedAt = new ConcurrentHashMap<>();
        for (int seq = 0; seq < messages; seq++) {
            arrivals.put(seq, new CountDownLatch(subscribers));
        }
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (Fixtures.BenchUser user : users) {
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            opening.add(ctx.clients().session(ctx.clientUrl(), user.token(), List.of(rid), event -> {
                int seq = sequenceOf(event.path("fields").path("args").path(0).path("msg").asText());
                Long sent = sentAt.get(seq);
                if (seq >= 0 && sent != null && seen.add(seq)) {
                    double ms = (System.nanoTime() - sent) / 1e6;
                    latencies.add(ms);
                    if (DEBUG) {
                        perMessage.computeIfAbsent(seq, k -> new ConcurrentLinkedQueue<>()).add(ms);
                        stampedAt.putIfAbsent(seq, event.path("fields").path("args").path(0).path("ts").path("$date").asLong());
                    }
                    arrivals.get(seq).countDown();
                }
            }));
        }
        List<DdpSession> sessions = join(opening);
        Fixtures.BenchUser poster = users.get(0);
        for (int warm = 0; warm < WARM_UP; warm++) {
            // not measured: the first deliveries pay for class loading and JIT compilation, on both sides
            ctx.clients().postMessage(ctx.clientUrl(), poster, rid, "warm-up").get(30, TimeUnit.SECONDS);
            Thread.sleep(500);
        }
        for (int seq = 0; seq < messages; seq++) {
            sentAt.put(seq, System.nanoTime());
            postedAt.put(seq, System.currentTimeMillis());
            ctx.clients().postMessage(ctx.clientUrl(), poster, rid, "bench-" + seq).get(30, TimeUnit.SECONDS);
            arrivals.get(seq).await(10, TimeUnit.SECONDS);
            Thread.sleep(gapMillis);
        }
        sessions.forEach(DdpSession::close);
        perMessage.forEach((seq, values) -> {
            Stats one = Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf("fanout message %d: p50 %.1f ms, p99 %.1f ms, n %d, stamped by the server %d ms after posting%n",
                    seq, one.p50(), one.p99(), one.samples(), stampedAt.getOrDefault(seq, 0L) - postedAt.get(seq));
        });
        Stats caravan = Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
        Stats baseline = baseline(ctx, subscribers, messages, gapMillis);
        double expected = (double) subscribers * messages;
        return List.of(Result.of("fanout", ctx.mode(), subscribers + " subscribers, " + gapMillis + " ms apart")
                .put("caravan", caravan).put("delivered_ratio", caravan.samples() / expected)
                .put("baseline", baseline).put("p99_ratio_to_baseline", caravan.p99() / baseline.p99()));
    }

    /** The same fan-out through a bare NATS-to-WebSocket relay, with the same frame size and client parsing. */
    static Stats baseline(BenchContext ctx, int subscribers, int messages, long gapMillis) throws Exception {
        int port = chat.caravan.it.harness.Ports.free();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        Map<Integer, CountDownLatch> arrivals = new ConcurrentHashMap<>();
        for (int seq = 0; seq < messages; seq++) {
            arrivals.put(seq, new CountDownLatch(subscribers));
        }
        try (BareRelay relay = new BareRelay(ctx.clients().vertx(), ctx.natsUrl(), port);
             Connection nats = Nats.connect(ctx.natsUrl())) {
            WebSocketClient client = ctx.clients().vertx().createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
                    .setLocalAddress("127.0.0.9").setIdleTimeout(0));
            List<CompletableFuture<io.vertx.core.http.WebSocket>> pending = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                pending.add(BareRelay.subscriber(client, port, "fanout", text -> {
                    int seq = sequenceOf(text);
                    Long sent = sentAt.get(seq);
                    if (sent != null) {
                        latencies.add((System.nanoTime() - sent) / 1e6);
                        arrivals.get(seq).countDown();
                    }
                }));
            }
            List<io.vertx.core.http.WebSocket> sockets = BareRelay.subscribed(pending);
            for (int warm = 0; warm < WARM_UP; warm++) {
                nats.publish("bench.room.fanout", frame("fanout", -1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Thread.sleep(500);
            }
            for (int seq = 0; seq < messages; seq++) {
                sentAt.put(seq, System.nanoTime());
                nats.publish("bench.room.fanout", frame("fanout", seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                arrivals.get(seq).await(10, TimeUnit.SECONDS);
                Thread.sleep(gapMillis);
            }
            sockets.forEach(io.vertx.core.http.WebSocket::close);
            client.close();
        }
        return Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A DDP stream-room-messages frame of the size Caravan sends, for the baselines. */
    static String frame(String rid, int seq) {
        return "{\"msg\":\"changed\",\"collection\":\"stream-room-messages\",\"id\":\"id\",\"fields\":{\"eventName\":\""
                + rid + "\",\"args\":[{\"_id\":\"bench" + seq + "abcdefgh\",\"rid\":\"" + rid + "\",\"msg\":\"bench-" + seq
                + "\",\"ts\":{\"$date\":" + System.currentTimeMillis() + "},\"u\":{\"_id\":\"benchuser0000001\","
                + "\"username\":\"bench-user-0\",\"name\":\"bench-user-0\"},\"_updatedAt\":{\"$date\":"
                + System.currentTimeMillis() + "},\"urls\":[],\"mentions\":[],\"channels\":[],\"md\":[{\"type\":"
                + "\"PARAGRAPH\",\"value\":[{\"type\":\"PLAIN_TEXT\",\"value\":\"bench-" + seq + "\"}]}]}]}}";
    }

    static int sequenceOf(String text) {
        if (text == null || !text.startsWith("bench-")) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(6));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static <T> List<T> join(List<CompletableFuture<T>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        List<T> values = new ArrayList<>();
        for (CompletableFuture<T> future : futures) {
            values.add(future.get());
        }
        return values;
    }
}
