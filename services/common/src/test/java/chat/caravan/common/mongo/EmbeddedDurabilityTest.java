package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write is on disk when its reply arrives: a copy of the data file taken right after the replies,
 * while the server still runs (what a crash leaves behind), holds every one of them.
 */
class EmbeddedDurabilityTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path crashCopy;

    @Test
    void theFileHoldsEveryAcknowledgedWriteTheMomentItIsAcknowledged() throws Exception {
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> messages = client.getDatabase("rocketchat").getCollection("rocketchat_message");
            ExecutorService writers = Executors.newFixedThreadPool(16);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String id = "w" + writer + "-" + i;
                        messages.insertOne(new Document("_id", id).append("msg", "hello"));
                        if (i % 4 == 0) {
                            messages.updateOne(Filters.eq("_id", id), Updates.set("msg", "edited"));
                        }
                        if (i % 8 == 0) {
                            messages.deleteOne(Filters.eq("_id", id));
                        }
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writers.shutdown();
            // the process "dies" now: its file as the OS holds it, before any shutdown or timed commit
            copyDataFile();
            GroupCommit commits = server.commits();
            assertThat(commits.syncs()).as("concurrent writers share syncs").isLessThan(commits.writes());
        } finally {
            server.close();
        }
        EmbeddedMongoServer recovered = EmbeddedMongoServer.start(crashCopy, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(recovered.connectionString())) {
            MongoCollection<Document> messages = client.getDatabase("rocketchat").getCollection("rocketchat_message");
            assertThat(messages.countDocuments()).isEqualTo(16 * 35);
            assertThat(messages.countDocuments(Filters.eq("msg", "edited"))).isEqualTo(16 * 5);
            assertThat(messages.find(Filters.eq("_id", "w3-8")).first()).as("deleted").isNull();
            assertThat(messages.find(Filters.eq("_id", "w3-39")).first()).isNotNull();
        } finally {
            recovered.close();
        }
    }

    @Test
    void deferredWritesAreOnDiskOnceTheBarrierAfterThemAnswers() throws Exception {
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            WriteDurability durability = new WriteDurability(client);
            assertThat(durability.isGroupCommit()).isTrue();
            MongoCollection<Document> messages = durability.deferred(
                    client.getDatabase("rocketchat").getCollection("rocketchat_message"));
            GroupCommit commits = server.commits();
            long syncs = commits.syncs();
            for (int i = 0; i < 20; i++) {
                messages.insertOne(new Document("_id", "d" + i).append("msg", "hello"));
                messages.updateOne(Filters.eq("_id", "d" + i), Updates.set("msg", "edited"));
            }
            assertThat(commits.syncs()).as("deferred writes wait for no sync").isEqualTo(syncs);
            durability.sync();
            assertThat(commits.syncs()).as("one barrier, one sync").isEqualTo(syncs + 1);
            copyDataFile();
            durability.sync();
            assertThat(commits.syncs()).as("a barrier with nothing new to sync syncs nothing").isEqualTo(syncs + 1);
        } finally {
            server.close();
        }
        EmbeddedMongoServer recovered = EmbeddedMongoServer.start(crashCopy, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(recovered.connectionString())) {
            MongoCollection<Document> messages = client.getDatabase("rocketchat").getCollection("rocketchat_message");
            assertThat(messages.countDocuments(Filters.eq("msg", "edited"))).isEqualTo(20);
        } finally {
            recovered.close();
        }
    }

    private void copyDataFile() throws IOException {
        Files.copy(dataDir.resolve(EmbeddedMongoServer.DATA_FILE), crashCopy.resolve(EmbeddedMongoServer.DATA_FILE));
    }
}
