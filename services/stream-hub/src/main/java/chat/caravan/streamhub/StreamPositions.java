package chat.caravan.streamhub;

import java.util.Date;

import chat.caravan.common.mongo.WriteDurability;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.BsonDocument;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Where each change stream stands: the resume token of the last event published and confirmed by the bus, kept in
 * MongoDB ({@code caravan_stream_positions}) so a restarted or newly elected publisher continues from there.
 *
 * <p>A position is saved without waiting for its sync ({@link WriteDurability#deferred}): it rides on the next commit
 * of the store, and after a crash the publisher resumes from the last one on disk and sends the few events since
 * then again (delivery is at least once either way), instead of the store syncing once per save.
 */
@Component
public class StreamPositions {

    static final String POSITIONS = "caravan_stream_positions";

    private final MongoCollection<Document> positions;

    public StreamPositions(MongoDatabase database, WriteDurability durability) {
        this.positions = durability.deferred(database.getCollection(POSITIONS));
    }

    public BsonDocument load(String collection) {
        Document position = positions.find(Filters.eq("_id", collection)).first();
        if (position == null || position.getString("resumeToken") == null) {
            return null;
        }
        return BsonDocument.parse(position.getString("resumeToken"));
    }

    /** Forgets a position the store can no longer resume from, so the next follow starts from now. */
    public void forget(String collection) {
        positions.deleteOne(Filters.eq("_id", collection));
    }

    public void save(String collection, BsonDocument resumeToken, String holder) {
        positions.replaceOne(Filters.eq("_id", collection), new Document("_id", collection)
                        .append("resumeToken", resumeToken.toJson()).append("savedBy", holder).append("savedAt", new Date()),
                new ReplaceOptions().upsert(true));
    }
}
