package chat.caravan.common.mongo;

import java.util.Map;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

/**
 * A compound unique index of the embedded store that also serves queries on its first field, as MongoDB serves them
 * from the index prefix: mongo-java-server's unique index only answers a query naming all its fields, so a find or an
 * updateMany by room on the (room, user) index of subscriptions would scan the collection. Uniqueness stays with the
 * unique index it wraps; the prefix is a {@link SecondaryIndex} kept beside it. Both live in memory and are filled
 * together from the documents when the store opens.
 */
final class PrefixedUniqueIndex extends Index<Object> implements IndexSnapshot.Snapshotted {

    private final MemoryUniqueIndex unique;
    private final SecondaryIndex prefix;

    PrefixedUniqueIndex(MemoryUniqueIndex unique) {
        super(unique.getName(), unique.getKeys(), false);
        this.unique = unique;
        this.prefix = new SecondaryIndex(unique.getName(), unique.getKeys());
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public Document toIndexDescription() {
        return unique.toIndexDescription();
    }

    @Override
    public Object getPosition(Document document) {
        return unique.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        unique.checkAdd(document, collection);
    }

    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        unique.add(document, position, collection);
        prefix.add(document, position, collection);
    }

    @Override
    public synchronized Object remove(Document document) {
        prefix.remove(document);
        return unique.remove(document);
    }

    @Override
    public boolean canHandle(Document query) {
        return unique.canHandle(query) || prefix.canHandle(query);
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        return unique.canHandle(query) ? unique.getPositions(query) : prefix.getPositions(query);
    }

    @Override
    public long getCount() {
        return unique.getCount();
    }

    @Override
    public long getDataSize() {
        return unique.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        unique.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, Object position,
                                           MongoCollection<Object> collection) throws KeyConstraintError {
        unique.updateInPlace(oldDocument, newDocument, position, collection);
        prefix.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public synchronized void drop() {
        unique.drop();
        prefix.drop();
    }

    @Override
    public String snapshotKind() {
        return "prefixed";
    }

    @Override
    public synchronized void writeTo(IndexSnapshot.Out out) throws java.io.IOException {
        unique.writeTo(out);
        prefix.writeTo(out);
    }

    /** What a snapshot holds of it: the unique index's contents and the prefix's. */
    record Contents(Map<Object, Object> unique, SecondaryIndex.Contents prefix) {
    }

    /** What {@link #writeTo} wrote. */
    static Contents readFrom(IndexSnapshot.In in) throws java.io.IOException {
        return new Contents(MemoryUniqueIndex.readFrom(in), SecondaryIndex.readFrom(in));
    }

    @Override
    public synchronized void restore(Object contents) {
        Contents read = (Contents) contents;
        unique.restore(read.unique());
        prefix.restore(read.prefix());
    }
}
