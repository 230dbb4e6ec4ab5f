package chat.caravan.it.streamhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import chat.caravan.it.harness.ServiceInstance;
import chat.caravan.it.harness.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** stream-hub loses no event across SIGKILLs and restarts, and a standby takes over from a dead publisher. */
class StreamHubResilienceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDocumentWrittenWhileStreamHubIsKilledTwiceArrivesOnNats() throws Exception {
        try (Topology topology = Topology.microservices("stream-hub-kill").withoutNginx().start();
             Connection nats = Nats.connect(topology.natsUrl());
             MongoClient mongo = MongoClients.create(topology.mongoUrl())) {
            Map<String, AtomicInteger> received = listen(nats, "kill-");
            MongoCollection<Document> messages = mongo.getDatabase("rocketchat").getCollection("rocketchat_message");
            ServiceInstance hub = topology.instance("stream-hub", 0);
            for (int i = 0; i < 2000; i++) {
                messages.insertOne(new Document("_id", "kill-" + i).append("rid", "GENERAL").append("msg", "n" + i)
                        .append("ts", new Date()));
                if (i == 600 || i == 1300) {
                    hub.kill();
                    hub.startAgain();
                }
                if (i % 100 == 0) {
                    Thread.sleep(100);
                }
            }
            awaitAll(received, "kill-", 2000, Duration.ofSeconds(120));
        }
    }

    @Test
    void aStandbyTakesOverFromADeadPublisherAndTheyNeverPublishTogether() throws Exception {
        try (Topology topology = Topology.microservices("stream-hub-failover").withoutNginx().replicas("stream-hub", 2).start();
             Connection nats = Nats.connect(topology.natsUrl());
             MongoClient mongo = MongoClients.create(topology.mongoUrl())) {
            Map<String, AtomicInteger> received = listen(nats, "ha-");
            MongoCollection<Document> messages = mongo.getDatabase("rocketchat").getCollection("rocketchat_message");
            for (int i = 0; i < 300; i++) {
                messages.insertOne(new Document("_id", "ha-" + i).append("rid", "GENERAL").append("msg", "n" + i));
            }
            awaitAll(received, "ha-", 300, Duration.ofSeconds(30));
            assertThat(received.values()).as("with two replicas running, each event is published once")
                    .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));

            String holder = mongo.getDatabase("rocketchat").getCollection("caravan_leases").find(new Document("_id", "stream-hub-publisher"))
                    .first().getString("holder");
            ServiceInstance active = topology.instances("stream-hub").stream()
                    .filter(instance -> holder.contains("/" + instance.process().pid() + "/")).findFirst().orElseThrow();
            active.kill();
            long killedAt = System.nanoTime();
            messages.insertOne(new Document("_id", "ha-after").append("rid", "GENERAL").append("msg", "after the kill"));
            awaitAll(received, "ha-after", 1, Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(12));
            for (int i = 300; i < 600; i++) {
                messages.insertOne(new Document("_id", "ha-" + i).append("rid", "GENERAL").append("msg", "n" + i));
            }
            awaitAll(received, "ha-", 600, Duration.ofSeconds(30));
        }
    }

    private static Map<String, AtomicInteger> listen(Connection nats, String prefix) throws Exception {
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        Dispatcher dispatcher = nats.createDispatcher(message -> {
            try {
                JsonNode event = JSON.readTree(new String(message.getData(), StandardCharsets.UTF_8));
                String id = event.path("id").asText();
                if (id.startsWith(prefix) && "inserted".equals(event.path("clientAction").asText())) {
                    received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
            } catch (Exception ignored) {
                // not an event of ours
            }
        });
        dispatcher.subscribe("caravan.event.watch.messages");
        nats.flush(Duration.ofSeconds(5));
        return received;
    }

    private static void awaitAll(Map<String, AtomicInteger> received, String prefix, int expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (received.keySet().stream().filter(id -> id.startsWith(prefix)).count() >= expected) {
                return;
            }
            Thread.sleep(200);
        }
        Set<String> got = received.keySet();
        throw new AssertionError("received " + got.stream().filter(id -> id.startsWith(prefix)).count() + " of " + expected);
    }
}
