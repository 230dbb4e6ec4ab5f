package chat.caravan.common.mongo;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.exception.CursorNotFoundException;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend of the embedded store, answering the handshake like the primary of a one-member replica set: it
 * serves change streams (shaped like MongoDB's), so services pointed at it through MONGO_URL pass the replica-set
 * check that a real MongoDB must pass. Every command that may write answers only once its changes are on disk (see
 * {@link GroupCommit}), so an acknowledged write survives a crash of the process or the machine.
 */
public class ReplicaSetH2Backend extends H2Backend {

    /** The replica-set name the embedded store reports. */
    public static final String SET_NAME = "caravan";

    /** The MVStore map holding the oplog. */
    static final String OPLOG_MAP = "caravan.oplog";

    /** Commands that never change data: they answer without waiting for a commit. */
    private static final Set<String> READ_ONLY = Set.of("find", "getmore", "count", "distinct", "listcollections",
            "listindexes", "listdatabases", "hello", "ismaster", "ping", "buildinfo", "whatsmyuri", "serverstatus",
            "killcursors", "endsessions", "getparameter", "dbstats", "collstats", "getlasterror", "connectionstatus",
            "hostinfo", "getcmdlineopts", "getlog", "getfreemonitoringstatus", "saslstart", "saslcontinue");

    /** How long a change stream's getMore waits for a change when it names no maxTimeMS (MongoDB's default). */
    private static final long DEFAULT_AWAIT_MILLIS = 1000;
    /** The longest a getMore waits, whatever it asks. */
    private static final long MAX_AWAIT_MILLIS = 10_000;

    /** The index snapshot read while the backend is being constructed (H2Backend opens its databases then). */
    private static final ThreadLocal<IndexSnapshot> SNAPSHOT = new ThreadLocal<>();

    private final int oplogEntries;
    private final long oplogBytes;
    private final long oplogMemory;
    private MongoShapedOplog oplog;
    /** Every connection logs in with the store's account before it reads or writes. */
    private final ScramAuthentication authentication;
    private final GroupCommit commits;
    /** Where the indexes are saved at a clean stop (see {@link IndexSnapshot}). */
    private Path snapshotFile;
    /** The sizes of the oplog's entries the snapshot the store opened with kept, until the oplog takes them; or null. */
    private MongoShapedOplog.Sizes oplogSizesAtOpen;
    /** Commands that may write: how many began, and how many are running (the snapshot is taken only between them). */
    private final java.util.concurrent.atomic.AtomicLong writesBegun = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger writesRunning = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A store in {@code fileName} whose oplog keeps the newest {@code oplogEntries} changes, {@code oplogBytes} at
     * most, the newest {@code oplogMemory} bytes of them in memory too; clients log in with {@code credentials}. Its
     * indexes come from the snapshot of its last clean stop where that matches the data, else from the documents.
     */
    static ReplicaSetH2Backend open(String fileName, int oplogEntries, long oplogBytes, long oplogMemory,
                                    StoreCredentials credentials) {
        MVStore store = open(fileName);
        Path snapshotFile = IndexSnapshot.fileFor(Path.of(fileName));
        IndexSnapshot snapshot = IndexSnapshot.load(store, snapshotFile);
        SNAPSHOT.set(snapshot);
        try {
            ReplicaSetH2Backend backend = new ReplicaSetH2Backend(store, oplogEntries, oplogBytes, oplogMemory, credentials);
            backend.snapshotFile = snapshotFile;
            backend.oplogSizesAtOpen = snapshot.oplogSizes();
            return backend;
        } catch (RuntimeException failed) {
            store.closeImmediately();
            throw failed;
        } finally {
            SNAPSHOT.remove();
        }
    }

    private ReplicaSetH2Backend(MVStore store, int oplogEntries, long oplogBytes, long oplogMemory,
                                StoreCredentials credentials) {
        super(store);
        this.oplogEntries = oplogEntries;
        this.oplogBytes = oplogBytes;
        this.oplogMemory = oplogMemory;
        this.authentication = new ScramAuthentication(credentials);
        this.commits = new GroupCommit(store);
    }

    /**
     * The MVStore keeps committing in the background as well (every second, and when its write buffer fills), which
     * also compacts the file; durability comes from the commit each write waits for.
     */
    private static MVStore open(String fileName) {
        return new MVStore.Builder().fileName(fileName).open();
    }

    /** Databases whose non-unique indexes serve queries (mongo-java-server ignores them). */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        IndexSnapshot snapshot = SNAPSHOT.get();
        return IndexedH2Database.open(databaseName, getMvStore(), getCursorRegistry(),
                snapshot != null ? snapshot : IndexSnapshot.empty());
    }

    /** The count of writes begun, or -1 while one runs: equal before and after a snapshot when none came between. */
    private long writeStamp() {
        // the count first: a write that begins between the two reads is either counted or seen running
        long begun = writesBegun.get();
        return writesRunning.get() > 0 ? -1 : begun;
    }

    /** How many indexes the databases opened with came from the snapshot of the last clean stop. */
    int restoredIndexes() {
        return indexedDatabases().stream().mapToInt(IndexedH2Database::restoredIndexes).sum();
    }

    /** A clean stop: the indexes are saved for the next open (see {@link IndexSnapshot}), then the store closes. */
    @Override
    public void close() {
        if (snapshotFile != null && !getMvStore().isClosed()) {
            java.util.List<ScanReportingCollection> collections = new java.util.ArrayList<>();
            indexedDatabases().forEach(database -> collections.addAll(database.collections()));
            IndexSnapshot.save(getMvStore(), snapshotFile, collections, () -> oplog != null ? oplog.sizes() : null,
                    this::writeStamp);
        }
        super.close();
    }

    private java.util.List<IndexedH2Database> indexedDatabases() {
        java.util.List<IndexedH2Database> databases = new java.util.ArrayList<>();
        for (String name : listDatabaseNames()) {
            if (resolveDatabase(name) instanceof IndexedH2Database database) {
                databases.add(database);
            }
        }
        return databases;
    }

    /** Change events shaped like MongoDB's, from a capped oplog kept in its own map (see {@link MongoShapedOplog}). */
    @Override
    protected Oplog createOplog() {
        MVMap<Long, Object> stored = getMvStore().openMap(OPLOG_MAP);
        // the sizes a snapshot kept describe the oplog only as the store opened, before any write
        MongoShapedOplog.Sizes known = oplogSizesAtOpen;
        oplogSizesAtOpen = null;
        oplog = new MongoShapedOplog(this, stored, getCursorRegistry(), oplogEntries, oplogBytes, oplogMemory, known);
        return oplog;
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document conversation = authentication.handle(channel, command, query);
        if (conversation != null) {
            return conversation;
        }
        boolean handshake = command.equalsIgnoreCase("hello") || command.equalsIgnoreCase("isMaster");
        if (command.equalsIgnoreCase("fsync")) {
            // MongoDB's fsync as a barrier: answers once every write applied before it is on disk
            commits.awaitSynced();
            Document done = new Document("numFiles", 1);
            done.put("ok", 1.0);
            return done;
        }
        Document reply;
        boolean writing = !handshake && mayWrite(command, query);
        if (writing) {
            writesBegun.incrementAndGet();
            writesRunning.incrementAndGet();
        }
        try {
            reply = super.handleCommand(channel, database, handshake ? "isMaster" : command, query);
        } finally {
            if (writing) {
                writesRunning.decrementAndGet();
            }
            // a write that failed half-way (a duplicate key in a batch) still acknowledges the part it applied;
            // one sent with {j: false} is acknowledged applied, and synced by the next commit (or fsync) after it
            if (writing && !unjournaled(query)) {
                commits.awaitDurable();
            }
        }
        if (handshake && reply != null) {
            reply.put("setName", SET_NAME);
            reply.put("isWritablePrimary", Boolean.TRUE);
            reply.put(WriteDurability.HELLO_FIELD, Boolean.TRUE);
            authentication.describe(reply, query);
        }
        return reply;
    }

    /**
     * A change stream's getMore waits for its collection's next change (MongoDB's awaitData, up to the getMore's
     * {@code maxTimeMS}, one second by default) rather than answering an empty batch at once.
     */
    @Override
    protected Document handleGetMore(String databaseName, String command, Document query) {
        if (oplog != null && query.get(command) instanceof Number id) {
            Cursor cursor;
            try {
                cursor = getCursorRegistry().getCursor(id.longValue());
            } catch (CursorNotFoundException e) {
                cursor = null;
            }
            if (cursor != null) {
                long wait = query.get("maxTimeMS") instanceof Number max ? max.longValue() : DEFAULT_AWAIT_MILLIS;
                oplog.awaitChanges(cursor, Math.min(wait, MAX_AWAIT_MILLIS));
            }
        }
        return super.handleGetMore(databaseName, command, query);
    }

    /** Whether a write asked not to wait for the journal ({@code writeConcern: {j: false}}). */
    static boolean unjournaled(Document query) {
        return query.get("writeConcern") instanceof Document concern && Boolean.FALSE.equals(concern.get("j"));
    }

    /** Legacy queries (OP_QUERY on a collection) need a logged-in connection too. */
    @Override
    public QueryResult handleQuery(MongoQuery query) {
        if (!authentication.isAuthenticated(query.getChannel())) {
            throw new MongoServerError(ScramAuthentication.UNAUTHORIZED, "Unauthorized", "query requires authentication");
        }
        return super.handleQuery(query);
    }

    @Override
    public void handleClose(Channel channel) {
        authentication.forget(channel);
        super.handleClose(channel);
    }

    /** Whether {@code command} may change data (an aggregation only with {@code $out} or {@code $merge}). */
    static boolean mayWrite(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate")) {
            return query.get("pipeline") instanceof java.util.List<?> stages && stages.stream().anyMatch(stage ->
                    stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge")));
        }
        return !READ_ONLY.contains(name);
    }

    /** The oplog's entries and bytes on disk and its bytes in memory (zeros before the oplog is on). */
    long[] oplogFootprint() {
        return oplog == null ? new long[3] : oplog.footprint();
    }

    /** The group commit every write waits for (its counters show how well commits are grouped). */
    GroupCommit commits() {
        return commits;
    }
}
