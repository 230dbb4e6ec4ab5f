package chat.caravan.common.mongo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique index for the embedded store, which mongo-java-server (1.47) accepts but ignores, so that a find, an
 * update or a delete by room, by user or by any other indexed field looks up its documents instead of deserializing
 * the whole collection. It lives in memory and is rebuilt from the documents when the store opens.
 *
 * <p>It serves a query whose first indexed field is matched by a value or an {@code $in} (a compound index by its
 * first field alone, like MongoDB's index prefix, or by all its fields); the store then applies the whole query to the
 * documents found. Positions come back in the store's natural order, as a collection scan would return them.
 *
 * <p>A sparse index (its fields all top-level) leaves out the documents that have none of its fields, as MongoDB's
 * does: a thread's replies by {@code tmid} among a million messages that mostly have none. It never serves a query a
 * document without the fields could match (it serves values, never null).
 *
 * <p>A two-field index also gives one value's documents in the order of its second field ({@link #inKeyOrder}), from
 * where the query's range on that field begins, so that a query sorted by that field with a limit (a room's latest
 * messages: {@code {rid: r, ts: {$lt: t}}} sorted by {@code ts}, limit 50; the messages since a time, oldest first)
 * reads the documents it returns instead of all the room's.
 */
final class SecondaryIndex extends Index<Object> implements IndexSnapshot.Snapshotted {

    private static final String ID = "_id";

    private final boolean compound;
    /** Sparse, its fields top-level: a document with none of them has no key here. */
    private final boolean skipsMissing;
    /**
     * A single-field index's positions by key: the position itself while one document has the key, a
     * {@link Positions} set once several do. Empty for a compound index, whose keys are in {@link #byFirst}.
     */
    private Map<KeyValue, Object> byKey = new HashMap<>();
    /** A compound index's keys by the value of their first field, which they share one instance of. */
    private Map<Object, First> byFirst = new HashMap<>();
    private long count;

    /** A first value's order while one of its documents has several keys (an array in the second field). */
    private static final Order UNORDERED = new Order(new Object[0], new Object[0][]);

    /** The positions of a key that several documents have (a class of its own: a position is never one). */
    private static final class Positions extends HashSet<Object> {
        Positions() {
            super(4);
        }
    }

    /**
     * One value of a compound index's first field: the instance its keys share, and their positions by key (as in
     * {@link #byKey}; with a million messages nearly every (room, ts) key has one).
     */
    private static final class First {
        final Object value;
        final Map<KeyValue, Object> byKey = new HashMap<>();
        /** Its keys in order; null until asked after a change, {@link #UNORDERED} while a document has several keys. */
        Order ordered;

        First(Object value) {
            this.value = value;
        }
    }

    SecondaryIndex(String name, List<IndexKey> keys) {
        this(name, keys, false);
    }

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        // declared sparse: a document the index has nothing for is no inconsistency to the store
        super(name, keys, true);
        this.compound = keys.size() > 1;
        this.skipsMissing = sparse && keys.stream().noneMatch(key -> key.getKey().contains("."));
    }

    /** Whether {@code document} has a key here: a sparse index leaves out a document with none of its fields. */
    private boolean keyed(Document document) {
        if (!skipsMissing) {
            return true;
        }
        for (String field : keys()) {
            if (document.containsKey(field)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object getPosition(Document document) {
        return null;
    }

    /** A plain key (see {@link IndexKeys}) without mongo-java-server's general extraction. */
    @Override
    public Set<KeyValue> getKeyValues(Document document) {
        Set<KeyValue> plain = IndexKeys.plain(keys(), document);
        return plain != null ? plain : super.getKeyValues(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // never a constraint
    }

    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        link(document, position);
    }

    private void link(Document document, Object position) {
        if (!keyed(document)) {
            return;
        }
        count++;
        for (KeyValue key : getKeyValues(document)) {
            if (compound) {
                First first = byFirst.computeIfAbsent(key.get(0), First::new);
                put(first.byKey, sharingFirst(key, first.value), position);
                first.ordered = null;
            } else {
                put(byKey, key, position);
            }
        }
    }

    /** Adds {@code position} to the positions {@code map} holds for {@code key}. */
    private static void put(Map<KeyValue, Object> map, KeyValue key, Object position) {
        Object current = map.get(key);
        if (current == null) {
            map.put(key, position);
        } else if (current instanceof Positions positions) {
            positions.add(position);
        } else if (!current.equals(position)) {
            Positions positions = new Positions();
            positions.add(current);
            positions.add(position);
            map.put(key, positions);
        }
    }

    /** Removes {@code position} from the positions {@code map} holds for {@code key}. */
    private static void take(Map<KeyValue, Object> map, KeyValue key, Object position) {
        Object current = map.get(key);
        if (current instanceof Positions positions) {
            if (positions.remove(position) && positions.size() == 1) {
                map.put(key, positions.iterator().next());
            }
        } else if (current != null && current.equals(position)) {
            map.remove(key);
        }
    }

    /** {@code key} with {@code first} (an equal value) as its first value, so that a room's keys hold one room id. */
    private static KeyValue sharingFirst(KeyValue key, Object first) {
        if (key.get(0) == first) {
            return key;
        }
        List<Object> values = new ArrayList<>(key.size());
        key.forEach(values::add);
        values.set(0, first);
        return new KeyValue(values);
    }

    @Override
    public synchronized Object remove(Document document) {
        Object position = document.get(ID);
        if (position == null) {
            return null;
        }
        unlink(document, position);
        return position;
    }

    private void unlink(Document document, Object position) {
        if (!keyed(document)) {
            return;
        }
        count--;
        for (KeyValue key : getKeyValues(document)) {
            if (compound) {
                First first = byFirst.get(key.get(0));
                if (first != null) {
                    take(first.byKey, key, position);
                    first.ordered = null;
                    if (first.byKey.isEmpty()) {
                        byFirst.remove(key.get(0));
                    }
                }
            } else {
                take(byKey, key, position);
            }
        }
    }

    /** Adds the positions {@code entry} (a {@link #byKey} value, or null) stands for to {@code into}. */
    private static void collect(Object entry, Set<Object> into) {
        if (entry instanceof Positions positions) {
            into.addAll(positions);
        } else if (entry != null) {
            into.add(entry);
        }
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return lookupValues(query.get(keys().get(0)), query.containsKey(keys().get(0))) != null;
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        List<String> fields = keys();
        List<List<Object>> values = new ArrayList<>();
        boolean full = true;
        for (String field : fields) {
            List<Object> found = lookupValues(query.get(field), query.containsKey(field));
            if (found == null) {
                full = false;
                break;
            }
            values.add(found);
        }
        Set<Object> positions = new LinkedHashSet<>();
        if (full) {
            for (List<Object> combination : combinations(values)) {
                KeyValue key = new KeyValue(combination).normalized();
                if (compound) {
                    First first = byFirst.get(key.get(0));
                    collect(first == null ? null : first.byKey.get(key), positions);
                } else {
                    collect(byKey.get(key), positions);
                }
            }
        } else {
            for (Object value : values.get(0)) {
                First first = byFirst.get(normalized(value));
                if (first != null) {
                    first.byKey.values().forEach(entry -> collect(entry, positions));
                }
            }
        }
        List<Object> ordered = new ArrayList<>(positions);
        ordered.sort(ValueComparator.asc());
        return ordered;
    }

    /**
     * One first value's keys in the order of their second value ({@code values}, ascending) and, for each, its positions
     * in natural order ({@code groups}).
     */
    private record Order(Object[] values, Object[][] groups) {
    }

    /**
     * For a query on a two-field index's first field by one value, and a sort by its second field: the positions of
     * that value's documents in the sort's order, documents with equal keys in natural order (as a stable sort of a
     * natural-order read leaves them), without those the query's range on the second field leaves out. Null when this
     * index cannot give that order: another query or sort, or a document with several keys here (an array), whose
     * sort value MongoDB takes otherwise.
     */
    synchronized List<Object> inKeyOrder(Document query, String sortField, boolean descending) {
        List<String> fields = keys();
        if (fields.size() != 2 || !fields.get(1).equals(sortField)) {
            return null;
        }
        List<Object> values = lookupValues(query.get(fields.get(0)), query.containsKey(fields.get(0)));
        if (values == null || values.size() != 1) {
            return null;
        }
        First first = byFirst.get(normalized(values.get(0)));
        if (first == null) {
            return List.of();
        }
        if (first.ordered == null) {
            first.ordered = ordered(first);
        }
        Order order = first.ordered;
        if (order == UNORDERED) {
            return null;
        }
        int from = 0;
        int to = order.values().length;
        if (query.get(sortField) instanceof Document range) {
            for (Map.Entry<String, Object> condition : range.entrySet()) {
                Object bound = condition.getValue();
                if (!(bound instanceof java.time.Instant) && !(bound instanceof Number)) {
                    continue;
                }
                // a value of another type never meets a comparison with a date or a number (MongoDB's type
                // bracketing): what lies beyond the bound in this order, other types included, is left out
                bound = normalized(bound);
                switch (condition.getKey()) {
                    case "$gt" -> from = Math.max(from, firstAbove(order.values(), bound, true));
                    case "$gte" -> from = Math.max(from, firstAbove(order.values(), bound, false));
                    case "$lt" -> to = Math.min(to, firstAbove(order.values(), bound, false));
                    case "$lte" -> to = Math.min(to, firstAbove(order.values(), bound, true));
                    default -> {
                        // any other condition is applied to the documents found
                    }
                }
            }
        }
        List<Object> positions = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            java.util.Collections.addAll(positions, order.groups()[descending ? to - 1 - (i - from) : i]);
        }
        return positions;
    }

    /** {@code value} as the keys hold it (a number as a double, -0.0 as 0.0, a missing value as null). */
    private static Object normalized(Object value) {
        return new KeyValue(value).normalized().get(0);
    }

    /** The index of the first of {@code values} (ascending) above {@code bound}, or at it unless {@code strictly}. */
    private static int firstAbove(Object[] values, Object bound, boolean strictly) {
        int low = 0;
        int high = values.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            int compared = ValueComparator.asc().compare(values[middle], bound);
            if (compared < 0 || (strictly && compared == 0)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** {@code first}'s keys in order, or {@link #UNORDERED} when a document has several keys. */
    private static Order ordered(First first) {
        List<Map.Entry<KeyValue, Object>> entries = new ArrayList<>(first.byKey.entrySet());
        entries.sort((a, b) -> ValueComparator.asc().compare(a.getKey().get(1), b.getKey().get(1)));
        Object[] values = new Object[entries.size()];
        Object[][] groups = new Object[entries.size()][];
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < groups.length; i++) {
            values[i] = entries.get(i).getKey().get(1);
            Object entry = entries.get(i).getValue();
            if (entry instanceof Positions positions) {
                Object[] group = positions.toArray();
                java.util.Arrays.sort(group, ValueComparator.asc());
                groups[i] = group;
            } else {
                groups[i] = new Object[] {entry};
            }
            for (Object position : groups[i]) {
                if (!seen.add(position)) {
                    return UNORDERED;
                }
            }
        }
        return new Order(values, groups);
    }

    /** The values a query condition asks for by equality ({@code v}, {@code {$eq: v}}, {@code {$in: [...]}}), else null. */
    private static List<Object> lookupValues(Object condition, boolean present) {
        if (!present) {
            return null;
        }
        if (condition instanceof Document operators) {
            if (operators.size() != 1) {
                return null;
            }
            if (operators.get("$eq") != null && scalar(operators.get("$eq"))) {
                return List.of(operators.get("$eq"));
            }
            if (operators.get("$in") instanceof Collection<?> in && !in.isEmpty() && in.stream().allMatch(SecondaryIndex::scalar)) {
                return new ArrayList<>(in);
            }
            return null;
        }
        return scalar(condition) ? List.of(condition) : null;
    }

    /** A value equality can look up: not null (which also matches a missing field), no array, no pattern. */
    private static boolean scalar(Object value) {
        return value != null && !(value instanceof Document) && !(value instanceof Collection<?>)
                && !(value instanceof Pattern) && !(value instanceof BsonRegularExpression)
                && !value.getClass().getSimpleName().equals("Missing");
    }

    private static List<List<Object>> combinations(List<List<Object>> values) {
        List<List<Object>> result = new ArrayList<>();
        result.add(new ArrayList<>());
        for (List<Object> choices : values) {
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : result) {
                for (Object choice : choices) {
                    List<Object> combination = new ArrayList<>(prefix);
                    combination.add(choice);
                    next.add(combination);
                }
            }
            result = next;
        }
        return result;
    }

    @Override
    public synchronized long getCount() {
        return count;
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // never a constraint
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, Object position,
                                           MongoCollection<Object> collection) {
        // a field set to null and one removed give the same key, but only the first is kept by a sparse index
        if (keyed(oldDocument) == keyed(newDocument) && nullAwareEqualsKeys(oldDocument, newDocument)) {
            return;
        }
        unlink(oldDocument, position);
        link(newDocument, position);
    }

    @Override
    public synchronized void drop() {
        byKey.clear();
        byFirst.clear();
        count = 0;
    }

    @Override
    public String snapshotKind() {
        // a sparse one holds fewer documents: a snapshot of the index before it was sparse is not taken for it
        return skipsMissing ? "sparse" : "secondary";
    }

    /** Its document count, then each key with its positions (a compound index's first-field map is derived from them). */
    @Override
    public synchronized void writeTo(IndexSnapshot.Out out) throws java.io.IOException {
        out.writeLong(count);
        List<Map<KeyValue, Object>> maps = new ArrayList<>();
        if (compound) {
            byFirst.values().forEach(first -> maps.add(first.byKey));
        } else {
            maps.add(byKey);
        }
        out.writeInt(maps.stream().mapToInt(Map::size).sum());
        for (Map.Entry<KeyValue, Object> entry : (Iterable<Map.Entry<KeyValue, Object>>)
                () -> maps.stream().flatMap(map -> map.entrySet().stream()).iterator()) {
            out.writeKey(entry.getKey());
            if (entry.getValue() instanceof Positions positions) {
                out.writeInt(positions.size());
                for (Object position : positions) {
                    out.writeValue(position);
                }
            } else {
                out.writeInt(1);
                out.writeValue(entry.getValue());
            }
        }
    }

    /**
     * What a snapshot holds of a secondary index: its document count and its positions by key, as {@link #byKey} and
     * {@link #byFirst} hold them.
     */
    record Contents(long count, Map<KeyValue, Object> byKey, Map<Object, First> byFirst) {
    }

    /**
     * What {@link #writeTo} wrote. Positions are the instances the collection's other indexes share, and the keys of a
     * compound index share one instance of each first value; they go straight under it (written together, one after
     * the other).
     */
    static Contents readFrom(IndexSnapshot.In in) throws java.io.IOException {
        long count = in.readLong();
        int keys = in.readInt();
        Map<KeyValue, Object> byKey = null;
        Map<Object, First> byFirst = new HashMap<>();
        Map<Object, Object> firstValues = new HashMap<>();
        First last = null;
        for (int i = 0; i < keys; i++) {
            KeyValue key = in.readKey(firstValues);
            int size = in.readInt();
            Object positions;
            if (size == 1) {
                positions = in.position(in.readValue());
            } else {
                Positions several = new Positions();
                for (int p = 0; p < size; p++) {
                    several.add(in.position(in.readValue()));
                }
                positions = several;
            }
            if (key.size() > 1) {
                Object value = key.get(0);
                First first = last != null && last.value == value ? last : byFirst.computeIfAbsent(value, First::new);
                first.byKey.put(key, positions);
                last = first;
            } else {
                if (byKey == null) {
                    byKey = new HashMap<>(Math.max(16, keys * 4 / 3 + 1));
                }
                byKey.put(key, positions);
            }
        }
        return new Contents(count, byKey == null ? new HashMap<>() : byKey, byFirst);
    }

    @Override
    public synchronized void restore(Object contents) {
        Contents read = (Contents) contents;
        count = read.count();
        byKey = read.byKey();
        byFirst = read.byFirst();
    }
}
