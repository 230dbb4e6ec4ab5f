package chat.caravan.common.mongo;

import java.util.List;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVStore;

/**
 * An H2 database of the embedded store with its indexes in memory, rebuilt from the documents when it opens: unique ones
 * that look up by hash (see {@link MemoryUniqueIndex}), non-unique ones that work (see {@link SecondaryIndex}), and
 * compound unique ones that also serve their prefix (see {@link PrefixedUniqueIndex}). The documents stay on disk.
 */
class IndexedH2Database extends H2Database {

    IndexedH2Database(String databaseName, MVStore store, CursorRegistry cursors) {
        super(databaseName, store, cursors);
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

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        return new SecondaryIndex(indexName, keys);
    }
}
