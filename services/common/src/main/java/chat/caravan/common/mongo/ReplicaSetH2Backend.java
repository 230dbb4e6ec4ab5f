package chat.caravan.common.mongo;

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

    public ReplicaSetH2Backend(String fileName) {
        super(fileName);
    }

    /** Change events shaped like MongoDB's (see {@link MongoShapedOplog}). */
    @Override
    protected Oplog createOplog() {
        return new MongoShapedOplog(super.createOplog(), this, getCursorRegistry());
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
