package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store keeps documents as BSON in its file ({@link BsonDocumentType}): every kind of value comes back as it
 * went in after a restart, and a file whose documents an earlier build wrote with Java serialization still opens.
 */
class EmbeddedDocumentFormatTest {

    private static final String MAP = "databases.rocketchat.things";

    @TempDir
    Path dataDir;

    @Test
    void everyKindOfValueSurvivesARestart() {
        Document written = sample("a");
        withServer(things -> things.insertOne(written));
        withServer(things -> assertThat(things.find(Filters.eq("_id", "a")).first()).isEqualTo(written));
        // the data size is measured when asked, no longer kept on every write
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            Document stats = client.getDatabase("rocketchat").runCommand(new Document("collStats", "things"));
            int bsonSize = new RawBsonDocument(written, new DocumentCodec()).getByteBuffer().remaining();
            assertThat(stats.get("size", Number.class).intValue()).isEqualTo(bsonSize);
        } finally {
            server.close();
        }
        try (MVStore store = openFile()) {
            ByteBuffer raw = rawValue(store, "a");
            assertThat(raw.get()).as("stored as tagged BSON").isEqualTo(BsonDocumentType.BSON_TAG);
        }
    }

    @Test
    void documentsWrittenByJavaSerializationStillReadAndAreRewrittenAsBson() {
        withServer(things -> {
            things.insertOne(sample("old-1"));
            things.insertOne(sample("old-2"));
        });
        // what an earlier build left: the same documents, Java-serialized by H2's default value type
        try (MVStore store = openFile()) {
            MVMap<Object, de.bwaldvogel.mongo.bson.Document> data = store.openMap(MAP,
                    new MVMap.Builder<Object, de.bwaldvogel.mongo.bson.Document>().valueType(new LegacyWriter()));
            for (Object key : new ArrayList<>(data.keySet())) {
                data.put(key, data.get(key));
            }
            store.commit();
        }
        try (MVStore store = openFile()) {
            assertThat(rawValue(store, "old-1").get()).as("legacy form").isNotEqualTo(BsonDocumentType.BSON_TAG);
        }
        try (MVStore store = openFile()) {
            MVMap<Object, Object> plain = store.openMap(MAP);
            assertThat(plain.get("old-1")).as("readable by H2's own type").isInstanceOf(de.bwaldvogel.mongo.bson.Document.class);
        }

        withServer(things -> {
            assertThat(things.find(Filters.eq("_id", "old-1")).first()).isEqualTo(sample("old-1"));
            assertThat(things.find(Filters.eq("tags", "two")).into(new ArrayList<>())).hasSize(2);
            things.updateOne(Filters.eq("_id", "old-2"), Updates.set("count", 8));
            things.insertOne(sample("new"));
        });
        withServer(things -> {
            assertThat(things.find(Filters.eq("_id", "old-1")).first()).isEqualTo(sample("old-1"));
            assertThat(things.find(Filters.eq("_id", "old-2")).first().getInteger("count")).isEqualTo(8);
            assertThat(things.find(Filters.eq("_id", "new")).first()).isEqualTo(sample("new"));
        });
    }

    private static Document sample(String id) {
        return new Document("_id", id).append("count", 7).append("big", 1L << 40).append("ratio", 0.25)
                .append("flag", true).append("nothing", null).append("at", new Date(1_700_000_000_123L))
                .append("oid", new ObjectId("0123456789abcdef01234567")).append("bytes", new Binary(new byte[] {1, 2, 3}))
                .append("u", new Document("_id", "u1").append("username", "ünïcode ✓"))
                .append("tags", List.of("one", "two")).append("nested", List.of(new Document("k", List.of(1, 2))));
    }

    private interface Work {
        void on(MongoCollection<Document> things);
    }

    private void withServer(Work work) {
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(server.connectionString())) {
            work.on(client.getDatabase("rocketchat").getCollection("things"));
        } finally {
            server.close();
        }
    }

    private MVStore openFile() {
        return new MVStore.Builder().fileName(dataDir.resolve(EmbeddedMongoServer.DATA_FILE).toString()).open();
    }

    /** The bytes a value is stored as, read through a value type that keeps them raw (on a store just opened). */
    private static ByteBuffer rawValue(MVStore store, String key) {
        MVMap<Object, ByteBuffer> view = store.openMap(MAP, new MVMap.Builder<Object, ByteBuffer>().valueType(new Raw()));
        return view.get(key);
    }

    /** Reads whatever {@link BsonDocumentType} reads, writes the way H2's default value type does. */
    private static final class LegacyWriter extends BasicDataType<de.bwaldvogel.mongo.bson.Document> {
        private final BsonDocumentType reader = new BsonDocumentType();
        private final ObjectDataType writer = new ObjectDataType();

        @Override
        public int getMemory(de.bwaldvogel.mongo.bson.Document document) {
            return 1024;
        }

        @Override
        public void write(WriteBuffer out, de.bwaldvogel.mongo.bson.Document document) {
            writer.write(out, document);
        }

        @Override
        public de.bwaldvogel.mongo.bson.Document read(ByteBuffer in) {
            return reader.read(in);
        }

        @Override
        public de.bwaldvogel.mongo.bson.Document[] createStorage(int size) {
            return new de.bwaldvogel.mongo.bson.Document[size];
        }
    }

    /** A value's stored bytes: the tag and what follows (one value per page read is enough here). */
    private static final class Raw extends BasicDataType<ByteBuffer> {
        @Override
        public int getMemory(ByteBuffer value) {
            return value.capacity();
        }

        @Override
        public void write(WriteBuffer out, ByteBuffer value) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public ByteBuffer read(ByteBuffer in) {
            ByteBuffer copy = in.slice();
            // a value's length is not known to this type: consume it with the real reader, keep the bytes it spanned
            int start = in.position();
            new BsonDocumentType().read(in);
            copy.limit(in.position() - start);
            return copy;
        }

        @Override
        public ByteBuffer[] createStorage(int size) {
            return new ByteBuffer[size];
        }
    }
}
