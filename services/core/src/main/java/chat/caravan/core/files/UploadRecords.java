package chat.caravan.core.files;

import java.util.Date;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** The {@code rocketchat_uploads} collection: one record per stored upload, shaped as Rocket.Chat's IUpload. */
@Component
public class UploadRecords {

    public static final String COLLECTION = FileStore.Bucket.UPLOADS.collection();
    public static final String ID = "_id";
    public static final String NAME = "name";
    public static final String SIZE = "size";
    public static final String TYPE = "type";
    public static final String ROOM_ID = "rid";
    public static final String USER_ID = "userId";
    public static final String STORE = "store";
    public static final String COMPLETE = "complete";
    public static final String UPLOADED_AT = "uploadedAt";
    public static final String UPDATED_AT = "_updatedAt";
    public static final String ETAG = "etag";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String IDENTIFY = "identify";
    public static final String TYPE_GROUP = "typeGroup";
    public static final String DESCRIPTION = "description";
    public static final String ORIGINAL_FILE_ID = "originalFileId";

    private final MongoDatabase database;

    public UploadRecords(MongoDatabase database) {
        this.database = database;
        // the sweep of unconfirmed uploads and the room file lists read by these
        collection().createIndex(com.mongodb.client.model.Indexes.ascending(EXPIRES_AT),
                new com.mongodb.client.model.IndexOptions().sparse(true));
        collection().createIndex(com.mongodb.client.model.Indexes.ascending("rid", "uploadedAt"));
    }

    public MongoCollection<Document> collection() {
        return database.getCollection(COLLECTION);
    }

    public Document find(String id) {
        return id == null ? null : collection().find(Filters.eq(ID, id)).first();
    }

    public void insert(Document record) {
        collection().insertOne(record);
    }

    public void remove(String id) {
        collection().deleteOne(Filters.eq(ID, id));
    }

    /** Temporary uploads ({@code rooms.media}) never confirmed within their day. */
    public Iterable<Document> expired(int limit) {
        return collection().find(Filters.lt(EXPIRES_AT, new Date())).limit(limit);
    }
}
