package chat.caravan.streamhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.List;

import java.util.concurrent.CopyOnWriteArrayList;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.testing.CaravanTestProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Each watched collection's insert, update and delete becomes one broadcast event of Rocket.Chat's shape. */
@SpringBootTest(classes = StreamHubRoutesTest.App.class)
class StreamHubRoutesTest {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.streamhub"})
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CaravanTestProperties.register(registry);
        registry.add("caravan.stream-hub.lease-renew-every", () -> "200ms");
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"rocketchat_message, watch.messages", "rocketchat_room, watch.rooms",
            "rocketchat_subscription, watch.subscriptions", "rocketchat_roles, watch.roles",
            "rocketchat_permissions, watch.permissions", "rocketchat_settings, watch.settings",
            "usersSessions, watch.userSessions", "users, watch.users"})
    void insertUpdateAndDeleteBecomeEvents(String collection, String event) throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe(event, events::add)) {
            String id = "doc-" + System.nanoTime();
            database.getCollection(collection).insertOne(new Document("_id", id).append("name", "first").append("n", 1)
                    .append("gone", true).append("_updatedAt", new Date()));
            database.getCollection(collection).updateOne(Filters.eq("_id", id),
                    Updates.combine(Updates.set("name", "second"), Updates.inc("n", 1), Updates.unset("gone")));
            // updateLookup reads the document when the event is read: delete it only after that
            await(events, id, 2);
            database.getCollection(collection).deleteOne(Filters.eq("_id", id));
            List<JsonNode> mine = await(events, id, 3);
            assertThat(mine).extracting(e -> e.path("clientAction").asText()).containsExactly("inserted", "updated", "removed");
            assertThat(mine.get(0).path("data").path("name").asText()).isEqualTo("first");
            assertThat(mine.get(1).path("diff").path("name").asText()).isEqualTo("second");
            assertThat(mine.get(1).path("diff").path("n").asInt()).isEqualTo(2);
            assertThat(mine.get(1).path("unset").has("gone")).isTrue();
            assertThat(mine.get(1).path("data").path("name").asText()).isEqualTo("second");
            assertThat(mine).allSatisfy(e -> assertThat(e.path("eventId").asText()).isNotBlank());
            assertThat(mine.stream().map(e -> e.path("eventId").asText()).distinct()).hasSize(3);
        }
    }

    @Test
    void userEventsNeverCarrySecrets() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe("watch.users", events::add)) {
            String id = "secretive-" + System.nanoTime();
            database.getCollection("users").insertOne(new Document("_id", id).append("username", id)
                    .append("services", new Document("password", new Document("bcrypt", "$2b$10$hash")))
                    .append("e2e", new Document("private_key", "k")));
            database.getCollection("users").updateOne(Filters.eq("_id", id), Updates.combine(
                    Updates.push("services.resume.loginTokens", new Document("hashedToken", "abc")), Updates.set("status", "online")));
            List<JsonNode> mine = await(events, id, 2);
            assertThat(mine.toString()).doesNotContain("bcrypt").doesNotContain("hashedToken").doesNotContain("private_key");
            assertThat(mine.get(1).path("diff").path("status").asText()).isEqualTo("online");
        }
    }

    @Test
    void aRemovedDocumentCarriesItsTrashCopy() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe("watch.subscriptions", events::add)) {
            String id = "sub-" + System.nanoTime();
            Document membership = new Document("_id", id).append("rid", "GENERAL").append("u", new Document("_id", "someone"));
            database.getCollection("rocketchat_subscription").insertOne(membership);
            database.getCollection("rocketchat__trash").insertOne(new Document(membership).append("__collection__", "rocketchat_subscription"));
            database.getCollection("rocketchat_subscription").deleteOne(Filters.eq("_id", id));
            JsonNode removed = await(events, id, 2).get(1);
            assertThat(removed.path("clientAction").asText()).isEqualTo("removed");
            assertThat(removed.path("data").path("u").path("_id").asText()).isEqualTo("someone");
        }
    }

    @Test
    void thePositionIsSavedAfterPublishing() throws Exception {
        database.getCollection("rocketchat_room").insertOne(new Document("_id", "pos-" + System.nanoTime()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Document position = null;
        while (position == null && System.nanoTime() < deadline) {
            position = database.getCollection(StreamPositions.POSITIONS).find(Filters.eq("_id", "rocketchat_room")).first();
            Thread.sleep(100);
        }
        assertThat(position).isNotNull();
        assertThat(position.getString("resumeToken")).contains("_data");
        assertThat(database.getCollection(PublisherLease.LEASES).find(Filters.eq("_id", PublisherLease.LEASE_ID)).first()
                .getString("holder")).isNotBlank();
    }

    private static List<JsonNode> await(List<JsonNode> events, String id, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> mine = events.stream().filter(e -> id.equals(e.path("id").asText())).toList();
            if (mine.size() >= count) {
                return mine;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " events for " + id + ", got " + events);
    }

}
