package chat.caravan.common.mongo;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A unique index of the embedded store (the {@code _id} index included) held in a hash map and rebuilt from the
 * documents when the store opens. mongo-java-server's H2 unique index keeps its keys in an MVMap that compares them by
 * Java-serializing both sides at every step of every lookup, which made each write and each find by id cost
 * milliseconds under load; a lookup here is a hash probe.
 *
 * <p>It also serves a query that names more fields than its keys ({@code {_id: x, rid: r}}): the keys find the
 * document, the other conditions are checked on it. mongo-java-server's unique indexes serve only a query of exactly
 * their keys, so such a query read the whole collection.
 *
 * <p>A single-field index keys its map by the value itself rather than by a one-value {@link KeyValue} (which wraps it
 * in a list): with a million messages that is 64 MB less of the heap, and the {@code _id} index's key and position are
 * then one object.
 */
final class MemoryUniqueIndex extends AbstractUniqueIndex<Object> implements IndexSnapshot.Snapshotted {

    /** Stands for a null key value, which the map cannot hold. */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /**
     * Positions by key: the key's only value for a single-field index (see {@link #mapKey}), else the key. Replaced
     * only while the store opens, by contents a snapshot holds.
     */
    private Map<Object, Object> positions = new ConcurrentHashMap<>();

    MemoryUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
    }

    @Override
    public boolean canHandle(Document query) {
        Document keyed = keyed(query);
        return keyed != null && super.canHandle(keyed);
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        Document keyed = keyed(query);
        return super.getPositions(keyed == null ? query : keyed);
    }

    /** The query's conditions on this index's keys alone, or null when it does not name them all. */
    private Document keyed(Document query) {
        if (query.size() == keys().size()) {
            return query;
        }
        Document keyed = new Document();
        for (String key : keys()) {
            if (!query.containsKey(key)) {
                return null;
            }
            keyed.put(key, query.get(key));
        }
        return keyed;
    }

    /** What the map is keyed by: a one-value key's value (the same equality: a one-element list's), else the key. */
    private static Object mapKey(KeyValue key) {
        if (key.size() != 1) {
            return key;
        }
        Object value = key.get(0);
        return value == null ? NULL : value;
    }

    /** The key a map key stands for. */
    private static KeyValue keyOf(Object mapKey) {
        if (mapKey instanceof KeyValue key) {
            return key;
        }
        return new KeyValue(java.util.Collections.singletonList(mapKey == NULL ? null : mapKey));
    }

    /** A plain key (see {@link IndexKeys}) without mongo-java-server's general extraction. */
    @Override
    public java.util.Set<KeyValue> getKeyValues(Document document) {
        java.util.Set<KeyValue> plain = IndexKeys.plain(keys(), document);
        return plain != null ? plain : super.getKeyValues(document);
    }

    @Override
    public synchronized void checkAdd(Document document, MongoCollection<Object> collection) {
        java.util.Set<KeyValue> plain = IndexKeys.plain(keys(), document);
        if (plain == null || positions.containsKey(mapKey(plain.iterator().next()))) {
            // mongo-java-server's check, which words the duplicate key error as it always has
            super.checkAdd(document, collection);
        }
    }

    /**
     * Adds a document with a plain key in one extraction, the check and the insert being one {@code putIfAbsent}
     * (mongo-java-server extracted the keys three times per document: twice to check, once to add).
     */
    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        java.util.Set<KeyValue> plain = IndexKeys.plain(keys(), document);
        if (plain == null) {
            super.add(document, position, collection);
            return;
        }
        if (!put(mapKey(plain.iterator().next()), position)) {
            super.checkAdd(document, collection);
            throw new IllegalStateException("duplicate key in index " + getName() + " not reported by its check");
        }
    }

    @Override
    protected Object removeDocument(KeyValue key) {
        return positions.remove(mapKey(key));
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
        return put(mapKey(key), position);
    }

    /**
     * Maps {@code mapKey} to {@code position} unless it is mapped; false if it was. The {@code _id} index's key is its
     * position: the position's instance stands for both, the one the collection's other indexes hold too.
     */
    private boolean put(Object mapKey, Object position) {
        if (mapKey.equals(position) && mapKey.getClass() == position.getClass()) {
            return positions.putIfAbsent(position, position) == null;
        }
        return positions.putIfAbsent(mapKey, position) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
        return () -> positions.entrySet().stream()
                .<Map.Entry<KeyValue, Object>>map(entry -> new AbstractMap.SimpleImmutableEntry<>(keyOf(entry.getKey()), entry.getValue()))
                .iterator();
    }

    @Override
    protected Object getPosition(KeyValue key) {
        return positions.get(mapKey(key));
    }

    @Override
    public long getCount() {
        return positions.size();
    }

    @Override
    public long getDataSize() {
        return positions.size();
    }

    @Override
    public void drop() {
        positions.clear();
    }

    @Override
    public String snapshotKind() {
        return "unique";
    }

    /** Each key with its position; a position equal to the key's only value (an {@code _id}) is not written again. */
    @Override
    public void writeTo(IndexSnapshot.Out out) throws java.io.IOException {
        out.writeInt(positions.size());
        for (Map.Entry<Object, Object> entry : positions.entrySet()) {
            KeyValue key = keyOf(entry.getKey());
            out.writeKey(key);
            Object position = entry.getValue();
            boolean same = key.size() == 1 && key.get(0) != null && position.equals(key.get(0))
                    && position.getClass() == key.get(0).getClass();
            out.writeInt(same ? 1 : 0);
            if (!same) {
                out.writeValue(position);
            }
        }
    }

    /** What {@link #writeTo} wrote, keyed as {@link #positions} is; positions are shared with the collection's other indexes. */
    static Map<Object, Object> readFrom(IndexSnapshot.In in) throws java.io.IOException {
        int size = in.readInt();
        Map<Object, Object> positions = new ConcurrentHashMap<>(Math.max(16, size * 4 / 3 + 1));
        for (int i = 0; i < size; i++) {
            Object mapKey = mapKey(in.readKey());
            Object position;
            if (in.readInt() == 1) {
                // the position is the key's value: one object for both, and the one the other indexes share
                position = in.position(mapKey);
                mapKey = position;
            } else {
                position = in.position(in.readValue());
            }
            positions.put(mapKey, position);
        }
        return positions;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Object contents) {
        positions = (Map<Object, Object>) contents;
    }
}
