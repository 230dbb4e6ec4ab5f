package chat.caravan.common.mongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * An H2 database of the embedded store with its indexes in memory, rebuilt from the documents when it opens: unique ones
 * that look up by hash (see {@link MemoryUniqueIndex}), non-unique ones that work (see {@link SecondaryIndex}), and
 * compound unique ones that also serve their prefix (see {@link PrefixedUniqueIndex}). The documents stay on disk.
 * When it opens, all the indexes of a collection are filled in one read of its documents (mongo-java-server read
 * them twice per index).
 */
class IndexedH2Database extends H2Database {

    /** The store and cursors of the database being constructed: H2Database opens its collections from its constructor. */
    private static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();

    private record Opening(MVStore store, CursorRegistry cursors, List<ScanReportingCollection> opened,
                           IndexSnapshot snapshot) {
    }

    private final Opening opening;
    /** Every collection this database opened or created (a dropped one stays, closed), for the index snapshot. */
    private final List<ScanReportingCollection> collections;
    /** How many of the indexes it opened with came from the snapshot. */
    private final int restoredIndexes;

    private IndexedH2Database(String databaseName, MVStore store, CursorRegistry cursors) {
        super(databaseName, store, cursors);
        Opening opened = OPENING.get();
        // the indexes the database opened with are filled now: from the snapshot of the last clean stop where it
        // holds them, the rest all of a collection's in one read of its documents
        int restored = 0;
        for (ScanReportingCollection collection : opened.opened()) {
            restored += collection.buildDeferredIndexes(opened.snapshot());
        }
        this.restoredIndexes = restored;
        this.collections = new java.util.concurrent.CopyOnWriteArrayList<>(opened.opened());
        this.opening = new Opening(store, cursors, List.of(), IndexSnapshot.empty());
    }

    static IndexedH2Database open(String databaseName, MVStore store, CursorRegistry cursors, IndexSnapshot snapshot) {
        OPENING.set(new Opening(store, cursors, new ArrayList<>(), snapshot));
        try {
            return new IndexedH2Database(databaseName, store, cursors);
        } finally {
            OPENING.remove();
        }
    }

    /** The collections whose indexes a snapshot keeps. */
    List<ScanReportingCollection> collections() {
        return collections;
    }

    int restoredIndexes() {
        return restoredIndexes;
    }

    /**
     * Unique indexes, {@code _id} included, in memory (see {@link MemoryUniqueIndex}); a compound one also serves
     * queries on its first field (see {@link PrefixedUniqueIndex}).
     */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        MemoryUniqueIndex unique = new MemoryUniqueIndex(indexName, keys, sparse);
        return keys.size() > 1 && !sparse ? new PrefixedUniqueIndex(unique) : unique;
    }

    /**
     * Collections that report the queries no index serves (see {@link ScanReportingCollection}), in the maps H2Database
     * itself names {@code databases.<namespace>} and {@code meta.<namespace>}, their documents stored as BSON (see
     * {@link BsonDocumentType}).
     */
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        Opening open = opening != null ? opening : OPENING.get();
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = open.store().openMap("databases." + fullName,
                new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
        MVMap<String, Object> meta = open.store().openMap("meta." + fullName);
        ScanReportingCollection collection = new ScanReportingCollection(this, collectionName, options, data, meta, open.cursors());
        if (opening == null) {
            // called from H2Database's constructor: the database is opening
            collection.deferIndexBuilds();
            open.opened().add(collection);
        } else {
            collections.add(collection);
        }
        return collection;
    }

    /**
     * An aggregation that begins with {@code $match} (the drivers' {@code countDocuments} among them) reads only the
     * documents the match finds, through the indexes that serve it: mongo-java-server read the whole collection into
     * memory first, so counting one room's messages among a million took seconds and could exhaust the heap.
     */
    @Override
    public Document handleCommand(io.netty.channel.Channel channel, String command, Document query,
                                  de.bwaldvogel.mongo.backend.DatabaseResolver databaseResolver,
                                  de.bwaldvogel.mongo.oplog.Oplog oplog) {
        if (command.equalsIgnoreCase("aggregate") && query.get(command) instanceof String name
                && query.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()
                && pipeline.get(0) instanceof Document first && first.size() == 1
                && first.get("$match") instanceof Document match
                && resolveCollection(name, false) instanceof ScanReportingCollection collection) {
            return collection.matchingFirst(match, () -> super.handleCommand(channel, command, query, databaseResolver, oplog));
        }
        return super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        return new SecondaryIndex(indexName, keys, sparse);
    }
}
