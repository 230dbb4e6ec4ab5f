package chat.caravan.common.mongo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The embedded store's oplog: change events shaped like MongoDB's, kept on disk (so a change stream resumes across a
 * restart) and its newest part in memory (so following it costs a lookup, not a scan), capped like MongoDB's oplog by
 * entries and by bytes.
 *
 * <p>mongo-java-server's own oplog (1.47) answers every {@code getMore} by deserializing and sorting the whole oplog
 * collection, which grows without bound; its update events carry the update operators as {@code documentKey}. This
 * one records each change once, in clusterTime order, as BSON bytes in a map of the store keyed by its timestamp (no
 * collection, so no index to maintain). Memory holds only the newest entries within {@link #MEMORY_BYTES}, as
 * BSON bytes tagged with their namespace (a cursor decodes only the entries of its own collection); a cursor that
 * fell behind that window reads on from disk. Its events carry {@code documentKey = {_id}}, {@code updateDescription
 * = {updatedFields, removedFields, truncatedArrays}} (an appending {@code $push} names only the new elements, as
 * MongoDB's does), {@code fullDocument} on insert, on replace and, when {@code updateLookup} was asked for, on update;
 * a cursor asked to resume from a position older than the oldest kept entry fails with MongoDB's
 * {@code ChangeStreamHistoryLost}.
 */
public class MongoShapedOplog implements Oplog {

    /** MongoDB's error code when a resume token points before the oldest oplog entry. */
    static final int CHANGE_STREAM_HISTORY_LOST = 286;
    /** The newest changes kept in memory, in bytes: what change streams that keep up read without touching the disk. */
    static final long MEMORY_BYTES = 32L << 20;
    /** What one kept entry costs the heap beyond its bytes (the entry, its key and the skip list's node). */
    private static final int ENTRY_OVERHEAD = 96;
    /** Entries removed from disk at a time once the cap is passed. */
    private static final int TRIM_BATCH = 1000;

    /** One change as kept: its namespace (to filter without decoding) and its BSON. */
    record Entry(String namespace, byte[] bson) {
        long heapBytes() {
            return bson.length + ENTRY_OVERHEAD + 2L * namespace.length();
        }
    }

    private final MongoBackend backend;
    /** The kept entries on disk, by timestamp: BSON bytes (older stores hold documents, read alike). */
    private final Map<Long, Object> stored;
    private final CursorRegistry cursors;
    private final Clock clock;
    private final int capacity;
    private final long maxBytes;
    private final long memoryBytes;
    /** The newest entries, within the memory budget; the disk holds them too. */
    private final ConcurrentSkipListMap<Long, Entry> entries = new ConcurrentSkipListMap<>();
    /** Sizes of the entries on disk, oldest first, to trim by bytes without reading them back. */
    private final ConcurrentSkipListMap<Long, Integer> sizes = new ConcurrentSkipListMap<>();
    private final Object appendLock = new Object();
    /** The newest timestamp handed out; a cursor opened "now" starts after it. */
    private volatile long last;
    /** How many entries are kept on disk and their bytes (a skip list counts itself by walking it), under the append lock. */
    private int kept;
    private long keptBytes;
    /** Bytes of the entries in memory, under the append lock. */
    private long memoryUsed;
    /** Positions before this one may have been trimmed away. */
    private volatile long trimmedBefore;
    /** The newest timestamp of each namespace's changes, for change streams waiting on their own collection. */
    private final Map<String, Long> lastOf = new ConcurrentHashMap<>();
    /** The newest timestamp read back at start (the namespaces of older entries are not known without decoding them). */
    private long loadedLast;
    /** Threads waiting in {@link #awaitChanges} for a namespace's next change. */
    private final Map<String, Set<Thread>> waiting = new ConcurrentHashMap<>();

    public MongoShapedOplog(MongoBackend backend, Map<Long, Object> stored, CursorRegistry cursors, int capacity) {
        this(backend, stored, cursors, capacity, Long.MAX_VALUE, MEMORY_BYTES);
    }

    /**
     * An oplog keeping at most {@code capacity} entries and {@code maxBytes} of them on disk, the newest
     * {@code memoryBytes} of them in memory too.
     */
    public MongoShapedOplog(MongoBackend backend, Map<Long, Object> stored, CursorRegistry cursors, int capacity,
                            long maxBytes, long memoryBytes) {
        this(backend, stored, cursors, capacity, maxBytes, memoryBytes, null);
    }

    /**
     * As above; {@code knownSizes}, when not null, are the sizes of exactly the entries {@code stored} holds (kept by
     * the index snapshot of a clean stop), so that none is read back at open.
     */
    MongoShapedOplog(MongoBackend backend, Map<Long, Object> stored, CursorRegistry cursors, int capacity,
                     long maxBytes, long memoryBytes, Sizes knownSizes) {
        this.backend = backend;
        this.stored = stored;
        this.cursors = cursors;
        this.clock = backend.getClock();
        this.capacity = Math.max(capacity, TRIM_BATCH);
        this.maxBytes = Math.max(maxBytes, 1L << 20);
        this.memoryBytes = Math.max(1, memoryBytes);
        if (knownSizes != null) {
            loadSizes(knownSizes);
        } else {
            load();
        }
        last = sizes.isEmpty() ? 0 : sizes.lastKey();
        loadedLast = last;
        trimmedBefore = sizes.isEmpty() ? 0 : sizes.firstKey();
        trim();
    }

    /** The sizes of the entries on disk, oldest first (what a snapshot keeps of the oplog). */
    record Sizes(long[] positions, int[] bytes) {
    }

    /** The sizes of the entries on disk now, for the index snapshot of a clean stop. */
    Sizes sizes() {
        synchronized (appendLock) {
            long[] positions = new long[sizes.size()];
            int[] bytes = new int[positions.length];
            int i = 0;
            for (Map.Entry<Long, Integer> entry : sizes.entrySet()) {
                positions[i] = entry.getKey();
                bytes[i++] = entry.getValue();
            }
            return new Sizes(positions, bytes);
        }
    }

    /**
     * Takes the entries' sizes from a snapshot instead of reading them back (with 50,000 entries kept, a second and a
     * half of a start). Memory starts empty: cursors read older entries from disk, as they read any behind the memory
     * window, and new entries fill it.
     */
    private void loadSizes(Sizes known) {
        for (int i = 0; i < known.positions().length; i++) {
            keepSize(known.positions()[i], known.bytes()[i]);
        }
    }

    /** Counts an entry found on disk at open. */
    private void keepSize(long position, int bytes) {
        sizes.put(position, bytes);
        kept++;
        keptBytes += bytes;
    }

    /** Reads the kept entries back: their sizes all, the newest of them into memory (only those are decoded). */
    private void load() {
        List<Long> keys = new ArrayList<>(stored.keySet());
        keys.sort(null);
        boolean memoryFull = false;
        for (int i = keys.size() - 1; i >= 0; i--) {
            Long key = keys.get(i);
            byte[] bson = bsonOf(stored.get(key));
            if (bson == null) {
                continue;
            }
            keepSize(key, bson.length);
            if (!memoryFull) {
                Entry entry = new Entry(namespaceOf(bson), bson);
                if (memoryUsed + entry.heapBytes() <= memoryBytes || entries.isEmpty()) {
                    entries.put(key, entry);
                    memoryUsed += entry.heapBytes();
                } else {
                    memoryFull = true;
                }
            }
        }
    }

    /** A stored value as an entry: BSON bytes as written now, or a document as older stores kept it. */
    private static Entry entry(Object value) {
        byte[] bson = bsonOf(value);
        return bson == null ? null : new Entry(namespaceOf(bson), bson);
    }

    private static byte[] bsonOf(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return value instanceof Document document ? encode(document) : null;
    }

    static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    static Document decode(byte[] bson) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    private static String namespaceOf(byte[] bson) {
        Object ns = decode(bson).get("ns");
        return ns == null ? "" : ns.toString();
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        if (isOplog(namespace)) {
            return;
        }
        for (Document document : documents) {
            append(namespace, "i", new Document("o", document));
        }
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document update, List<Object> modifiedIds) {
        if (isOplog(namespace)) {
            return;
        }
        boolean replacement = update.keySet().stream().noneMatch(k -> k.startsWith("$"));
        for (Object id : modifiedIds) {
            Document current = currentDocument(namespace, id);
            Document change = new Document("o2", new Document("_id", id));
            if (replacement) {
                // a replace event carries the new document, as MongoDB's does
                change.append("replacement", current == null ? new Document("_id", id) : current);
            } else {
                // the values as this update left them, as MongoDB's oplog records them
                change.append("o", describe(update, current));
            }
            append(namespace, "u", change);
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        if (isOplog(namespace)) {
            return;
        }
        for (Object id : deletedIds) {
            append(namespace, "d", new Document("o", new Document("_id", id)));
        }
    }

    @Override
    public void handleDropCollection(String namespace) {
        if (isOplog(namespace)) {
            return;
        }
        int dot = namespace.indexOf('.');
        append(namespace.substring(0, dot) + ".$cmd", "c", new Document("o", new Document("drop", namespace.substring(dot + 1))));
    }

    /** Stamps the change with the next clusterTime and keeps it; stamping and keeping happen in one order. */
    private void append(String namespace, String op, Document change) {
        synchronized (appendLock) {
            Instant now = clock.instant();
            long ts = Math.max(now.getEpochSecond() << 32, last + 1);
            Document document = new Document("_id", ts).append("ts", new BsonTimestamp(ts)).append("op", op)
                    .append("ns", namespace).append("wall", now);
            document.putAll(change);
            Entry entry = new Entry(namespace, encode(document));
            stored.put(ts, entry.bson());
            sizes.put(ts, entry.bson().length);
            entries.put(ts, entry);
            kept++;
            keptBytes += entry.bson().length;
            memoryUsed += entry.heapBytes();
            last = ts;
            lastOf.put(namespace, ts);
            wake(namespace);
            // memory keeps the newest entries within its budget (always the newest one); the disk keeps them all
            while (memoryUsed > memoryBytes && entries.size() > 1) {
                memoryUsed -= entries.pollFirstEntry().getValue().heapBytes();
            }
            if (kept >= capacity + TRIM_BATCH || keptBytes > maxBytes) {
                trim();
            }
        }
    }

    /** Wakes the change streams waiting on {@code namespace} (a command, such as a drop, wakes its database's). */
    private void wake(String namespace) {
        if (namespace.endsWith(".$cmd")) {
            String database = namespace.substring(0, namespace.length() - "$cmd".length());
            waiting.forEach((waited, threads) -> {
                if (waited.startsWith(database)) {
                    threads.forEach(LockSupport::unpark);
                }
            });
            return;
        }
        Set<Thread> threads = waiting.get(namespace);
        if (threads != null) {
            threads.forEach(LockSupport::unpark);
        }
    }

    /**
     * A change stream's getMore with nothing to return waits here, as MongoDB's awaitData cursors do, until its
     * collection changes or {@code maxMillis} pass, instead of answering at once and being asked again and again.
     * Returns at once for any other cursor.
     */
    void awaitChanges(Cursor cursor, long maxMillis) {
        if (!(cursor instanceof Tail tail) || maxMillis <= 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        Thread self = Thread.currentThread();
        Set<Thread> threads = waiting.computeIfAbsent(tail.namespace, ns -> ConcurrentHashMap.newKeySet());
        threads.add(self);
        try {
            // registered before looking, so a change appended after the look unparks this thread
            while (!tail.hasPending()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || self.isInterrupted()) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            threads.remove(self);
        }
    }

    /** Drops the oldest entries beyond the caps (entries and bytes), from memory and disk. */
    private void trim() {
        while (kept > capacity || (keptBytes > maxBytes && kept > 1)) {
            Map.Entry<Long, Integer> oldest = sizes.pollFirstEntry();
            kept--;
            keptBytes -= oldest.getValue();
            Entry inMemory = entries.remove(oldest.getKey());
            if (inMemory != null) {
                memoryUsed -= inMemory.heapBytes();
            }
            stored.remove(oldest.getKey());
            trimmedBefore = oldest.getKey() + 1;
        }
    }

    /** Entries kept on disk, their bytes, and the bytes held in memory (for tests and metrics). */
    long[] footprint() {
        synchronized (appendLock) {
            return new long[] {kept, keptBytes, memoryUsed};
        }
    }

    /** The kept entries from {@code next} on: from memory, or from disk for a cursor behind the memory window. */
    private Iterable<Map.Entry<Long, Entry>> from(long next) {
        Map.Entry<Long, Entry> firstInMemory = entries.firstEntry();
        if (firstInMemory != null && next >= firstInMemory.getKey()) {
            return entries.tailMap(next, true).entrySet();
        }
        // memory is empty after an open that read no entry back: everything kept is on disk
        long memoryStart = firstInMemory == null ? Long.MAX_VALUE : firstInMemory.getKey();
        List<Map.Entry<Long, Entry>> fromDisk = new ArrayList<>();
        for (Long key : sizes.subMap(next, true, memoryStart, false).keySet()) {
            Entry entry = entry(stored.get(key));
            if (entry != null) {
                fromDisk.add(Map.entry(key, entry));
            }
            if (fromDisk.size() >= TRIM_BATCH) {
                // one batch from disk per getMore; the next one continues from here
                return fromDisk;
            }
        }
        List<Map.Entry<Long, Entry>> all = new ArrayList<>(fromDisk);
        all.addAll(entries.tailMap(memoryStart, true).entrySet());
        return all;
    }

    @Override
    public Cursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
        long start;
        boolean inclusive = false;
        if (changeStream.get("startAfter") instanceof Document token) {
            start = position(token);
        } else if (changeStream.get("resumeAfter") instanceof Document token) {
            start = position(token);
        } else if (changeStream.get("startAtOperationTime") instanceof BsonTimestamp time) {
            start = time.getValue();
            inclusive = true;
        } else {
            start = last;
        }
        long next = inclusive ? start : start + 1;
        if (lost(next)) {
            throw historyLost("Resume of change stream was not possible, as the resume point may no longer be in the oplog.");
        }
        Tail cursor = new Tail(cursors.generateCursorId(), namespace, changeStream, aggregation, next);
        cursors.add(cursor);
        return cursor;
    }

    private static long position(Document token) {
        try {
            return Long.parseUnsignedLong(String.valueOf(token.get("_data")), 16);
        } catch (NumberFormatException e) {
            throw historyLost("Resume token not recognised: " + token);
        }
    }

    /** Whether changes from {@code next} on may have been trimmed away (the oldest kept entry is never before it). */
    private boolean lost(long next) {
        return next < trimmedBefore;
    }

    private static MongoServerError historyLost(String message) {
        return new MongoServerError(CHANGE_STREAM_HISTORY_LOST, "ChangeStreamHistoryLost", message);
    }

    /** A change stream on one namespace: the entries after its position, as events, through its pipeline. */
    private final class Tail extends AbstractCursor {
        private final String namespace;
        private final String commands;
        private final boolean lookup;
        private final Aggregation aggregation;
        /** The next timestamp this cursor has not looked at. */
        private volatile long next;

        Tail(long id, String namespace, Document changeStream, Aggregation aggregation, long next) {
            super(id);
            this.namespace = namespace;
            int dot = namespace.indexOf('.');
            this.commands = (dot < 0 ? namespace : namespace.substring(0, dot)) + ".$cmd";
            this.lookup = "updateLookup".equals(changeStream.get("fullDocument"));
            this.aggregation = aggregation;
            this.next = next;
        }

        @Override
        public boolean isEmpty() {
            return false;
        }

        /** Whether a change of its collection (or a drop in its database) may be waiting, or its history is gone. */
        boolean hasPending() {
            long from = next;
            return lost(from) || from <= loadedLast || lastOf.getOrDefault(namespace, 0L) >= from || lastOf.getOrDefault(commands, 0L) >= from;
        }

        @Override
        public synchronized List<Document> takeDocuments(int count) {
            if (lost(next)) {
                throw historyLost("The change stream fell behind the oldest oplog entry.");
            }
            int limit = count > 0 ? count : Integer.MAX_VALUE;
            List<Document> events = new ArrayList<>();
            for (Map.Entry<Long, Entry> entry : from(next)) {
                if (events.size() >= limit) {
                    break;
                }
                next = entry.getKey() + 1;
                String ns = entry.getValue().namespace();
                boolean command = commands.equals(ns);
                if (!namespace.equals(ns) && !command) {
                    continue;
                }
                Document oplog = decode(entry.getValue().bson());
                if (command && !namespace.endsWith("." + ((Document) oplog.get("o")).get("drop"))) {
                    continue;
                }
                aggregation.runStagesAsStream(java.util.stream.Stream.of(toEvent(oplog))).forEach(events::add);
            }
            return events;
        }

        private Document toEvent(Document oplog) {
            BsonTimestamp ts = (BsonTimestamp) oplog.get("ts");
            String ns = (String) oplog.get("ns");
            int dot = ns.indexOf('.');
            Document event = new Document("_id", new Document("_data", Long.toHexString(ts.getValue())));
            switch ((String) oplog.get("op")) {
                case "i" -> {
                    Document document = (Document) oplog.get("o");
                    event.append("operationType", "insert").append("fullDocument", document)
                            .append("documentKey", new Document("_id", document.get("_id")));
                }
                case "u" -> {
                    Document key = (Document) oplog.get("o2");
                    if (oplog.get("replacement") instanceof Document replacement) {
                        event.append("operationType", "replace").append("fullDocument", replacement);
                    } else {
                        event.append("operationType", "update");
                        if (lookup) {
                            event.append("fullDocument", currentDocument(ns, key.get("_id")));
                        }
                        event.append("updateDescription", oplog.get("o"));
                    }
                    event.append("documentKey", key);
                }
                case "d" -> event.append("operationType", "delete")
                        .append("documentKey", oplog.get("o"));
                default -> {
                    return event.append("operationType", "drop").append("clusterTime", ts)
                            .append("ns", new Document("db", ns.substring(0, dot))
                                    .append("coll", ((Document) oplog.get("o")).get("drop")));
                }
            }
            return event.append("clusterTime", ts).append("wallTime", oplog.get("wall"))
                    .append("ns", new Document("db", ns.substring(0, dot)).append("coll", ns.substring(dot + 1)));
        }
    }

    private static boolean isOplog(String namespace) {
        return namespace.startsWith("local.");
    }

    private Document currentDocument(String namespace, Object id) {
        int dot = namespace == null ? -1 : namespace.indexOf('.');
        if (dot < 0) {
            return null;
        }
        MongoCollection<?> target = backend.resolveDatabase(namespace.substring(0, dot))
                .resolveCollection(namespace.substring(dot + 1), false);
        if (target == null) {
            return null;
        }
        for (Document found : target.handleQuery(new Document("_id", id), 0, 1)) {
            return found.cloneDeeply();
        }
        return null;
    }

    /** MongoDB's updateDescription from the operators and the document after the update. */
    static Document describe(Document update, Document current) {
        Document updated = new Document();
        Set<String> removed = new LinkedHashSet<>();
        for (Map.Entry<String, Object> operator : update.entrySet()) {
            if (!(operator.getValue() instanceof Document fields)) {
                continue;
            }
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                switch (operator.getKey()) {
                    case "$unset" -> removed.add(field.getKey());
                    case "$setOnInsert" -> {
                        // only on insert, which is an insert event
                    }
                    case "$rename" -> {
                        removed.add(field.getKey());
                        String target = String.valueOf(field.getValue());
                        updated.put(target, valueAt(current, target, null));
                    }
                    case "$push" -> {
                        String path = withoutPositional(field.getKey());
                        int appended = path.equals(field.getKey()) ? appendedCount(field.getValue()) : 0;
                        Object array = valueAt(current, path, null);
                        if (appended > 0 && array instanceof List<?> list && list.size() > appended) {
                            // appended at the end: MongoDB names each new element, not the whole array
                            for (int i = list.size() - appended; i < list.size(); i++) {
                                updated.put(path + "." + i, list.get(i));
                            }
                        } else {
                            updated.put(path, array);
                        }
                    }
                    default -> {
                        String path = withoutPositional(field.getKey());
                        Object fallback = "$set".equals(operator.getKey()) ? field.getValue() : null;
                        updated.put(path, valueAt(current, path, fallback));
                    }
                }
            }
        }
        return new Document("updatedFields", updated).append("removedFields", new ArrayList<>(removed))
                .append("truncatedArrays", new ArrayList<>());
    }

    /**
     * How many elements a {@code $push} appends at the end: one, or its {@code $each}; 0 when {@code $position},
     * {@code $slice} or {@code $sort} may move the array's other elements (the whole array is reported then).
     */
    private static int appendedCount(Object push) {
        if (push instanceof Document modifiers && modifiers.containsKey("$each")) {
            boolean plainAppend = modifiers.keySet().stream().allMatch("$each"::equals);
            return plainAppend && modifiers.get("$each") instanceof List<?> each ? each.size() : 0;
        }
        return 1;
    }

    /** {@code a.$.b} or {@code a.$[x].b} changed some element of {@code a}: report the array. */
    private static String withoutPositional(String path) {
        int positional = path.indexOf(".$");
        return positional < 0 ? path : path.substring(0, positional);
    }

    private static Object valueAt(Document document, String path, Object fallback) {
        if (document == null) {
            return fallback;
        }
        Object value = document;
        for (String part : path.split("\\.")) {
            if (value instanceof Document nested) {
                value = nested.get(part);
            } else if (value instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(part);
                value = index < list.size() ? list.get(index) : null;
            } else {
                return fallback;
            }
        }
        return value;
    }
}
