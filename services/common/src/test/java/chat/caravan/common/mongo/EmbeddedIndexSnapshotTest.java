package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's indexes saved at a clean stop are loaded at the next open only when they describe exactly the
 * data the store holds: never after a write the snapshot does not have, whether the process stopped cleanly after it
 * or died, nor from a damaged file. Each way, the indexes answer what the documents say.
 */
class EmbeddedIndexSnapshotTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path crashCopy;

    @Test
    void aCleanStopSavesTheIndexesAndTheNextOpenLoadsThemInsteadOfReadingTheDocuments() {
        try (Store store = new Store(dataDir)) {
            store.fill();
            assertThat(store.server.restoredIndexes()).as("a new store has nothing to load").isZero();
        }
        assertThat(snapshot(dataDir)).exists();
        try (Store store = new Store(dataDir)) {
            assertThat(store.server.restoredIndexes()).as("messages: _id, (rid, ts), ref, n, tags; subscriptions: _id, (rid, u._id)")
                    .isEqualTo(7);
            assertThat(snapshot(dataDir)).as("used once: the store may change from here on").doesNotExist();
            store.assertAnswersMatchTheDocuments();
            // the loaded indexes keep up with writes as built ones do
            store.messages.insertOne(message(2900, "r1"));
            store.messages.updateOne(Filters.eq("_id", "m0010"), Updates.set("rid", "r2"));
            store.messages.deleteOne(Filters.eq("_id", "m0020"));
            store.subscriptions.updateMany(Filters.eq("rid", "r3"), Updates.set("alert", true));
            store.assertAnswersMatchTheDocuments();
        }
        try (Store store = new Store(dataDir)) {
            assertThat(store.server.restoredIndexes()).isEqualTo(7);
            store.assertAnswersMatchTheDocuments();
            assertThat(store.messages.find(Filters.eq("rid", "r2")).into(new ArrayList<>()))
                    .extracting(d -> d.get("_id")).contains("m0010");
        }
    }

    @Test
    void aStoreThatDiedAfterWritesRebuildsItsIndexesEvenWithTheSnapshotFileStillThere() throws IOException {
        try (Store store = new Store(dataDir)) {
            store.fill();
        }
        Path stale = crashCopy.resolve("stale.indexes");
        Files.copy(snapshot(dataDir), stale);
        try (Store store = new Store(dataDir)) {
            assertThat(store.server.restoredIndexes()).isEqualTo(7);
            store.messages.insertOne(message(2901, "r9"));
            store.messages.updateOne(Filters.eq("_id", "m0030"), Updates.set("rid", "r9"));
            store.messages.deleteOne(Filters.eq("_id", "m0040"));
            // the process dies here: its file as the OS holds it, and the old snapshot file beside it
            Files.copy(dataDir.resolve(EmbeddedMongoServer.DATA_FILE), crashCopy.resolve(EmbeddedMongoServer.DATA_FILE));
            Files.copy(dataDir.resolve(StoreCredentials.FILE), crashCopy.resolve(StoreCredentials.FILE));
            Files.copy(stale, snapshot(crashCopy));
        }
        try (Store recovered = new Store(crashCopy)) {
            assertThat(recovered.server.restoredIndexes()).as("the snapshot's token left the store with the first write")
                    .isZero();
            assertThat(recovered.messages.find(Filters.eq("rid", "r9")).into(new ArrayList<>()))
                    .extracting(d -> d.get("_id")).containsExactlyInAnyOrder("m2901", "m0030");
            assertThat(recovered.messages.find(Filters.eq("_id", "m0040")).first()).isNull();
            recovered.assertAnswersMatchTheDocuments();
        }
    }

    @Test
    void aSnapshotFromEarlierDataOrDamagedIsNotLoaded() throws IOException {
        try (Store store = new Store(dataDir)) {
            store.fill();
        }
        Path earlier = crashCopy.resolve("earlier.indexes");
        Files.copy(snapshot(dataDir), earlier);
        try (Store store = new Store(dataDir)) {
            store.messages.insertOne(message(2902, "r8"));
        }
        // the snapshot of the first stop put back beside the data of the second
        Files.copy(earlier, snapshot(dataDir), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Store store = new Store(dataDir)) {
            assertThat(store.server.restoredIndexes()).isZero();
            assertThat(store.messages.find(Filters.eq("rid", "r8")).into(new ArrayList<>()))
                    .extracting(d -> d.get("_id")).containsExactly("m2902");
            store.assertAnswersMatchTheDocuments();
        }
        // a snapshot damaged on disk (one byte in its middle changed)
        byte[] bytes = Files.readAllBytes(snapshot(dataDir));
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(snapshot(dataDir), bytes);
        try (Store store = new Store(dataDir)) {
            assertThat(store.server.restoredIndexes()).isZero();
            store.assertAnswersMatchTheDocuments();
        }
    }

    @Test
    void noSnapshotIsSavedWhenAWriteRunsOrBeginsWhileItIsTaken() {
        Path file = dataDir.resolve("alone.indexes");
        org.h2.mvstore.MVStore store = org.h2.mvstore.MVStore.open(null);
        try {
            java.util.Iterator<Long> stamps = List.of(7L, 8L).iterator();
            assertThat(IndexSnapshot.save(store, file, List.of(), () -> null, stamps::next)).as("a write began meanwhile").isFalse();
            assertThat(file).doesNotExist();
            assertThat(IndexSnapshot.save(store, file, List.of(), () -> null, () -> -1)).as("a write is running").isFalse();
            assertThat(store.<String, String>openMap(IndexSnapshot.TOKEN_MAP)).as("no token").isEmpty();
            assertThat(IndexSnapshot.save(store, file, List.of(), () -> null, () -> 8)).as("quiet").isTrue();
            assertThat(file).exists();
            assertThat(store.<String, String>openMap(IndexSnapshot.TOKEN_MAP)).hasSize(1);
        } finally {
            store.close();
        }
    }

    private static Path snapshot(Path dir) {
        return StoreFiles.indexSnapshot(dir);
    }

    private static Document message(int i, String rid) {
        // values of the types the services store: strings, dates, numbers, sub-documents, arrays, ObjectIds
        return new Document("_id", String.format("m%04d", i)).append("rid", rid)
                .append("ts", Date.from(Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L)))
                .append("u", new Document("_id", "u" + (i % 7)).append("username", "user" + (i % 7)))
                .append("n", i % 3 == 0 ? (Object) (long) i : i % 3 == 1 ? (Object) i : (Object) (i + 0.5))
                .append("tags", List.of("t" + (i % 4), "t" + (i % 5)))
                .append("ref", new ObjectId(String.format("%024x", i)));
    }

    /** A store with a message-like collection and a subscription-like one, and the checks made on both. */
    private static final class Store implements AutoCloseable {
        final EmbeddedMongoServer server;
        final MongoClient client;
        final MongoCollection<Document> messages;
        final MongoCollection<Document> subscriptions;

        Store(Path dir) {
            server = EmbeddedMongoServer.start(dir, "127.0.0.1", 0);
            client = MongoClients.create(server.connectionString());
            messages = client.getDatabase("rocketchat").getCollection("messages");
            subscriptions = client.getDatabase("rocketchat").getCollection("subscriptions");
        }

        void fill() {
            messages.createIndex(Indexes.ascending("rid", "ts"));
            messages.createIndex(Indexes.ascending("ref"), new IndexOptions().unique(true));
            messages.createIndex(Indexes.ascending("n"));
            messages.createIndex(Indexes.ascending("tags"));
            subscriptions.createIndex(Indexes.ascending("rid", "u._id"), new IndexOptions().unique(true));
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                batch.add(message(i, "r" + (i % 6)));
            }
            messages.insertMany(batch);
            for (int r = 0; r < 6; r++) {
                for (int u = 0; u < 7; u++) {
                    subscriptions.insertOne(new Document("_id", "s" + r + u).append("rid", "r" + r)
                            .append("u", new Document("_id", "u" + u)).append("alert", false));
                }
            }
        }

        /** Every index lookup answers what filtering all the documents answers. */
        void assertAnswersMatchTheDocuments() {
            List<Document> all = messages.find().into(new ArrayList<>());
            long scansBefore = scans();
            for (int r = 0; r < 10; r++) {
                String rid = "r" + r;
                assertThat(ids(messages.find(Filters.eq("rid", rid)))).as(rid)
                        .isEqualTo(ids(all.stream().filter(d -> rid.equals(d.get("rid"))).toList()));
            }
            for (Document document : all.subList(0, Math.min(all.size(), 50))) {
                assertThat(messages.find(Filters.eq("_id", document.get("_id"))).first()).isEqualTo(document);
                assertThat(messages.find(Filters.eq("ref", document.get("ref"))).first()).isEqualTo(document);
                assertThat(ids(messages.find(Filters.and(Filters.eq("rid", document.get("rid")),
                        Filters.eq("ts", document.get("ts")))))).containsExactly(document.get("_id"));
            }
            for (Object n : List.of(3, 3L, 4.5, 1001.5)) {
                assertThat(ids(messages.find(Filters.eq("n", n)))).as("n " + n).isEqualTo(ids(all.stream()
                        .filter(d -> ((Number) d.get("n")).doubleValue() == ((Number) n).doubleValue()).toList()));
            }
            for (int t = 0; t < 5; t++) {
                String tag = "t" + t;
                assertThat(ids(messages.find(Filters.eq("tags", tag)))).as(tag).isEqualTo(ids(all.stream()
                        .filter(d -> ((List<?>) d.get("tags")).contains(tag)).toList()));
            }
            List<Document> subs = subscriptions.find().into(new ArrayList<>());
            for (int r = 0; r < 6; r++) {
                String rid = "r" + r;
                assertThat(ids(subscriptions.find(Filters.eq("rid", rid)))).as(rid)
                        .isEqualTo(ids(subs.stream().filter(d -> rid.equals(d.get("rid"))).toList()));
                assertThat(ids(subscriptions.find(Filters.and(Filters.eq("rid", rid), Filters.eq("u._id", "u3")))))
                        .containsExactly("s" + r + "3");
            }
            assertThat(scans()).as("every lookup above was served by an index").isEqualTo(scansBefore);
        }

        private static long scans() {
            java.util.concurrent.atomic.LongAdder scans = ScanReportingCollection.SCANS.get("messages");
            return scans == null ? 0 : scans.sum();
        }

        private static List<Object> ids(Iterable<Document> documents) {
            List<Object> ids = new ArrayList<>();
            documents.forEach(d -> ids.add(d.get("_id")));
            ids.sort(java.util.Comparator.comparing(Object::toString));
            return ids;
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
