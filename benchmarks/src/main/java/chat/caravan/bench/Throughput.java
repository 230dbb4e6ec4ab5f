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
    /** Where the raw NATS baseline stops doubling its rate if it has not fallen behind before. */
    private static final int MAX_BASELINE_RATE = 100_000;
    /** Where the relay baseline stops doubling (64,000 deliveries/s at 25 members). */
    private static final int MAX_RELAY_RATE = 2_560;

    private Throughput() {
    }

    /** CPU milliseconds per message posted, from a share of one core (%) over {@code seconds}. */
    private static double cpuMillisPerMessage(double pct, double seconds, long posted) {
        return posted == 0 ? 0 : pct / 100 * seconds * 1000 / posted;
    }

    public static List<Result> run(BenchContext ctx, int rooms, int members, int[] rates) throws Exception {
        // posts answered 503 (the server's bound on pending requests shed them) and those that failed otherwise
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Result> results = caravan(ctx, ctx.mode(), rooms, members, rates, refused, failed,
                (sender, rid, text) -> post(ctx, sender, rid, text, refused, failed));
        // -Dthroughput.baselines=false skips the raw NATS and relay baselines (a profile or an A/B of Caravan alone)
        if ("false".equals(System.getProperty("throughput.baselines"))) {
            return results;
        }
        List<Result> baseline = baseline(ctx, rooms, members, rates);
        results.addAll(baseline);
        List<Result> relay = relayBaseline(ctx, rooms, members, rates);
        results.addAll(relay);
        Result summary = summary(ctx.mode(), members, results, baseline);
        relayKnee(summary, relay);
        results.add(summary);
        return results;
    }

    /**
     * Scenario {@code floor}: the same rooms, sessions and steps, each message entering as its writes straight into
     * the store ({@link StoreWrites}) instead of a REST post; mode {@code store-floor} in the results.
     */
    public static List<Result> floor(BenchContext ctx, int rooms, int members, int[] rates) throws Exception {
        AtomicLong failed = new AtomicLong();
        try (StoreWrites store = new StoreWrites(ctx.mongoUrl())) {
            return caravan(ctx, "store-floor", rooms, members, rates, new AtomicLong(), failed,
                    (sender, rid, text) -> store.post(sender, rid, text, failed));
        }
    }

    /** How a step's messages enter the server. */
    private interface Poster {
        void post(Fixtures.BenchUser sender, String rid, String text);
    }

    /** Caravan's steps: M sessions in each of R rooms, each step's messages entering through {@code poster}. */
    private static List<Result> caravan(BenchContext ctx, String label, int rooms, int members, int[] rates,
            AtomicLong refused, AtomicLong failed, Poster poster) throws Exception {
        List<List<Fixtures.BenchUser>> roomMembers = new ArrayList<>();
        List<String> rids = new ArrayList<>();
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong delivered = new AtomicLong();
        Map<Integer, Long> postedAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> stampDelays = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            List<Fixtures.BenchUser> users = ctx.fixtures().users("tp" + label.charAt(0) + r, members);
            String rid = ctx.fixtures().room("tp-" + label + "-" + r, users);
            roomMembers.add(users);
            rids.add(rid);
            for (Fixtures.BenchUser user : users) {
                opening.add(ctx.clients().session(ctx.clientUrl(), user.token(), List.of(rid),
                        event -> {
                            JsonNode message = event.path("fields").path("args").path(0);
                            int seq = FanoutLatency.sequenceOf(message.path("msg").asText());
                            Long posted = seq < 0 ? null : postedAt.remove(seq);
                            if (posted != null) {
                                // the first delivery of each message: how long the server took to stamp it
                                stampDelays.add((double) (message.path("ts").path("$date").asLong() - posted));
                            }
                            record(message.path("msg").asText(), sentAt, latencies, delivered);
                        }));
            }
        }
        List<DdpSession> sessions = FanoutLatency.join(opening);
        List<Result> results = new ArrayList<>();
        AtomicLong sequence = new AtomicLong();
        // message seq (text: prefix + seq) is sent by the first member of room seq % R
        java.util.function.Function<String, java.util.function.LongConsumer> posting = prefix -> seq -> {
            int room = (int) (seq % rids.size());
            poster.post(roomMembers.get(room).get(0), rids.get(room), prefix + seq);
        };
        java.util.function.LongConsumer post = posting.apply("bench-");
        // a warm-up at the first rate, not measured: on 2 cores the JIT compiles the write path for minutes after a
        // start, and its compiler threads otherwise count as the first steps' cost per message
        int warmup = Integer.getInteger("throughput.warmup.seconds", 60);
        if (warmup > 0 && rates.length > 0) {
            pace(rates[0], posting.apply("warmup-"), sequence, warmup);
            Thread.sleep(2000);
        }
        for (int rate : rates) {
            latencies.clear();
            stampDelays.clear();
            delivered.set(0);
            refused.set(0);
            failed.set(0);
            ProcessCpu.Snapshot cpuBefore = ctx.serverCpu().snapshot();
            long posted = pace(rate, seq -> {
                sentAt.put((int) seq, System.nanoTime());
                postedAt.put((int) seq, System.currentTimeMillis());
                post.accept(seq);
            }, sequence, STEP_SECONDS);
            Thread.sleep(2000);
            ProcessCpu.Usage cpu = ProcessCpu.between(cpuBefore, ctx.serverCpu().snapshot());
            Stats stats = Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
            double expected = posted * (double) members;
            Result result = Result.of("throughput", label, rate + " msg/s x" + members)
                    .put("delivered_per_s", delivered.get() / (double) STEP_SECONDS)
                    .put("delivered_ratio", delivered.get() / expected).put("latency", stats)
                    // answers that came in during the step and the 2 s after it
                    .put("posts_refused_busy", refused.get()).put("posts_failed", failed.get())
                    .put("stamped_after", Stats.of(stampDelays.stream().mapToDouble(Double::doubleValue).toArray()))
                    // what the server processes spent per message posted, and their share of one core over the step
                    .put("server_cpu_ms_per_msg", cpuMillisPerMessage(cpu.serverTotalPct(), cpu.seconds(), posted))
                    .put("server_cpu_pct", cpu.serverTotalPct())
                    // the load generator beside it, and the whole machine (% of all its cores)
                    .put("generator_cpu_pct", cpu.generatorPct()).put("machine_cpu_pct", cpu.machinePct());
            cpu.serverPct().forEach((name, pct) -> result.put("cpu_ms_per_msg_" + name,
                    cpuMillisPerMessage(pct, cpu.seconds(), posted)));
            results.add(result);
            System.out.println(result);
            // -Dthroughput.allSteps=true runs every step anyway (to profile a steady load)
            if (!keptUp(result) && !Boolean.getBoolean("throughput.allSteps")) {
                break;
            }
        }
        sessions.forEach(DdpSession::close);
        return results;
    }

    /**
     * The knee (the highest step Caravan kept up with: 95% delivered, p99 under a second) beside raw NATS at the same
     * offered load: deliveries per second and p99, and their ratios.
     */
    static Result summary(String mode, int members, List<Result> caravan, List<Result> baseline) {
        Result knee = null;
        for (Result step : caravan) {
            if ("throughput".equals(step.scenario()) && mode.equals(step.mode()) && keptUp(step)) {
                knee = step;
            }
        }
        Result summary = Result.of("throughput", mode, "knee x" + members);
        if (knee == null) {
            return summary.put("delivered_per_s", 0);
        }
        Result raw = null;
        Result rawKnee = null;
        for (Result step : baseline) {
            if (step.load().equals(knee.load())) {
                raw = step;
            }
            if (keptUp(step)) {
                rawKnee = step;
            }
        }
        summary.put("knee_msgs_per_s", Double.parseDouble(knee.load().substring(0, knee.load().indexOf(' '))))
                .put("delivered_per_s", knee.figures().get("delivered_per_s"))
                .put("p99_ms", knee.figures().get("latency_p99_ms"));
        if (raw != null) {
            // at the same offered load
            summary.put("baseline_p99_ms", raw.figures().get("latency_p99_ms"))
                    .put("p99_ratio_to_baseline", knee.figures().get("latency_p99_ms") / raw.figures().get("latency_p99_ms"));
        }
        if (rawKnee != null) {
            // raw NATS's own knee: how many times more it delivers per second
            summary.put("baseline_knee_delivered_per_s", rawKnee.figures().get("delivered_per_s"))
                    .put("baseline_throughput_ratio",
                            rawKnee.figures().get("delivered_per_s") / knee.figures().get("delivered_per_s"));
        }
        return summary;
    }

    /** The bare relay's knee beside Caravan's: what the machine carries over WebSocket with no chat logic at all. */
    private static void relayKnee(Result summary, List<Result> relay) {
        Result knee = null;
        for (Result step : relay) {
            if (keptUp(step)) {
                knee = step;
            }
        }
        if (knee != null) {
            summary.put("relay_knee_msgs_per_s", Double.parseDouble(knee.load().substring(0, knee.load().indexOf(' '))))
                    .put("relay_knee_delivered_per_s", knee.figures().get("delivered_per_s"));
        }
    }

    /**
     * The second baseline: the same fan-out through a bare NATS-to-WebSocket relay (no DDP, no store, no logic), to
     * the same number of WebSocket clients in this process, whose frames are parsed as Caravan's are. Its knee is
     * what this machine carries with the load generator beside it, whatever the server does. Steps as Caravan's, then
     * doubling on to its own knee.
     */
    static List<Result> relayBaseline(BenchContext ctx, int rooms, int members, int[] rates) throws Exception {
        Deliveries deliveries = new Deliveries();
        int port = chat.caravan.it.harness.Ports.free();
        try (BareRelay relay = new BareRelay(ctx.clients().vertx(), ctx.natsUrl(), port);
             Connection publisher = Nats.connect(ctx.natsUrl())) {
            io.vertx.core.http.WebSocketClient client = ctx.clients().vertx().createWebSocketClient(
                    new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
                            .setLocalAddress("127.0.0.10").setIdleTimeout(0));
            List<CompletableFuture<io.vertx.core.http.WebSocket>> pending = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                for (int m = 0; m < members; m++) {
                    pending.add(BareRelay.subscriber(client, port, "tp" + r, deliveries::record));
                }
            }
            List<io.vertx.core.http.WebSocket> sockets = BareRelay.subscribed(pending);
            // the relay and its clients share this process: their CPU together, and the machine's
            List<Result> results = steps("bare-relay", rooms, members, rates, MAX_RELAY_RATE, true, publisher, "bench.room.",
                    deliveries, "relay_and_clients_cpu_pct");
            sockets.forEach(io.vertx.core.http.WebSocket::close);
            client.close();
            return results;
        }
    }

    /** When each message of a baseline was sent, and the latencies and number of its deliveries. */
    private record Deliveries(Map<Integer, Long> sentAt, ConcurrentLinkedQueue<Double> latencies, AtomicLong delivered) {
        Deliveries() {
            this(new ConcurrentHashMap<>(), new ConcurrentLinkedQueue<>(), new AtomicLong());
        }

        void record(String text) {
            Throughput.record(text, sentAt, latencies, delivered);
        }
    }

    /**
     * A baseline's steps: Caravan's rates, then doubling while it keeps up, up to {@code maxRate}; each message is
     * published on {@code subjectPrefix + room}. With {@code stopAtKnee} the first step it does not keep up with is
     * the last; with a {@code cpuFigure}, each step also reports this process's CPU under that name and the machine's.
     */
    private static List<Result> steps(String mode, int rooms, int members, int[] rates, int maxRate, boolean stopAtKnee,
            Connection publisher, String subjectPrefix, Deliveries deliveries, String cpuFigure) throws InterruptedException {
        List<Result> results = new ArrayList<>();
        ProcessCpu self = new ProcessCpu(Map.of());
        AtomicLong sequence = new AtomicLong();
        List<Integer> steps = new ArrayList<>();
        for (int rate : rates) {
            steps.add(rate);
        }
        for (int i = 0; i < steps.size(); i++) {
            int rate = steps.get(i);
            deliveries.latencies().clear();
            deliveries.delivered().set(0);
            ProcessCpu.Snapshot before = self.snapshot();
            long posted = pace(rate, seq -> {
                deliveries.sentAt().put((int) seq, System.nanoTime());
                String rid = "tp" + (seq % rooms);
                publisher.publish(subjectPrefix + rid, FanoutLatency.frame(rid, (int) seq).getBytes(StandardCharsets.UTF_8));
            }, sequence, STEP_SECONDS);
            Thread.sleep(2000);
            Stats stats = Stats.of(deliveries.latencies().stream().mapToDouble(Double::doubleValue).toArray());
            long delivered = deliveries.delivered().get();
            Result result = Result.of("throughput", mode, rate + " msg/s x" + members)
                    .put("delivered_per_s", delivered / (double) STEP_SECONDS)
                    .put("delivered_ratio", delivered / (posted * (double) members)).put("latency", stats);
            if (cpuFigure != null) {
                ProcessCpu.Usage cpu = ProcessCpu.between(before, self.snapshot());
                result.put(cpuFigure, cpu.generatorPct()).put("machine_cpu_pct", cpu.machinePct());
            }
            results.add(result);
            System.out.println(result);
            if (!keptUp(result)) {
                if (stopAtKnee) {
                    break;
                }
                continue;
            }
            if (i == steps.size() - 1 && rate < maxRate) {
                steps.add(rate * 2);
            }
        }
        return results;
    }

    /** A step the system kept up with: 95% of the deliveries made, p99 under a second. */
    private static boolean keptUp(Result step) {
        return step.figures().get("delivered_ratio") >= 0.95 && step.figures().get("latency_p99_ms") <= 1000;
    }

    /** Raw NATS with the same payloads and fan-out: M subscriber connections, each on every room's subject. */
    static List<Result> baseline(BenchContext ctx, int rooms, int members, int[] rates) throws Exception {
        Deliveries deliveries = new Deliveries();
        List<Connection> subscribers = new ArrayList<>();
        try (Connection publisher = Nats.connect(ctx.natsUrl())) {
            for (int m = 0; m < members; m++) {
                Connection connection = Nats.connect(ctx.natsUrl());
                subscribers.add(connection);
                Dispatcher dispatcher = connection.createDispatcher(message -> {
                    try {
                        JsonNode frame = JSON.readTree(message.getData());
                        deliveries.record(frame.path("fields").path("args").path(0).path("msg").asText());
                    } catch (Exception ignored) {
                        // not ours
                    }
                });
                dispatcher.subscribe("bench.tp.*");
                connection.flush(java.time.Duration.ofSeconds(5));
            }
            // the same steps as Caravan's, then doubling on to raw NATS's own knee
            return steps("raw-nats", rooms, members, rates, MAX_BASELINE_RATE, false, publisher, "bench.tp.", deliveries, null);
        } finally {
            for (Connection connection : subscribers) {
                connection.close();
            }
        }
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

    /** Message {@code text}, posted over REST by {@code sender}; counts the posts refused (503) and failed. */
    private static void post(BenchContext ctx, Fixtures.BenchUser sender, String rid, String text, AtomicLong refused,
            AtomicLong failed) {
        ctx.clients().postMessage(ctx.clientUrl(), sender, rid, text)
                .whenComplete((status, failure) -> {
                    if (failure == null && status == 503) {
                        refused.incrementAndGet();
                    } else if (failure != null || status != 200) {
                        failed.incrementAndGet();
                    }
                });
    }

    /** Runs {@code post} at {@code rate} per second for one step; returns how many were posted. */
    private static long pace(int rate, java.util.function.LongConsumer post, AtomicLong sequence, long seconds)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
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
