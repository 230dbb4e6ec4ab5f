package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Random;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Filters;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GridFS, as Rocket.Chat lays it out ({@code rocketchat_uploads.files} and {@code .chunks}), works on the embedded
 * store: a file written in chunks reads back byte for byte, from an offset too, survives a restart, and deleting it
 * leaves no chunk behind.
 */
class EmbeddedGridFsTest {

    @TempDir
    Path dataDir;

    EmbeddedMongoServer server;
    MongoClient client;
    GridFSBucket bucket;
    MongoDatabase database;

    @BeforeEach
    void start() {
        open();
    }

    private void open() {
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        client = MongoClients.create(server.connectionString());
        database = client.getDatabase("rocketchat");
        bucket = GridFSBuckets.create(database, "rocketchat_uploads");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aFileWrittenInChunksReadsBackWholeAndFromAnOffsetAndAfterARestart() throws Exception {
        byte[] bytes = new byte[600_000];
        new Random(7).nextBytes(bytes);
        try (OutputStream out = bucket.openUploadStream(new BsonString("file-1"), "big.bin",
                new GridFSUploadOptions().chunkSizeBytes(255 * 1024))) {
            for (int i = 0; i < bytes.length; i += 10_000) {
                out.write(bytes, i, Math.min(10_000, bytes.length - i));
            }
        }
        assertThat(database.getCollection("rocketchat_uploads.chunks").countDocuments(Filters.eq("files_id", "file-1")))
                .isEqualTo(3);
        assertThat(read(bucket.openDownloadStream(new BsonString("file-1")), 0)).isEqualTo(bytes);

        stop();
        open();
        byte[] tail = read(bucket.openDownloadStream(new BsonString("file-1")), 300_000);
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(bytes, 300_000, bytes.length));
        Document file = database.getCollection("rocketchat_uploads.files").find(Filters.eq("_id", "file-1")).first();
        assertThat(file.get("length", Number.class).longValue()).isEqualTo(bytes.length);

        bucket.delete(new BsonString("file-1"));
        assertThat(database.getCollection("rocketchat_uploads.chunks").countDocuments()).isZero();
        assertThat(database.getCollection("rocketchat_uploads.files").countDocuments()).isZero();
    }

    private static byte[] read(InputStream in, long skip) throws Exception {
        try (in) {
            in.skipNBytes(skip);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
