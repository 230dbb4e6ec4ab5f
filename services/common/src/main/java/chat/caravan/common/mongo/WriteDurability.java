package chat.caravan.common.mongo;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

/**
 * How a request that makes several writes pays for durability once. On the embedded store every write waits for its
 * own sync by default (see {@link GroupCommit}); a request's intermediate writes can go {@link #deferred} (applied and
 * acknowledged at once, synced by the next commit) and the request ends with {@link #sync()}, one barrier that
 * answers when everything written before it is on disk. So what a client is told is stored is on disk, at the price
 * of one sync per request rather than one per write.
 *
 * <p>On a real MongoDB both are no-ops: each write keeps the write concern of MONGO_URL, and MongoDB's journal groups
 * the commits itself.
 */
public final class WriteDurability {

    /** The field the embedded store's handshake carries: it honours {@code {j: false}} and {@code fsync} as above. */
    static final String HELLO_FIELD = "caravanGroupCommit";
    private static final WriteConcern DEFERRED = WriteConcern.W1.withJournal(false);

    private final MongoClient client;
    private final boolean groupCommit;

    WriteDurability(MongoClient client) {
        this.client = client;
        this.groupCommit = Boolean.TRUE.equals(MongoConfiguration.hello(client).get(HELLO_FIELD));
    }

    /** Whether the store is Caravan's embedded one, with its group commit. */
    public boolean isGroupCommit() {
        return groupCommit;
    }

    /** {@code collection}, its writes acknowledged before they are synced: the request must end with {@link #sync()}. */
    public <T> MongoCollection<T> deferred(MongoCollection<T> collection) {
        return groupCommit ? collection.withWriteConcern(DEFERRED) : collection;
    }

    /** Returns once every write this request made (and any other before it) is on disk. */
    public void sync() {
        if (groupCommit) {
            client.getDatabase("admin").runCommand(new Document("fsync", 1));
        }
    }
}
