package chat.caravan.core.files;

import java.io.IOException;
import java.io.InputStream;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSDownloadStream;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import org.bson.BsonString;
import org.bson.Document;

/**
 * Rocket.Chat's default store: GridFS in the same database, {@code rocketchat_uploads.files} / {@code .chunks} and
 * {@code rocketchat_avatars.*}, file ids as strings as Rocket.Chat writes them.
 */
public class GridFsFileStore implements FileStore {

    static final int CHUNK_BYTES = 255 * 1024;

    private final MongoDatabase database;

    public GridFsFileStore(MongoDatabase database) {
        this.database = database;
    }

    @Override
    public String type() {
        return "GridFS";
    }

    private GridFSBucket bucket(Bucket bucket) {
        return GridFSBuckets.create(database, bucket.collection());
    }

    @Override
    public long write(Bucket bucket, String id, String name, String contentType, InputStream content) throws IOException {
        GridFSUploadOptions options = new GridFSUploadOptions().chunkSizeBytes(CHUNK_BYTES)
                .metadata(new Document("contentType", contentType));
        GridFSUploadStream out = bucket(bucket).openUploadStream(new BsonString(id), name, options);
        long written = 0;
        try {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = content.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                written += n;
            }
            out.close();
            return written;
        } catch (IOException | RuntimeException e) {
            // the chunks written so far go with the aborted upload
            out.abort();
            throw e;
        }
    }

    @Override
    public InputStream read(Bucket bucket, String id, long offset) {
        GridFSDownloadStream in;
        try {
            in = bucket(bucket).openDownloadStream(new BsonString(id));
        } catch (MongoGridFSException e) {
            return null;
        }
        if (offset > 0) {
            in.skip(offset);
        }
        return in;
    }

    @Override
    public void delete(Bucket bucket, String id) {
        try {
            bucket(bucket).delete(new BsonString(id));
        } catch (MongoGridFSException e) {
            // not stored: nothing to remove
        }
    }
}
