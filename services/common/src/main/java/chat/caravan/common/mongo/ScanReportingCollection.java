package chat.caravan.common.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.IndexBuildFailedException;
import de.bwaldvogel.mongo.exception.MongoServerError;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection of the embedded store that lets indexes serve {@code $and} queries and reports the queries no index
 * serves.
 *
 * <p>MongoDB's drivers send {@code Filters.and(eq("rid", r), ne("u._id", u))} as {@code {$and: [{rid: r}, {u._id:
 * {$ne: u}}]}}; mongo-java-server picks an index only by the query's top-level fields, so every such query read the
 * whole collection. Here a top-level {@code $and} is flattened into one document first ({@code {rid: r, u._id: {$ne:
 * u}}}, the same condition), conditions on a field named twice staying in an {@code $and} beside it.
 *
 * <p>The queries still left to no index: each one reads every document, so
 * its cost grows with the collection. They are counted ({@code caravan_store_collection_scans_total}) and each query
 * shape (its fields and operators, never its values) is logged once, as MongoDB's slow-query log names a COLLSCAN.
 */
final class ScanReportingCollection extends H2Collection {

    private static final Logger LOG = LoggerFactory.getLogger(ScanReportingCollection.class);
    /** Below this many documents a scan is as cheap as an index and is not reported. */
    static final int REPORTED_FROM = 1000;
    /** From this many documents, rebuilding a collection's indexes at open is logged with its time (a slow start's cause). */
    private static final int LOGGED_BUILD_FROM = 20_000;
    /** Queries read in an index's order up to their limit (see {@link #queryDocuments}). */
    static final LongAdder ORDERED = new LongAdder();
    /** Scans by collection, for the metric. */
    static final Map<String, LongAdder> SCANS = new ConcurrentHashMap<>();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final MVMap<Object, Document> dataMap;

    ScanReportingCollection(MongoDatabase database, String collectionName, CollectionOptions options,
            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursors) {
        super(database, collectionName, options, dataMap, metaMap, cursors);
        this.dataMap = dataMap;
    }

    /** Indexes added while the database opens, filled together by {@link #buildDeferredIndexes}; null after. */
    private List<Index<Object>> deferred;

    void deferIndexBuilds() {
        deferred = new ArrayList<>();
    }

    @Override
    public void addIndex(Index<Object> index) {
        if (deferred != null && index.isEmpty() && deferred.stream().noneMatch(known -> known.getName().equals(index.getName()))) {
            deferred.add(index);
            return;
        }
        super.addIndex(index);
    }

    /**
     * Fills the indexes the database opened with: from {@code snapshot} where it holds them (saved at the last clean
     * stop, see {@link IndexSnapshot}), the others in one read of the documents, each document checked and added to
     * every index in turn; then adds them to the collection (which, finding them filled, does not read the documents
     * again). Returns how many came from the snapshot.
     */
    int buildDeferredIndexes(IndexSnapshot snapshot) {
        List<Index<Object>> all = deferred;
        deferred = null;
        if (all == null || all.isEmpty()) {
            return 0;
        }
        List<Index<Object>> indexes = new ArrayList<>();
        long documents = count();
        for (Index<Object> index : all) {
            Object contents = snapshot.contentsOf(getFullName(), documents, index);
            if (contents != null) {
                ((IndexSnapshot.Snapshotted) index).restore(contents);
            } else {
                indexes.add(index);
            }
        }
        if (!indexes.isEmpty()) {
            try {
                long began = System.nanoTime();
                readingOneVersion(() -> {
                    streamAllDocumentsWithPosition().forEach(stored -> {
                        for (Index<Object> index : indexes) {
                            index.checkAdd(stored.getDocument(), this);
                            index.add(stored.getDocument(), stored.getPosition(), this);
                        }
                    });
                    return null;
                });
                if (documents >= LOGGED_BUILD_FROM) {
                    LOG.info("Embedded store: {} index(es) of {} built from its {} documents in {} ms", indexes.size(),
                            getCollectionName(), documents, (System.nanoTime() - began) / 1_000_000);
                }
            } catch (MongoServerError e) {
                throw new IndexBuildFailedException(e, this);
            }
        }
        all.forEach(super::addIndex);
        return all.size() - indexes.size();
    }

    /** The leading {@code $match} of the aggregation this thread runs on this collection, until it reads it. */
    private final ThreadLocal<Document> leadingMatch = new ThreadLocal<>();

    /**
     * Runs {@code aggregation}, whose pipeline begins with {@code match}, reading only the documents the match finds
     * (see {@link #queryAllAsStream}); the pipeline still applies the match to them, which changes nothing.
     */
    <T> T matchingFirst(Document match, java.util.function.Supplier<T> aggregation) {
        leadingMatch.set(match);
        try {
            return aggregation.get();
        } finally {
            leadingMatch.remove();
        }
    }

    /**
     * What an aggregation reads: with a leading {@code $match} announced by {@link #matchingFirst}, the documents that
     * match it, found as a query finds them (by an index where one serves); else every document, as before. Only the
     * first read takes the match: a {@code $lookup} back into this collection reads it whole.
     */
    @Override
    public java.util.stream.Stream<Document> queryAllAsStream() {
        Document match = leadingMatch.get();
        if (match == null) {
            return super.queryAllAsStream();
        }
        leadingMatch.remove();
        // wrapped, so that a match on a field named "query" is not taken for a query wrapped in one
        QueryResult found = handleQuery(new de.bwaldvogel.mongo.backend.QueryParameters(new Document("$query", match), 0, 0));
        return java.util.stream.StreamSupport.stream(found.spliterator(), false);
    }

    /** Whether the collection was dropped (its map removed from the store). */
    boolean isClosed() {
        return dataMap.isClosed();
    }

    /**
     * Runs a read that walks the whole collection with the version it reads kept in use until it ends. The store's
     * background compaction, busy after a large import, would otherwise drop chunks the read is still walking
     * ("Chunk N not found": the store did not open after a million-message import). mongo-java-server's reads do not
     * register their version themselves.
     */
    private <T> T readingOneVersion(java.util.function.Supplier<T> read) {
        org.h2.mvstore.MVStore.TxCounter reading = dataMap.getStore().registerVersionUsage();
        try {
            return read.get();
        } finally {
            dataMap.getStore().deregisterVersionUsage(reading);
        }
    }

    /**
     * The documents' size is measured when someone asks ({@code collStats}), not kept up to date on every write:
     * mongo-java-server encoded each updated document twice, before and after, only for that figure.
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected int getDataSize() {
        if (dataMap == null) {
            // asked by H2Collection's constructor, for a debug line, before this one has run
            return 0;
        }
        long size = readingOneVersion(() -> {
            long bytes = 0;
            for (Document document : dataMap.values()) {
                bytes += MongoShapedOplog.encode(document).length;
            }
            return bytes;
        });
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
            Document fieldSelector) {
        Document flat = flattened(query);
        List<Object> ordered = limit > 0 ? inIndexOrder(flat, orderBy) : null;
        if (ordered != null) {
            ORDERED.increment();
            // read in the sort's order until the limit is reached, instead of reading every document found and sorting
            return matchDocumentsFromStream(flat, ordered.stream().map(this::getDocument).filter(java.util.Objects::nonNull),
                    numberToSkip, limit, batchSize, null, fieldSelector);
        }
        return super.queryDocuments(flat, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The positions of the documents {@code query} may match in the order of {@code orderBy}, when a non-unique index
     * that serves the query can give that order (see {@link SecondaryIndex#inKeyOrder}); else null. A query a unique
     * index serves (by {@code _id}) finds its few documents there, as before.
     */
    private List<Object> inIndexOrder(Document query, Document orderBy) {
        if (orderBy == null || orderBy.size() != 1) {
            return null;
        }
        String field = orderBy.keySet().iterator().next();
        if (!(orderBy.get(field) instanceof Number direction) || direction.intValue() == 0) {
            return null;
        }
        for (Index<Object> index : getIndexes()) {
            if (!index.canHandle(query)) {
                continue;
            }
            if (!(index instanceof SecondaryIndex secondary)) {
                return null;
            }
            List<Object> positions = secondary.inKeyOrder(query, field, direction.intValue() < 0);
            if (positions != null) {
                return positions;
            }
        }
        return null;
    }

    /** {@code query} with its top-level {@code $and} (nested ones too) merged into it where the fields allow. */
    static Document flattened(Document query) {
        if (query == null || !(query.get("$and") instanceof List<?> conjuncts)
                || !conjuncts.stream().allMatch(Document.class::isInstance)) {
            return query;
        }
        Document merged = new Document();
        List<Object> rest = new ArrayList<>();
        query.forEach((key, value) -> {
            if (!key.equals("$and")) {
                merged.put(key, value);
            }
        });
        for (Object conjunct : conjuncts) {
            flattened((Document) conjunct).forEach((key, value) -> {
                if (key.equals("$and") && value instanceof List<?> inner) {
                    rest.addAll(inner);
                } else if (merged.containsKey(key)) {
                    rest.add(new Document(key, value));
                } else {
                    merged.put(key, value);
                }
            });
        }
        if (!rest.isEmpty()) {
            merged.put("$and", rest);
        }
        return merged;
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
            Document fieldSelector) {
        int count = count();
        if (count >= REPORTED_FROM) {
            SCANS.computeIfAbsent(getCollectionName(), name -> new LongAdder()).increment();
            String shape = getCollectionName() + " " + shape(query);
            if (LOGGED.size() < 1000 && LOGGED.add(shape)) {
                LOG.warn("Embedded store: a query on {} ({} documents) reads them all, no index serves it: {}",
                        getCollectionName(), count, shape(query));
            }
        }
        // the matches are collected before this returns, so the whole scan runs inside the registration
        return readingOneVersion(() -> super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector));
    }

    /** The query's fields and operators, its values left out. */
    static String shape(Object query) {
        if (query instanceof Document document) {
            StringBuilder out = new StringBuilder("{");
            document.forEach((key, value) -> {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(key);
                String inner = shape(value);
                if (!inner.isEmpty()) {
                    out.append(": ").append(inner);
                }
            });
            return out.append('}').toString();
        }
        if (query instanceof java.util.Collection<?> list && !list.isEmpty()) {
            return "[" + shape(list.iterator().next()) + (list.size() > 1 ? ", ..." : "") + "]";
        }
        return "";
    }
}
