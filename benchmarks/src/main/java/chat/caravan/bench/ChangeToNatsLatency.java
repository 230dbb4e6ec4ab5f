package chat.caravan.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.bson.Document;

/**
 * stream-hub's figure (microservices only): time from a MongoDB write to its {@code watch.messages} event on NATS,
 * and events per second when writes come as fast as one writer can make them.
 */
public final class ChangeToNatsLatency {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeToNatsLatency() {
    }

    public static List<Result> run(BenchContext ctx, int paced, int burst) throws Exception {
        Map<String, Long> written = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        try (Connection nats = Nats.connect(ctx.natsUrl()); MongoClient mongo = MongoClients.create(ctx.mongoUrl())) {
            Dispatcher dispatcher = nats.createDispatcher(message -> {
                try {
                    JsonNode event = JSON.readTree(new String(message.getData(), StandardCharsets.UTF_8));
                    Long at = written.get(event.path("id").asText());
                    if (at != null && "inserted".equals(event.path("clientAction").asText())) {
                        latencies.add((System.nanoTime() - at) / 1e6);
                    }
                } catch (Exception ignored) {
                    // not ours
                }
            });
            dispatcher.subscribe("caravan.event.watch.messages");
            nats.flush(java.time.Duration.ofSeconds(5));
            MongoCollection<Document> messages = mongo.getDatabase("rocketchat").getCollection("rocketchat_message");
            String run = "bench-" + System.nanoTime() + "-";
            for (int i = 0; i < paced; i++) {
                String id = run + "p" + i;
                written.put(id, System.nanoTime());
                messages.insertOne(new Document("_id", id).append("rid", "bench").append("msg", "paced " + i));
                Thread.sleep(10);
            }
            awaitCount(latencies, paced);
            Stats pacedStats = Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
            latencies.clear();
            long start = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                String id = run + "b" + i;
                written.put(id, System.nanoTime());
                messages.insertOne(new Document("_id", id).append("rid", "bench").append("msg", "burst " + i));
            }
            awaitCount(latencies, burst);
            double seconds = (System.nanoTime() - start) / 1e9;
            return List.of(Result.of("change-to-nats", ctx.mode(), paced + " paced writes").put("latency", pacedStats),
                    Result.of("change-to-nats", ctx.mode(), burst + " burst writes")
                            .put("events_per_s", latencies.size() / seconds).put("delivered", latencies.size()));
        }
    }

    private static void awaitCount(ConcurrentLinkedQueue<Double> latencies, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (latencies.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
