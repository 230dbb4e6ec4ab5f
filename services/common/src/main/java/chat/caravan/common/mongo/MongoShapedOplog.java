package chat.caravan.common.mongo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

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

/**
 * The embedded store's oplog: change events shaped like MongoDB's, kept on disk (so a change stream resumes across a
 * restart) and in memory (so following it costs a lookup, not a scan), capped like MongoDB's oplog.
 *
 * <p>mongo-java-server's own oplog (1.47) answers every {@code getMore} by deserializing and sorting the whole oplog
 * collection, which grows without bound; its update events carry the update operators as {@code documentKey}. This
 * one records each change once, in clusterTime order, in a map of the store keyed by its timestamp (no collection,
 * so no index to maintain), and mirrors the newest {@code capacity} entries in a skip list that cursors read without locks. Its events carry
 * {@code documentKey = {_id}}, {@code updateDescription = {updatedFields, removedFields, truncatedArrays}},
 * {@code fullDocument} on insert, on replace and, when {@code updateLookup} was asked for, on update; a cursor asked
 * to resume from a position older than the oldest kept entry fails with MongoDB's {@code ChangeStreamHistoryLost}.
 */
public class MongoShapedOplog implements Oplog {

    /** MongoDB's error code when a resume token points before the oldest oplog entry. */
    static final int CHANGE_STREAM_HISTORY_LOST = 286;
    /** Entries removed from disk at a time once the cap is passed. */
    private static final int TRIM_BATCH = 1000;

    private final MongoBackend backend;
    /** The kept entries on disk, by timestamp. */
    private final Map<Long, Document> stored;
    private final CursorRegistry cursors;
    private final Clock clock;
    private final int capacity;
    private final ConcurrentSkipListMap<Long, Document> entries = new ConcurrentSkipListMap<>();
    private final Object appendLock = new Object();
    /** The newest timestamp handed out; a cursor opened "now" starts after it. */
    private volatile long last;
    /** How many entries are kept (a skip list counts itself by walking it), changed under the append lock. */
    private int kept;
    /** Positions before this one may have been trimmed away. */
    private volatile long trimmedBefore;

    public MongoShapedOplog(MongoBackend backend, Map<Long, Document> stored, CursorRegistry cursors, int capacity) {
        this.backend = backend;
        this.stored = stored;
        this.cursors = cursors;
        this.clock = backend.getClock();
        this.capacity = Math.max(capacity, TRIM_BATCH);
        load();
    }

    /** Reads the kept entries back. */
    private void load() {
        entries.putAll(stored);
        kept = entries.size();
        last = entries.isEmpty() ? 0 : entries.lastKey();
        trimmedBefore = entries.isEmpty() ? 0 : entries.firstKey();
        trim();
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        if (isOplog(namespace)) {
            return;
        }
        for (Document document : documents) {
            append(namespace, "i", new Document("o", document.cloneDeeply()));
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
            Document entry = new Document("_id", ts).append("ts", new BsonTimestamp(ts)).append("op", op)
                    .append("ns", namespace).append("wall", now);
            entry.putAll(change);
            stored.put(ts, entry);
            entries.put(ts, entry);
            kept++;
            last = ts;
            if (kept >= capacity + TRIM_BATCH) {
                trim();
            }
        }
    }

    /** Drops the oldest entries beyond the cap, from memory and disk. */
    private void trim() {
        while (kept > capacity) {
            Map.Entry<Long, Document> oldest = entries.pollFirstEntry();
            kept--;
            stored.remove(oldest.getKey());
            trimmedBefore = oldest.getKey() + 1;
        }
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
        private long next;

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

        @Override
        public synchronized List<Document> takeDocuments(int count) {
            if (lost(next)) {
                throw historyLost("The change stream fell behind the oldest oplog entry.");
            }
            int limit = count > 0 ? count : Integer.MAX_VALUE;
            List<Document> events = new ArrayList<>();
            ConcurrentNavigableMap<Long, Document> tail = entries.tailMap(next, true);
            for (Map.Entry<Long, Document> entry : tail.entrySet()) {
                if (events.size() >= limit) {
                    break;
                }
                next = entry.getKey() + 1;
                Document oplog = entry.getValue();
                Object ns = oplog.get("ns");
                boolean command = commands.equals(ns);
                if (!namespace.equals(ns) && !command) {
                    continue;
                }
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
                    Document document = ((Document) oplog.get("o")).cloneDeeply();
                    event.append("operationType", "insert").append("fullDocument", document)
                            .append("documentKey", new Document("_id", document.get("_id")));
                }
                case "u" -> {
                    Document key = ((Document) oplog.get("o2")).cloneDeeply();
                    if (oplog.get("replacement") instanceof Document replacement) {
                        event.append("operationType", "replace").append("fullDocument", replacement.cloneDeeply());
                    } else {
                        event.append("operationType", "update");
                        if (lookup) {
                            event.append("fullDocument", currentDocument(ns, key.get("_id")));
                        }
                        event.append("updateDescription", ((Document) oplog.get("o")).cloneDeeply());
                    }
                    event.append("documentKey", key);
                }
                case "d" -> event.append("operationType", "delete")
                        .append("documentKey", ((Document) oplog.get("o")).cloneDeeply());
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
