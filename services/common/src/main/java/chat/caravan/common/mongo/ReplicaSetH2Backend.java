package chat.caravan.common.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;

/**
 * The H2 backend of the embedded store, answering the handshake like the primary of a one-member replica set: it
 * serves change streams (shaped like MongoDB's), so services pointed at it through MONGO_URL pass the replica-set
 * check that a real MongoDB must pass.
 */
public class ReplicaSetH2Backend extends H2Backend {

    /** The replica-set name the embedded store reports. */
    public static final String SET_NAME = "caravan";

    /** The MVStore map holding the oplog. */
    static final String OPLOG_MAP = "caravan.oplog";

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

    /** Change events shaped like MongoDB's, from a capped oplog kept in its own map (see {@link MongoShapedOplog}). */
    @Override
    protected Oplog createOplog() {
        MVMap<Long, Document> stored = getMvStore().openMap(OPLOG_MAP);
        return new MongoShapedOplog(this, stored, getCursorRegistry(), oplogEntries);
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
