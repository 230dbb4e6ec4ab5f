package chat.caravan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import chat.caravan.common.mongo.StoreCredentials;
import chat.caravan.it.harness.ManagedProcess;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.Topology;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

/**
 * Scenario {@code stored-start} (all-in-one only): start to ready of the all-in-one on its embedded store holding N
 * messages ({@code startup.messages}, 1,000,000) in 200 rooms. The store is filled through its own process first;
 * then the all-in-one starts three times on it. The first start finds no index snapshot (it is deleted, as after a
 * crash) and builds the indexes from every document; the second is an ordinary restart, which loads the indexes the
 * first saved at its clean stop; the third is the same restart with the class data sharing archive the container
 * image makes; on it, {@link StoredReads} times a client's reads (a room's latest messages, a thread's replies).
 * {@code startup.data} names a directory to fill once and keep: a later run on it measures the starts and reads only.
 */
public final class StartupWithData {

    private static final int BATCH = 1000;

    private StartupWithData() {
    }

    static List<Result> run(String mode, int messages) throws Exception {
        if (!"all-in-one".equals(mode)) {
            return List.of();
        }
        // -Dstartup.data=<dir>: a store filled once and kept, for measuring starts again without filling again
        String keptData = System.getProperty("startup.data");
        Path dir = keptData != null ? Path.of(keptData) : Files.createTempDirectory("caravan-stored-start");
        Path logs = dir.resolve("logs");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Result result = Result.of("startup", "all-in-one", messages + " messages stored");
        try {
            if (!Files.exists(data.resolve("caravan-mongo.mv"))) {
                long fillStarted = System.nanoTime();
                fill(data, logs, messages);
                result.put("fill_s", (System.nanoTime() - fillStarted) / 1e9);
            }
            prepareReads(data, logs);
            result.put("data_file_mib", Files.size(data.resolve("caravan-mongo.mv")) / 1048576.0);
            // as after a crash: no snapshot of the indexes, which are built from the documents
            Files.deleteIfExists(data.resolve("caravan-mongo.indexes"));
            long[] first = startOnce(data, logs, "first");
            result.put("first_start_ready_ms", first[0]).put("first_start_ready_cpu_ms", first[1]);
            long[] again = startOnce(data, logs, "restart");
            result.put("restart_ready_ms", again[0]).put("restart_ready_cpu_ms", again[1]);
            // as the container image starts: with the class data sharing archive of docker/cds-archive.sh
            long[] shared = startOnce(data, logs, "restart-cds", base -> StoredReads.measure(base, result),
                    "-XX:SharedArchiveFile=" + ServiceStarts.archiveOf("all-in-one"));
            result.put("restart_cds_ready_ms", shared[0]).put("restart_cds_ready_cpu_ms", shared[1]);
        } catch (RuntimeException failed) {
            // a start that failed is a figure too; its log is kept beside the results, the other scenarios go on
            Path kept = Topology.repoDir().resolve("benchmarks/results/stored-start-failed-" + System.currentTimeMillis());
            copyQuietly(logs, kept);
            System.out.println("stored-start failed: " + failed.getMessage() + " (logs in " + kept + ")");
            result.put("failed", 1);
        } finally {
            if (keptData == null) {
                deleteQuietly(dir);
            }
        }
        return List.of(result);
    }

    /** The rooms and threads {@link StoredReads} reads, written through the store's own process where missing. */
    private static void prepareReads(Path data, Path logs) throws Exception {
        try (StoreProcess store = new StoreProcess(data, logs)) {
            StoredReads.prepare(store.client.getDatabase("rocketchat").getCollection("rocketchat_room"),
                    store.client.getDatabase("rocketchat").getCollection("rocketchat_message"));
        }
    }

    /** The store of {@code data} served by its own process, and a client of it. */
    private static final class StoreProcess implements AutoCloseable {
        final ManagedProcess process;
        final MongoClient client;

        StoreProcess(Path data, Path logs) throws Exception {
            int port = Ports.free();
            process = new ManagedProcess("fill-store", List.of(Topology.java(), "-Xmx2g", "-cp",
                    Topology.jarOf("all-in-one").toString(), "chat.caravan.common.mongo.EmbeddedMongoServerMain",
                    String.valueOf(port), data.toString()), Map.of(), logs);
            process.start().awaitLog("embedded-mongo listening", Duration.ofSeconds(120));
            client = MongoClients.create(StoreCredentials.read(data.resolve(StoreCredentials.FILE))
                    .connectionString("127.0.0.1", port, "rocketchat"));
        }

        @Override
        public void close() {
            client.close();
            process.stop();
            process.close();
        }
    }

    /** N messages written through the store's own process, in batches, as an import would. */
    private static void fill(Path data, Path logs, int messages) throws Exception {
        try (StoreProcess store = new StoreProcess(data, logs)) {
            MongoCollection<Document> collection = store.client.getDatabase("rocketchat").getCollection("rocketchat_message");
            long ts = System.currentTimeMillis() - messages * 1000L;
            List<Document> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < messages; i++) {
                String text = "message " + i + " about the plan for the week";
                Date at = new Date(ts + i * 1000L);
                batch.add(new Document("_id", UUID.randomUUID().toString().replace("-", "").substring(0, 17))
                        .append("rid", "stored-room-" + (i % 200)).append("msg", text).append("ts", at)
                        .append("u", new Document("_id", "stored-user-" + (i % 500)).append("username", "user" + (i % 500)))
                        .append("_updatedAt", at).append("mentions", List.of()).append("channels", List.of())
                        .append("md", List.of(new Document("type", "PARAGRAPH").append("value",
                                List.of(new Document("type", "PLAIN_TEXT").append("value", text))))));
                if (batch.size() == BATCH) {
                    collection.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                collection.insertMany(batch);
            }
        }
    }

    /** Something done with the all-in-one at {@code base} once it is ready, before it stops. */
    interface WhileReady {
        void with(java.net.URI base) throws Exception;
    }

    private static long[] startOnce(Path data, Path logs, String name, String... jvmOptions) {
        return startOnce(data, logs, name, null, jvmOptions);
    }

    /** Starts the all-in-one on {@code data} until ready, then runs {@code whileReady}; returns {wall ms, CPU ms}. */
    private static long[] startOnce(Path data, Path logs, String name, WhileReady whileReady, String... jvmOptions) {
        int port = Ports.free();
        Path jar = Topology.jarOf("all-in-one");
        List<String> command = new ArrayList<>(List.of(Topology.java(), "-Xmx2g", "-XX:+UseG1GC"));
        command.addAll(List.of(jvmOptions));
        if (Boolean.getBoolean("startup.profile")) {
            // -Dstartup.profile=true: a Java Flight Recording of each start, in benchmarks/results
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + Topology.repoDir()
                    .resolve("benchmarks/results/stored-start-" + name + "-" + System.currentTimeMillis() + ".jfr"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        try (ManagedProcess server = new ManagedProcess("all-in-one-" + name, command,
                Map.of("PORT", String.valueOf(port), "CARAVAN_DATA_DIR", data.toString(),
                        "ADMIN_USERNAME", Topology.ADMIN_USERNAME, "ADMIN_PASS", Topology.ADMIN_PASSWORD,
                        "ADMIN_EMAIL", "admin@example.org"), logs)) {
            long started = System.nanoTime();
            server.start().awaitHttpOk("http://127.0.0.1:" + port + "/health/ready", Duration.ofMinutes(10));
            long wall = (System.nanoTime() - started) / 1_000_000;
            long cpu = ProcessCpu.ticks(server.pid()) * 10;
            if (whileReady != null) {
                try {
                    whileReady.with(java.net.URI.create("http://127.0.0.1:" + port));
                } catch (Exception failed) {
                    throw new IllegalStateException("reads on the stored messages failed: " + failed.getMessage(), failed);
                }
            }
            server.stop();
            return new long[] {wall, cpu};
        }
    }

    private static void copyQuietly(Path from, Path to) {
        try (var paths = Files.walk(from)) {
            Files.createDirectories(to);
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                Files.copy(path, to.resolve(path.getFileName()));
            }
        } catch (Exception ignored) {
            // nothing to keep
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir left behind
        }
    }
}
