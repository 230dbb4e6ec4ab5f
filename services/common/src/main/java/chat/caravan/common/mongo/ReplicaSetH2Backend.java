package chat.caravan.common.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * The H2 backend of the embedded store, answering the handshake like the primary of a one-member replica set: it
 * serves change streams (shaped like MongoDB's), so services pointed at it through MONGO_URL pass the replica-set
 * check that a real MongoDB must pass.
 */
public class ReplicaSetH2Backend extends H2Backend {

    /** The replica-set name the embedded store reports. */
    public static final String SET_NAME = "caravan";

    private final int oplogEntries;

    /** A store in {@code fileName} whose oplog keeps the newest {@code oplogEntries} changes. */
    public ReplicaSetH2Backend(String fileName, int oplogEntries) {
        super(fileName);
        this.oplogEntries = oplogEntries;
    }

    /** Databases whose non-unique indexes serve queries (mongo-java-server ignores them). */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new IndexedH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** Change events shaped like MongoDB's, from a capped oplog (see {@link MongoShapedOplog}). */
    @Override
    protected Oplog createOplog() {
        MongoDatabase local = resolveDatabase("local");
        MongoCollection<?> collection = local.resolveCollection(OPLOG_COLLECTION_NAME, false);
        if (collection == null) {
            collection = local.createCollectionOrThrowIfExists(OPLOG_COLLECTION_NAME);
        }
        @SuppressWarnings("unchecked") // the oplog collection holds documents
        MongoCollection<Document> entries = (MongoCollection<Document>) collection;
        return new MongoShapedOplog(this, entries, getCursorRegistry(), oplogEntries);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        boolean handshake = command.equalsIgnoreCase("hello") || command.equalsIgnoreCase("isMaster");
        Document reply = super.handleCommand(channel, database, handshake ? "isMaster" : command, query);
        if (handshake && reply != null) {
            reply.put("setName", SET_NAME);
            reply.put("isWritablePrimary", Boolean.TRUE);
        }
        return reply;
    }
}
