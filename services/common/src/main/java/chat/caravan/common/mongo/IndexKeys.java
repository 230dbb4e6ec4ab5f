package chat.caravan.common.mongo;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * A document's key for an index whose fields are all top-level and hold plain values (a string, a date, an object
 * id, a boolean), as the store's indexes nearly always find them ({@code _id}, a room id and a timestamp), without
 * mongo-java-server's general extraction (a map of values per field, array expansion, normalization), which took a
 * quarter of a start that rebuilt the indexes of a million messages and runs several times per write. For such values
 * that extraction yields exactly this one key: none of them is normalized or expanded.
 */
final class IndexKeys {

    private IndexKeys() {
    }

    /** The one key of {@code document} for {@code fields}, or null when the general extraction is needed. */
    static Set<KeyValue> plain(List<String> fields, Document document) {
        if (fields.size() == 1) {
            Object value = plainValue(fields.get(0), document);
            return value == null ? null : Set.of(new KeyValue(value));
        }
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = plainValue(fields.get(i), document);
            if (values[i] == null) {
                return null;
            }
        }
        return Set.of(new KeyValue(values));
    }

    /** The field's value when it is top-level and plain, else null. */
    private static Object plainValue(String field, Document document) {
        if (field.indexOf('.') >= 0) {
            return null;
        }
        Object value = document.get(field);
        return value instanceof String || value instanceof Instant || value instanceof Date || value instanceof ObjectId
                || value instanceof Boolean ? value : null;
    }
}
