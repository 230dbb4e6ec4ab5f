package chat.caravan.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import chat.caravan.it.harness.Topology;

/**
 * Runs the benchmark scenarios against the all-in-one and the microservices topology, each beside its baseline,
 * prints every figure and writes results under benchmarks/results/. Figures, never pass/fail.
 *
 * <p>System properties: {@code modes} (all-in-one,microservices), {@code scenarios}
 * (fanout,throughput,floor,capacity,login,churn,change-to-nats,stored-start,service-start), {@code fanout.subscribers} (1000),
 * {@code fanout.messages} (30), {@code fanout.gaps} (1000,100: ms between measured messages, each a run),
 * {@code throughput.rooms} (40), {@code throughput.members} (25), {@code throughput.rates}
 * (50,100,200,400,800,1600), {@code throughput.allSteps} (false: stop at the knee), {@code throughput.baselines} (true: false leaves out the
 * raw NATS and relay baselines), {@code throughput.warmup.seconds} (60 at the first rate, not measured), {@code capacity.sessions} (20000, bounded by the open-file limit),
 * {@code login.users} (2000), {@code churn.sockets} (sockets dropped at once, 2000), {@code sources} (source addresses, 8).
 * {@code stored-start} ({@link StartupWithData}: the all-in-one's start on a store of {@code startup.messages}
 * (1,000,000) messages; {@code startup.data}: a directory to fill once and keep, whose later runs only start) runs with the all-in-one only.
 * {@code service-start} ({@link ServiceStarts}: each deployable restarted alone, without and with the class data
 * sharing archive of the container image, {@code servicestart.rounds} (3) times each).
 * {@code floor}: the throughput steps with each message written straight into the store instead of posted
 * ({@link StoreWrites}): what a message costs on this store and event path with no REST side; mode {@code store-floor}
 * in the results, the same {@code throughput.*} properties.
 * Not in the default list, as it takes several minutes per mode: {@code day} ({@link DayInTheLife}: {@code day.users}
 * (5000), {@code day.rooms} (500), {@code day.rates} (0,5,10,20,40,80,160), {@code day.step.seconds} (25),
 * {@code day.warmup.seconds} (5), {@code day.zipf} (1.0), {@code day.ddp.share} (0.5), {@code day.mention.share}
 * (0.1), {@code day.typing.ms} (1000), {@code day.focused.share} (0.3), and per user per minute in %
 * {@code day.churn.per.minute} (3), {@code day.status.per.minute} (5), {@code day.switch.per.minute} (5); steps run past the knee:
 * {@code day.steps.past.knee} (1)).
 */
public final class BenchmarkSuite {

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        List<String> modes = list("modes", "all-in-one,microservices");
        List<String> scenarios = list("scenarios", "fanout,throughput,floor,capacity,login,churn,change-to-nats,stored-start,service-start");
        List<Result> results = new ArrayList<>();
        Path dir = Topology.repoDir().resolve("benchmarks/results")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (String mode : modes) {
            try (Topology topology = start(mode)) {
                Result startup = startup(mode, topology);
                System.out.println(startup);
                results.add(startup);
                String ddp = "microservices".equals(mode) ? "ddp-streamer" : "all-in-one";
                try (LoadClients clients = new LoadClients(Integer.getInteger("sources", 8));
                     Fixtures fixtures = new Fixtures(topology.mongoUrl())) {
                    BenchContext ctx = new BenchContext(mode, URI.create(topology.baseUrl()), topology.mongoUrl(),
                            topology.natsUrl(), topology.pidOf(ddp, 0), URI.create(topology.instance(ddp, 0).url()),
                            clients, fixtures, new ProcessCpu(topology.serverPids()));
                    for (String scenario : scenarios) {
                        List<Result> found = switch (scenario) {
                            case "fanout" -> {
                                List<Result> each = new ArrayList<>();
                                for (int gap : ints("fanout.gaps", System.getProperty("fanout.gap", "1000,100"))) {
                                    each.addAll(FanoutLatency.run(ctx, Integer.getInteger("fanout.subscribers", 1000),
                                            Integer.getInteger("fanout.messages", 30), gap));
                                }
                                yield each;
                            }
                            case "throughput" -> Throughput.run(ctx, Integer.getInteger("throughput.rooms", 40),
                                    Integer.getInteger("throughput.members", 25), ints("throughput.rates", "50,100,200,400,800,1600"));
                            case "floor" -> Throughput.floor(ctx, Integer.getInteger("throughput.rooms", 40),
                                    Integer.getInteger("throughput.members", 25), ints("throughput.rates", "50,100,200,400,800,1600"));
                            case "capacity" -> ConnectionCapacity.run(ctx, capacityTarget(mode), 100);
                            case "login" -> LoginStorm.run(ctx, Integer.getInteger("login.users", 2000), 50);
                            case "churn" -> ConnectionChurn.run(ctx, Integer.getInteger("churn.sockets", 2000));
                            case "day" -> DayInTheLife.run(ctx, DayInTheLife.Settings.fromProperties("day."));
                            case "stored-start" -> StartupWithData.run(mode, Integer.getInteger("startup.messages", 1_000_000));
                            case "service-start" -> ServiceStarts.run(mode, topology, Integer.getInteger("servicestart.rounds", 3));
                            case "change-to-nats" -> "microservices".equals(mode)
                                    ? ChangeToNatsLatency.run(ctx, Integer.getInteger("streamhub.paced", 500),
                                    Integer.getInteger("streamhub.burst", 5000)) : List.of();
                            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                        };
                        found.forEach(System.out::println);
                        results.addAll(found);
                        // written after every scenario, so a long run cut short keeps what it measured
                        ResultsWriter.write(dir, results);
                    }
                }
            }
        }
        ResultsWriter.write(dir, results);
        System.out.println("results: " + dir);
    }

    /**
     * Start to ready of each process (JVM launch to /health/ready 200) on an empty data dir; the microservices start
     * all together, as on a node after a restart, so each figure includes the others competing for the cores.
     */
    private static Result startup(String mode, Topology topology) {
        Result result = Result.of("startup", mode, "empty store");
        for (String service : "microservices".equals(mode) ? Topology.SERVICES : List.of("all-in-one")) {
            for (var instance : topology.instances(service)) {
                if (instance.readyAfter() != null) {
                    result.put(service + "-" + instance.index() + "_ready_ms", instance.readyAfter().toMillis());
                }
                if (instance.readyCpu() != null) {
                    // CPU used until ready (user + system, 10 ms ticks): comparable across runs on a busy machine
                    result.put(service + "-" + instance.index() + "_ready_cpu_ms", instance.readyCpu().toMillis());
                }
            }
        }
        return result;
    }

    /** The all-in-one (one JVM, in-process bus, its store as a process so fixtures can reach it) or microservices. */
    private static Topology start(String mode) {
        List<String> heap = new ArrayList<>(List.of("-Xmx2g", "-XX:+UseG1GC"));
        // e.g. -Dbench.profile=true records a Java Flight Recording of the server under test
        if (Boolean.getBoolean("bench.profile")) {
            heap.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Topology.repoDir().resolve("benchmarks/results/" + mode + "-" + System.currentTimeMillis() + ".jfr"));
        }
        String[] options = heap.toArray(String[]::new);
        if ("microservices".equals(mode)) {
            return Topology.microservices("bench").jvmOptions("ddp-streamer", options).jvmOptions("core", "-Xmx1g").start();
        }
        return Topology.allInOne("bench").externalStore().spareNats().jvmOptions("all-in-one", options)
                .env("all-in-one", "TRANSPORTER", "").start();
    }

    /**
     * 20,000 by default, less when the open-file limit (inherited by the servers) would not allow it; in the
     * microservices mode half that limit, as the clients come through nginx, which holds two descriptors per session
     * (the client's and ddp-streamer's).
     */
    private static int capacityTarget(String mode) throws Exception {
        int wanted = Integer.getInteger("capacity.sessions", 20000);
        long limit = Long.MAX_VALUE;
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                limit = Long.parseLong(line.split("\\s+")[3]);
            }
        }
        long usable = limit - 2000;
        if ("microservices".equals(mode)) {
            usable = usable / 2;
        }
        int allowed = (int) Math.min(wanted, usable);
        if (allowed < wanted) {
            System.out.println("capacity: open-file limit " + limit + " allows " + allowed + " sessions in " + mode
                    + ", not " + wanted);
        }
        return allowed;
    }

    private static List<String> list(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int[] ints(String property, String fallback) {
        return list(property, fallback).stream().mapToInt(Integer::parseInt).toArray();
    }

    static Map<String, String> env() {
        return System.getenv();
    }
}
