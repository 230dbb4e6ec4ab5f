package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's oplog is bounded: by bytes on disk as well as by entries, and in memory by a budget of its
 * newest entries, a change stream that fell behind that budget reading on from disk; a {@code $push} records the
 * elements it appended, not the whole array.
 */
class EmbeddedOplogBoundsTest {

    static final long MEMORY = 64 << 10;
    static final long DISK = 1 << 20;
    static final String KILOBYTE = "x".repeat(1000);

    @TempDir
    Path dataDir;

    @Test
    void aStreamBehindTheMemoryWindowReadsEveryChangeInOrderFromDisk() {
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0, 50_000, DISK, MEMORY);
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> messages = client.getDatabase("rocketchat").getCollection("rocketchat_message");
            messages.insertOne(new Document("_id", "seed"));
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = messages.watch().cursor()) {
                for (int batch = 0; batch < 10; batch++) {
                    List<Document> documents = new ArrayList<>();
                    for (int i = batch * 30; i < batch * 30 + 30; i++) {
                        documents.add(new Document("_id", "m" + i).append("msg", KILOBYTE));
                    }
                    messages.insertMany(documents);
                }
                long[] footprint = server.oplogFootprint();
                assertThat(footprint[2]).as("bytes in memory").isLessThanOrEqualTo(MEMORY + 2_000);
                assertThat(footprint[1]).as("bytes on disk").isGreaterThan(300_000);
                List<String> seen = new ArrayList<>();
                while (seen.size() < 300) {
                    ChangeStreamDocument<Document> event = stream.tryNext();
                    if (event != null) {
                        seen.add(event.getDocumentKey().getString("_id").getValue());
                    }
                }
                for (int i = 0; i < 300; i++) {
                    assertThat(seen.get(i)).isEqualTo("m" + i);
                }
            }
        } finally {
            server.close();
        }
    }

    @Test
    void theDiskKeepsNoMoreThanItsBytesAndAStreamFromBeforeThemLearnsHistoryIsLost() {
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0, 50_000, DISK, MEMORY);
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> messages = client.getDatabase("rocketchat").getCollection("rocketchat_message");
            messages.insertOne(new Document("_id", "seed"));
            BsonDocument resumeFromStart;
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = messages.watch().cursor()) {
                messages.insertOne(new Document("_id", "first"));
                ChangeStreamDocument<Document> first = null;
                while (first == null) {
                    first = stream.tryNext();
                }
                resumeFromStart = first.getResumeToken();
            }
            for (int batch = 0; batch < 30; batch++) {
                List<Document> documents = new ArrayList<>();
                for (int i = batch * 100; i < batch * 100 + 100; i++) {
                    documents.add(new Document("_id", "big" + i).append("msg", KILOBYTE));
                }
                messages.insertMany(documents);
            }
            long[] footprint = server.oplogFootprint();
            assertThat(footprint[0]).as("entries kept").isLessThan(3000);
            assertThat(footprint[1]).as("bytes on disk").isLessThanOrEqualTo(DISK);
            assertThatThrownBy(() -> messages.watch().resumeAfter(resumeFromStart).cursor().tryNext())
                    .isInstanceOfSatisfying(MongoCommandException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(MongoShapedOplog.CHANGE_STREAM_HISTORY_LOST));
        } finally {
            server.close();
        }
    }

    @Test
    void aPushRecordsTheAppendedElementsAndBoundsSurviveARestart() {
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0, 50_000, DISK, MEMORY);
        long[] before;
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> sessions = client.getDatabase("rocketchat").getCollection("usersSessions");
            List<Document> many = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                many.add(new Document("id", "c" + i).append("instanceId", KILOBYTE));
            }
            sessions.insertOne(new Document("_id", "u1").append("connections", many));
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = sessions.watch().cursor()) {
                sessions.updateOne(Filters.eq("_id", "u1"), Updates.push("connections", new Document("id", "new")));
                ChangeStreamDocument<Document> event = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (event == null && System.nanoTime() < deadline) {
                    event = stream.tryNext();
                }
                assertThat(event).isNotNull();
                BsonDocument updated = event.getUpdateDescription().getUpdatedFields();
                assertThat(updated.keySet()).containsExactly("connections.100");
                assertThat(updated.getDocument("connections.100").getString("id").getValue()).isEqualTo("new");
            }
            before = server.oplogFootprint();
        } finally {
            server.close();
        }
        // reopened after a clean stop (the entries' sizes come with the index snapshot), then as after a crash (read back)
        for (boolean crash : new boolean[] {false, true}) {
            if (crash) {
                StoreFiles.deleteIndexSnapshot(dataDir);
            }
            EmbeddedMongoServer reopened = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0, 50_000, DISK, MEMORY);
            try {
                long[] footprint = reopened.oplogFootprint();
                assertThat(footprint[0]).as("entries kept").isEqualTo(before[0]).isGreaterThanOrEqualTo(2);
                assertThat(footprint[1]).as("their bytes").isEqualTo(before[1]);
                assertThat(footprint[2]).isLessThanOrEqualTo(MEMORY + 120_000);
            } finally {
                reopened.close();
            }
        }
    }
}
