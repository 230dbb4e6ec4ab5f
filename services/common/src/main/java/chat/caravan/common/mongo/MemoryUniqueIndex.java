package chat.caravan.common.mongo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 */
final class MemoryUniqueIndex extends AbstractUniqueIndex<Object> implements IndexSnapshot.Snapshotted {

    /** Replaced only while the store opens, by contents a snapshot holds. */
    private Map<KeyValue, Object> positions = new ConcurrentHashMap<>();

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

    @Override
    protected Object removeDocument(KeyValue key) {
        return positions.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
        return positions.putIfAbsent(key, position) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
        return positions.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue key) {
        return positions.get(key);
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
        for (Map.Entry<KeyValue, Object> entry : positions.entrySet()) {
            KeyValue key = entry.getKey();
            out.writeKey(key);
            Object position = entry.getValue();
            boolean same = key.size() == 1 && position.equals(key.get(0)) && position.getClass() == key.get(0).getClass();
            out.writeInt(same ? 1 : 0);
            if (!same) {
                out.writeValue(position);
            }
        }
    }

    static Map<KeyValue, Object> readFrom(IndexSnapshot.In in) throws java.io.IOException {
        int size = in.readInt();
        Map<KeyValue, Object> positions = new ConcurrentHashMap<>(Math.max(16, size * 4 / 3 + 1));
        for (int i = 0; i < size; i++) {
            KeyValue key = in.readKey();
            Object position = in.readInt() == 1 ? key.get(0) : in.readValue();
            positions.put(key, position);
        }
        return positions;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Object contents) {
        positions = (Map<KeyValue, Object>) contents;
    }
}
