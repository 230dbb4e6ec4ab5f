package chat.caravan.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;

import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.ServiceInstance;
import chat.caravan.it.harness.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The six services, nats-server, the MongoDB-compatible server and nginx as separate processes: requests cross
 * service boundaries over NATS, and clients use one base URL.
 */
class MicroservicesTopologyIT {

    private static Topology topology;

    @BeforeAll
    static void start() {
        topology = Topology.microservices("foundation").start();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void everyServiceIsReadyAsItsOwnProcess() {
        for (String service : Topology.SERVICES) {
            ServiceInstance instance = topology.instance(service, 0);
            assertThat(instance.isAlive()).as(service).isTrue();
            RestClient.Response ready = new RestClient(instance.url()).get("/health/ready");
            assertThat(ready.status()).as(service + " readiness").isEqualTo(200);
            assertThat(ready.json().path("service").asText()).isEqualTo(service);
            assertThat(ready.json().path("checks").path("bus").asBoolean()).isTrue();
        }
    }

    @Test
    void clientsUseOneBaseUrlThroughTheIngressProxy() {
        RestClient.Response info = new RestClient(topology.baseUrl()).get("/api/info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("success").asBoolean()).isTrue();
        assertThat(info.json().path("version").asText()).matches("\\d+\\.\\d+(\\.\\d+)?");

        RestClient.Response unknown = new RestClient(topology.baseUrl()).get("/api/v1/no.such.endpoint");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("success").asBoolean()).isFalse();
    }

    @Test
    void restAtCoreAsksAccountsOverNats() {
        // a wrong token can only be judged by the accounts service: a 401 (not a 503) proves the call crossed
        RestClient.Response me = new RestClient(topology.baseUrl()).useToken("nobody", "wrong-token").get("/api/v1/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.json().path("message").asText()).isEqualTo("You must be logged in to do this.");

        RestClient admin = new RestClient(topology.baseUrl()).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        RestClient.Response self = admin.get("/api/v1/me");
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().path("username").asText()).isEqualTo(Topology.ADMIN_USERNAME);
    }

    @Test
    void aDocumentChangeTravelsFromMongoThroughStreamHubOntoNats() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Connection nats = Nats.connect(topology.natsUrl());
             MongoClient mongo = MongoClients.create(topology.mongoUrl())) {
            Subscription events = nats.subscribe("caravan.event.watch.messages");
            nats.flush(Duration.ofSeconds(2));
            String id = "it-" + System.nanoTime();
            mongo.getDatabase("rocketchat").getCollection("rocketchat_message").insertOne(new Document("_id", id)
                    .append("rid", "GENERAL").append("msg", "from the foundation test").append("ts", new Date())
                    .append("u", new Document("_id", "it-user").append("username", "it")));
            JsonNode event = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (event == null && System.nanoTime() < deadline) {
                Message message = events.nextMessage(Duration.ofSeconds(1));
                if (message != null) {
                    JsonNode candidate = json.readTree(new String(message.getData(), StandardCharsets.UTF_8));
                    if (id.equals(candidate.path("id").asText())) {
                        event = candidate;
                    }
                }
            }
            assertThat(event).as("watch.messages event for " + id).isNotNull();
            assertThat(event.path("clientAction").asText()).isEqualTo("inserted");
            assertThat(event.path("data").path("msg").asText()).isEqualTo("from the foundation test");
        }
    }
}
