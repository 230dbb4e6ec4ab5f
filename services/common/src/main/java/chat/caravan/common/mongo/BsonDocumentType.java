package chat.caravan.common.mongo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store writes a collection's documents to its file: as BSON, the bytes MongoDB keeps, behind a tag
 * byte. H2's default for values it does not know is Java serialization, which wrote each document's class descriptors
 * again and was about a third of the store's CPU under a steady message load (every commit rewrites the pages holding
 * the documents it changed).
 *
 * <p>Files written before keep working: a value without the tag is one H2's {@link ObjectDataType} wrote, and is read by
 * it; it is written back as BSON the next time its page is. A value BSON cannot hold (none the wire protocol brings) is
 * written the old way.
 */
final class BsonDocumentType extends BasicDataType<Document> {

    /** Not a tag of {@link ObjectDataType}'s (they end at 119). */
    static final byte BSON_TAG = 125;
    /** A document's size in memory against its BSON size: what the page cache and page splits account for. */
    private static final int MEMORY_PER_BSON_BYTE = 4;

    private final ObjectDataType legacy = new ObjectDataType();
    private final ThreadLocal<ByteBuf> scratch = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));
    private volatile int averageBsonSize = 512;

    @Override
    public int getMemory(Document document) {
        return averageBsonSize * MEMORY_PER_BSON_BYTE;
    }

    @Override
    public void write(WriteBuffer out, Document document) {
        ByteBuf buffer = scratch.get();
        buffer.clear();
        try {
            BsonEncoder.encodeDocument(document, buffer);
        } catch (RuntimeException notBson) {
            legacy.write(out, document);
            return;
        }
        int size = buffer.readableBytes();
        averageBsonSize = (size + 15 * averageBsonSize) / 16;
        out.put(BSON_TAG);
        out.put(buffer.nioBuffer());
        if (buffer.capacity() > 1 << 20) {
            // one huge document does not keep its buffer for the thread's life
            scratch.remove();
        }
    }

    @Override
    public Document read(ByteBuffer in) {
        if (in.get(in.position()) != BSON_TAG) {
            return (Document) legacy.read(in);
        }
        in.get();
        int size = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        ByteBuffer bson = in.slice();
        bson.limit(size);
        in.position(in.position() + size);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    /** Values are never ordered; MVMap compares them only for equality (replace, remove by value). */
    @Override
    public int compare(Document a, Document b) {
        return a.equals(b) ? 0 : 1;
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }
}
