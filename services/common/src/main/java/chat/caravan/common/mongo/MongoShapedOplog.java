package chat.caravan.common.mongo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * Makes mongo-java-server's change events look like MongoDB's, so stream-hub has one code path for both stores.
 * Its own oplog (1.47) writes update events whose {@code documentKey} is the update operators, with no
 * {@code updateDescription}, and {@code updateLookup} yielding the {@code $set} content. This oplog records each
 * update with its document id beside the operators, then reshapes the events it serves: {@code documentKey = {_id}},
 * {@code updateDescription = {updatedFields, removedFields, truncatedArrays}}, the current document as
 * {@code fullDocument} when {@code updateLookup} was asked for, and {@code replace} for a whole-document update.
 */
public class MongoShapedOplog implements Oplog {

    static final String ID_KEY = "caravanDocumentId";
    static final String DESCRIPTION_KEY = "caravanUpdateDescription";
    static final String REPLACED_KEY = "caravanReplaced";

    private final Oplog delegate;
    private final MongoBackend backend;
    private final CursorRegistry cursors;

    public MongoShapedOplog(Oplog delegate, MongoBackend backend, CursorRegistry cursors) {
        this.delegate = delegate;
        this.backend = backend;
        this.cursors = cursors;
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        delegate.handleInsert(namespace, documents);
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document update, List<Object> modifiedIds) {
        boolean replacement = update.keySet().stream().noneMatch(k -> k.startsWith("$"));
        for (Object id : modifiedIds) {
            // the values as this update left them, as MongoDB's oplog records them
            Document entry = new Document(ID_KEY, id);
            if (replacement) {
                Document replaced = currentDocument(namespace, id);
                entry.append(REPLACED_KEY, replaced == null ? new Document("_id", id) : replaced);
            } else {
                entry.append(DESCRIPTION_KEY, describe(update, currentDocument(namespace, id)));
            }
            delegate.handleUpdate(namespace, selector, entry, List.of(id));
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        delegate.handleDelete(namespace, query, deletedIds);
    }

    @Override
    public void handleDropCollection(String namespace) {
        delegate.handleDropCollection(namespace);
    }

    @Override
    public Cursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
        Cursor cursor = delegate.createCursor(changeStream, namespace, aggregation);
        Cursor shaped = new ShapedCursor(cursor, changeStream, namespace);
        // later getMore calls find the cursor by id: serve them the reshaped events too
        if (cursors.getCursor(cursor.getId()) == cursor) {
            cursors.remove(cursor.getId());
            cursors.add(shaped);
        }
        return shaped;
    }

    private final class ShapedCursor implements Cursor {
        private final Cursor inner;
        private final boolean lookup;
        private final String namespace;

        ShapedCursor(Cursor inner, Document changeStream, String namespace) {
            this.inner = inner;
            this.lookup = "updateLookup".equals(changeStream.get("fullDocument"));
            this.namespace = namespace;
        }

        @Override
        public long getId() {
            return inner.getId();
        }

        @Override
        public boolean isEmpty() {
            return inner.isEmpty();
        }

        @Override
        public List<Document> takeDocuments(int count) {
            List<Document> events = inner.takeDocuments(count);
            List<Document> shaped = new ArrayList<>(events.size());
            for (Document event : events) {
                shaped.add(reshape(event));
            }
            return shaped;
        }

        private Document reshape(Document event) {
            if (!"update".equals(event.get("operationType")) || !(event.get("documentKey") instanceof Document key)
                    || !key.containsKey(ID_KEY)) {
                return event;
            }
            Object id = key.get(ID_KEY);
            event.put("documentKey", new Document("_id", id));
            if (key.get(REPLACED_KEY) instanceof Document replacement) {
                // a replace event carries the new document, as MongoDB's does
                event.put("operationType", "replace");
                event.put("fullDocument", replacement);
                return event;
            }
            event.put("updateDescription", key.get(DESCRIPTION_KEY));
            if (lookup) {
                event.put("fullDocument", currentDocument(namespace, id));
            } else {
                event.remove("fullDocument");
            }
            return event;
        }
    }

    private Document currentDocument(String namespace, Object id) {
        int dot = namespace == null ? -1 : namespace.indexOf('.');
        if (dot < 0) {
            return null;
        }
        MongoCollection<?> collection = backend.resolveDatabase(namespace.substring(0, dot))
                .resolveCollection(namespace.substring(dot + 1), false);
        if (collection == null) {
            return null;
        }
        for (Document found : collection.handleQuery(new Document("_id", id), 0, 1)) {
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
