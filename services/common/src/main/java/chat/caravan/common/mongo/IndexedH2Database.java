package chat.caravan.common.mongo;

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
 */
class IndexedH2Database extends H2Database {

    /** The store and cursors of the database being constructed: H2Database opens its collections from its constructor. */
    private static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();

    private record Opening(MVStore store, CursorRegistry cursors) {
    }

    private final Opening opening;

    private IndexedH2Database(String databaseName, MVStore store, CursorRegistry cursors) {
        super(databaseName, store, cursors);
        this.opening = new Opening(store, cursors);
    }

    static IndexedH2Database open(String databaseName, MVStore store, CursorRegistry cursors) {
        OPENING.set(new Opening(store, cursors));
        try {
            return new IndexedH2Database(databaseName, store, cursors);
        } finally {
            OPENING.remove();
        }
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
        return new ScanReportingCollection(this, collectionName, options, data, meta, open.cursors());
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        return new SecondaryIndex(indexName, keys);
    }
}
