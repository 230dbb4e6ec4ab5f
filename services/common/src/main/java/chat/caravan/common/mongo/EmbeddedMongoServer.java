package chat.caravan.common.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB-compatible server Caravan runs when MONGO_URL is unset: mongo-java-server on its H2 backend, keeping
 * its data in one file under the data directory so it survives a restart, with its oplog on so change streams work.
 */
public class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongoServer.class);
    static final String DATA_FILE = "caravan-mongo.mv";
    /**
     * Netty event loops serving connections. mongo-java-server runs each command on its connection's event loop, so
     * a long command (an updateMany over a thousand subscriptions) stalls every connection sharing that loop, such as
     * the change stream that should deliver the message just written. Connections are spread round-robin: with more
     * loops than the drivers' pooled connections, no two share one. An idle loop costs a parked thread.
     */
    static final int WORKER_THREADS = 64;

    private final H2Backend backend;
    private final MongoServer server;
    private final String connectionString;

    private EmbeddedMongoServer(H2Backend backend, MongoServer server, String connectionString) {
        this.backend = backend;
        this.server = server;
        this.connectionString = connectionString;
    }

    /** The changes the oplog keeps by default: how far behind a change stream may fall and still resume. */
    public static final int DEFAULT_OPLOG_ENTRIES = 50_000;

    /** Starts on {@code host:port} (port 0 picks a free one) with its data under {@code dataDir}. */
    public static EmbeddedMongoServer start(Path dataDir, String host, int port) {
        return start(dataDir, host, port, DEFAULT_OPLOG_ENTRIES);
    }

    /** As {@link #start(Path, String, int)}, the oplog keeping the newest {@code oplogEntries} changes. */
    public static EmbeddedMongoServer start(Path dataDir, String host, int port, int oplogEntries) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve(DATA_FILE).toAbsolutePath();
        H2Backend backend = new ReplicaSetH2Backend(file.toString(), oplogEntries);
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        server.bind(new InetSocketAddress(host, port), 0, WORKER_THREADS);
        String connectionString = "mongodb://" + host + ":" + server.getLocalAddress().getPort();
        LOG.info("Embedded MongoDB-compatible server on {} with data in {}", connectionString, file);
        return new EmbeddedMongoServer(backend, server, connectionString);
    }

    public String connectionString() {
        return connectionString;
    }

    public int port() {
        return server.getLocalAddress().getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        backend.close();
    }
}
