package chat.caravan.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;

/**
 * Scenario 2: messages/s delivered end to end at a steady load of R rooms x M members, stepping the posting rate up
 * to the knee (deliveries fall behind or p99 passes a second). Baseline: raw NATS publish/subscribe of the same
 * payloads with the same fan-out.
 */
public final class Throughput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STEP_SECONDS = 5;

    private Throughput() {
    }

    public static List<Result> run(BenchContext ctx, int rooms, int members, int[] rates) throws Exception {
        List<List<Fixtures.BenchUser>> roomMembers = new ArrayList<>();
        List<String> rids = new ArrayList<>();
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong delivered = new AtomicLong();
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            List<Fixtures.BenchUser> users = ctx.fixtures().users("tp" + ctx.mode().charAt(0) + r, members);
            String rid = ctx.fixtures().room("tp-" + ctx.mode() + "-" + r, users);
            roomMembers.add(users);
            rids.add(rid);
            for (Fixtures.BenchUser user : users) {
                opening.add(ctx.clients().session(ctx.clientUrl(), user.token(), List.of(rid),
                        event -> record(event.path("fields").path("args").path(0).path("msg").asText(), sentAt,
                                latencies, delivered)));
            }
        }
        List<DdpSession> sessions = FanoutLatency.join(opening);
        List<Result> results = new ArrayList<>();
        AtomicLong sequence = new AtomicLong();
        for (int rate : rates) {
            latencies.clear();
            delivered.set(0);
            long posted = pace(rate, seq -> {
                int room = (int) (seq % rooms);
                sentAt.put((int) seq, System.nanoTime());
                ctx.clients().postMessage(ctx.clientUrl(), roomMembers.get(room).get(0), rids.get(room), "bench-" + seq);
            }, sequence);
            Thread.sleep(2000);
            Stats stats = Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
            double expected = posted * (double) members;
            Result result = Result.of("throughput", ctx.mode(), rate + " msg/s x" + members)
                    .put("delivered_per_s", delivered.get() / (double) STEP_SECONDS)
                    .put("delivered_ratio", delivered.get() / expected).put("latency", stats);
            results.add(result);
            System.out.println(result);
            if (delivered.get() < 0.95 * expected || stats.p99() > 1000) {
                break;
            }
        }
        sessions.forEach(DdpSession::close);
        results.addAll(baseline(ctx, rooms, members, rates));
        return results;
    }

    /** Raw NATS with the same payloads and fan-out: M subscriber connections, each on every room's subject. */
    static List<Result> baseline(BenchContext ctx, int rooms, int members, int[] rates) throws Exception {
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong delivered = new AtomicLong();
        List<Connection> subscribers = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try (Connection publisher = Nats.connect(ctx.natsUrl())) {
            for (int m = 0; m < members; m++) {
                Connection connection = Nats.connect(ctx.natsUrl());
                subscribers.add(connection);
                Dispatcher dispatcher = connection.createDispatcher(message -> {
                    try {
                        JsonNode frame = JSON.readTree(message.getData());
                        record(frame.path("fields").path("args").path(0).path("msg").asText(), sentAt, latencies, delivered);
                    } catch (Exception ignored) {
                        // not ours
                    }
                });
                dispatcher.subscribe("bench.tp.*");
                connection.flush(java.time.Duration.ofSeconds(5));
            }
            AtomicLong sequence = new AtomicLong();
            for (int rate : rates) {
                latencies.clear();
                delivered.set(0);
                long posted = pace(rate, seq -> {
                    sentAt.put((int) seq, System.nanoTime());
                    String rid = "tp" + (seq % rooms);
                    publisher.publish("bench.tp." + rid, FanoutLatency.frame(rid, (int) seq).getBytes(StandardCharsets.UTF_8));
                }, sequence);
                Thread.sleep(2000);
                Stats stats = Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
                Result result = Result.of("throughput", "raw-nats", rate + " msg/s x" + members)
                        .put("delivered_per_s", delivered.get() / (double) STEP_SECONDS)
                        .put("delivered_ratio", delivered.get() / (posted * (double) members)).put("latency", stats);
                results.add(result);
                System.out.println(result);
            }
        } finally {
            for (Connection connection : subscribers) {
                connection.close();
            }
        }
        return results;
    }

    private static void record(String text, Map<Integer, Long> sentAt, ConcurrentLinkedQueue<Double> latencies,
            AtomicLong delivered) {
        int seq = FanoutLatency.sequenceOf(text);
        Long sent = seq < 0 ? null : sentAt.get(seq);
        if (sent != null) {
            latencies.add((System.nanoTime() - sent) / 1e6);
            delivered.incrementAndGet();
        }
    }

    /** Runs {@code post} at {@code rate} per second for one step; returns how many were posted. */
    private static long pace(int rate, java.util.function.LongConsumer post, AtomicLong sequence) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        long count = 0;
        while (System.nanoTime() < end) {
            long due = start + (long) (count * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            post.accept(sequence.getAndIncrement());
            count++;
        }
        return count;
    }
}
