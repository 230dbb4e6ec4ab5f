package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

/** What a non-unique index holds, seen from the index itself. */
class SecondaryIndexTest {

    @Test
    void aSparseIndexHoldsOnlyTheDocumentsWithItsField() {
        SecondaryIndex sparse = new SecondaryIndex("tmid_1", List.of(new IndexKey("tmid", true)), true);
        SecondaryIndex dense = new SecondaryIndex("tmid_1", List.of(new IndexKey("tmid", true)), false);
        List<Document> messages = List.of(new Document("_id", "a"), new Document("_id", "b").append("tmid", "a"),
                new Document("_id", "c").append("tmid", null), new Document("_id", "d").append("rid", "r"));
        for (Document message : messages) {
            sparse.add(message, message.get("_id"), null);
            dense.add(message, message.get("_id"), null);
        }
        // a null value is a value: MongoDB's sparse index keeps the document, only a missing field leaves it out
        assertThat(sparse.getCount()).isEqualTo(2);
        assertThat(dense.getCount()).isEqualTo(4);
        sparse.remove(messages.get(0));
        sparse.remove(messages.get(1));
        assertThat(sparse.getCount()).isEqualTo(1);
        assertThat(sparse.getPositions(new Document("tmid", "a"))).isEmpty();
        assertThat(snapshotKind(sparse)).isNotEqualTo(snapshotKind(dense));
        // a null removed, then set again: the key is the same, the document leaves the index and comes back
        Document nulled = messages.get(2);
        Document removed = new Document("_id", "c");
        sparse.updateInPlace(nulled, removed, "c", null);
        assertThat(sparse.getCount()).isZero();
        sparse.updateInPlace(removed, nulled, "c", null);
        assertThat(sparse.getCount()).isEqualTo(1);
    }

    @Test
    void aSparseIndexOnADottedFieldHoldsEveryDocument() {
        SecondaryIndex index = new SecondaryIndex("u._id_1", List.of(new IndexKey("u._id", true)), true);
        index.add(new Document("_id", "a"), "a", null);
        index.add(new Document("_id", "b").append("u", new Document("_id", "x")), "b", null);
        assertThat(index.getCount()).isEqualTo(2);
    }

    private static String snapshotKind(SecondaryIndex index) {
        return index.snapshotKind();
    }
}
