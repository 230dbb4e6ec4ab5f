package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.OperationType;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's change events, read with the real MongoDB driver, have MongoDB's shape. */
class EmbeddedChangeStreamTest {

    @TempDir
    Path dataDir;

    EmbeddedMongoServer server;
    MongoClient client;
    MongoCollection<Document> rooms;

    @BeforeEach
    void start() {
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        client = MongoClients.create(server.connectionString());
        rooms = client.getDatabase("rocketchat").getCollection("rocketchat_room");
        rooms.insertOne(new Document("_id", "seed"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void insertUpdateReplaceAndDeleteLookLikeMongoDb() {
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream =
                     rooms.watch().fullDocument(FullDocument.UPDATE_LOOKUP).cursor()) {
            rooms.insertOne(new Document("_id", "r1").append("name", "general").append("msgs", 0)
                    .append("topic", "old").append("muted", List.of()));
            rooms.updateOne(new Document("_id", "r1"), Updates.combine(Updates.set("name", "lounge"),
                    Updates.inc("msgs", 1), Updates.unset("topic"), Updates.push("muted", "bob")));
            List<ChangeStreamDocument<Document>> events = new ArrayList<>(next(stream, 2));
            rooms.replaceOne(new Document("_id", "r1"), new Document("_id", "r1").append("name", "replaced"));
            rooms.deleteOne(new Document("_id", "r1"));
            events.addAll(next(stream, 2));
            ChangeStreamDocument<Document> insert = events.get(0);
            assertThat(insert.getOperationType()).isEqualTo(OperationType.INSERT);
            assertThat(insert.getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 'r1'}"));
            assertThat(insert.getFullDocument().getString("name")).isEqualTo("general");

            ChangeStreamDocument<Document> update = events.get(1);
            assertThat(update.getOperationType()).isEqualTo(OperationType.UPDATE);
            assertThat(update.getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 'r1'}"));
            assertThat(update.getUpdateDescription().getUpdatedFields())
                    .isEqualTo(BsonDocument.parse("{name: 'lounge', msgs: 1, muted: ['bob']}"));
            assertThat(update.getUpdateDescription().getRemovedFields()).containsExactly("topic");
            assertThat(update.getFullDocument()).isEqualTo(new Document("_id", "r1").append("name", "lounge")
                    .append("msgs", 1).append("muted", List.of("bob")));

            ChangeStreamDocument<Document> replace = events.get(2);
            assertThat(replace.getOperationType()).isEqualTo(OperationType.REPLACE);
            assertThat(replace.getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 'r1'}"));
            assertThat(replace.getFullDocument().getString("name")).isEqualTo("replaced");

            ChangeStreamDocument<Document> delete = events.get(3);
            assertThat(delete.getOperationType()).isEqualTo(OperationType.DELETE);
            assertThat(delete.getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 'r1'}"));
        }
    }

    @Test
    void withoutUpdateLookupAnUpdateCarriesNoFullDocumentAndResumeAfterContinues() {
        BsonDocument resumeToken;
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = rooms.watch().cursor()) {
            rooms.insertOne(new Document("_id", "r2").append("name", "a"));
            rooms.updateOne(new Document("_id", "r2"), Updates.set("name", "b"));
            List<ChangeStreamDocument<Document>> events = next(stream, 2);
            assertThat(events.get(1).getFullDocument()).isNull();
            assertThat(events.get(1).getUpdateDescription().getUpdatedFields()).isEqualTo(BsonDocument.parse("{name: 'b'}"));
            resumeToken = events.get(0).getResumeToken();
        }
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> resumed =
                     rooms.watch().resumeAfter(resumeToken).cursor()) {
            List<ChangeStreamDocument<Document>> events = next(resumed, 1);
            assertThat(events.get(0).getOperationType()).isEqualTo(OperationType.UPDATE);
            assertThat(events.get(0).getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 'r2'}"));
        }
    }

    private static List<ChangeStreamDocument<Document>> next(
            MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream, int count) {
        List<ChangeStreamDocument<Document>> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < count && System.nanoTime() < deadline) {
            ChangeStreamDocument<Document> event = stream.tryNext();
            if (event != null) {
                events.add(event);
            }
        }
        assertThat(events).hasSize(count);
        return events;
    }
}
