package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.mongodb.MongoCommandException;
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
    void aGetMoreWaitsForTheNextChangeOfItsCollectionInsteadOfAnsweringEmptyAtOnce() throws Exception {
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream =
                     rooms.watch().maxAwaitTime(400, TimeUnit.MILLISECONDS).cursor()) {
            // nothing changes: the store holds the getMore for its maxTimeMS (MongoDB's awaitData)
            long asked = System.nanoTime();
            assertThat(stream.tryNext()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
            // another collection's change does not end the wait; this one's does, long before its maxTimeMS
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> waiting =
                         rooms.watch().maxAwaitTime(30, TimeUnit.SECONDS).cursor()) {
                CompletableFuture<ChangeStreamDocument<Document>> next = CompletableFuture.supplyAsync(waiting::tryNext);
                client.getDatabase("rocketchat").getCollection("users").insertOne(new Document("_id", "u1"));
                rooms.insertOne(new Document("_id", "r-wake"));
                ChangeStreamDocument<Document> change = next.get(20, TimeUnit.SECONDS);
                assertThat(change).isNotNull();
                assertThat(change.getDocumentKey().getString("_id").getValue()).isEqualTo("r-wake");
            }
        }
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

    @Test
    void aStreamResumesAcrossARestartOfTheStore() {
        resumesAcrossARestart(false);
    }

    @Test
    void aStreamResumesAcrossARestartWithoutTheIndexSnapshot() {
        // as after a crash: the oplog's entries are read back instead of their sizes coming with the snapshot
        resumesAcrossARestart(true);
    }

    private void resumesAcrossARestart(boolean withoutSnapshot) {
        BsonDocument resumeToken;
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = rooms.watch().cursor()) {
            rooms.insertOne(new Document("_id", "before"));
            resumeToken = next(stream, 1).get(0).getResumeToken();
        }
        rooms.insertOne(new Document("_id", "missed-1"));
        rooms.insertOne(new Document("_id", "missed-2"));
        client.close();
        server.close();
        if (withoutSnapshot) {
            StoreFiles.deleteIndexSnapshot(dataDir);
        }
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        client = MongoClients.create(server.connectionString());
        rooms = client.getDatabase("rocketchat").getCollection("rocketchat_room");
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> resumed =
                     rooms.watch().resumeAfter(resumeToken).cursor()) {
            rooms.insertOne(new Document("_id", "after"));
            assertThat(next(resumed, 3)).extracting(e -> e.getDocumentKey().getString("_id").getValue())
                    .containsExactly("missed-1", "missed-2", "after");
        }
    }

    @Test
    void theOplogIsCappedAndAResumeBeyondItFailsLikeMongoDb() {
        client.close();
        server.close();
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0, 1000);
        client = MongoClients.create(server.connectionString());
        rooms = client.getDatabase("rocketchat").getCollection("rocketchat_room");
        BsonDocument oldest;
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = rooms.watch().cursor()) {
            rooms.insertOne(new Document("_id", "first"));
            oldest = next(stream, 1).get(0).getResumeToken();
        }
        List<Document> many = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(new Document("_id", "bulk-" + i));
        }
        BsonDocument recent = null;
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = rooms.watch().cursor()) {
            // a reader that keeps up loses nothing while the oplog is trimmed behind it
            for (int batch = 0; batch < 10; batch++) {
                rooms.insertMany(many.subList(batch * 250, batch * 250 + 250));
                List<ChangeStreamDocument<Document>> events = next(stream, 250);
                assertThat(events.get(0).getDocumentKey().getString("_id").getValue()).isEqualTo("bulk-" + batch * 250);
                if (batch == 6) {
                    recent = events.get(100).getResumeToken();
                }
            }
        }
        rooms.insertOne(new Document("_id", "latest"));
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> kept = rooms.watch().resumeAfter(recent).cursor()) {
            List<ChangeStreamDocument<Document>> events = next(kept, 900);
            assertThat(events.get(0).getDocumentKey().getString("_id").getValue()).isEqualTo("bulk-1601");
            assertThat(events.get(899).getDocumentKey().getString("_id").getValue()).isEqualTo("latest");
        }
        assertThatThrownBy(() -> {
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stale = rooms.watch().resumeAfter(oldest).cursor()) {
                stale.tryNext();
            }
        }).isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(286));
    }

    @Test
    void concurrentWritersAreSeenOnceEachInClusterTimeOrder() throws Exception {
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = rooms.watch().cursor()) {
            int writers = 4;
            int each = 250;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        rooms.insertOne(new Document("_id", writer + "-" + i));
                    }
                });
            }
            pool.shutdown();
            List<ChangeStreamDocument<Document>> events = next(stream, writers * each);
            assertThat(events).extracting(e -> e.getDocumentKey().getString("_id").getValue())
                    .doesNotHaveDuplicates().hasSize(writers * each);
            assertThat(events).extracting(ChangeStreamDocument::getClusterTime).isSorted();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * The next {@code count} events; gives up only when none has come for 30 s (every write is synced to disk, which on
     * a busy machine takes its time, so a fixed deadline for all of them would measure the machine, not the store).
     */
    private static List<ChangeStreamDocument<Document>> next(
            MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream, int count) {
        List<ChangeStreamDocument<Document>> events = new ArrayList<>();
        long stall = TimeUnit.SECONDS.toNanos(30);
        long deadline = System.nanoTime() + stall;
        while (events.size() < count && System.nanoTime() < deadline) {
            ChangeStreamDocument<Document> event = stream.tryNext();
            if (event != null) {
                events.add(event);
                deadline = System.nanoTime() + stall;
            }
        }
        assertThat(events).hasSize(count);
        return events;
    }
}
