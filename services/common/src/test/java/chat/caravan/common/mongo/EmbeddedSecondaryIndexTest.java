package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's non-unique indexes answer exactly what a collection scan answers: the same collection is kept
 * twice, once indexed and once not, through random writes, a restart and the queries the services make.
 */
class EmbeddedSecondaryIndexTest {

    @TempDir
    Path dataDir;

    EmbeddedMongoServer server;
    MongoClient client;
    MongoCollection<Document> indexed;
    MongoCollection<Document> plain;

    @BeforeEach
    void start() {
        open();
        indexed.createIndex(Indexes.ascending("rid", "u._id"));
        indexed.createIndex(Indexes.ascending("uids"));
        indexed.createIndex(Indexes.ascending("n"));
    }

    private void open() {
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        client = MongoClients.create(server.connectionString());
        MongoDatabase database = client.getDatabase("rocketchat");
        indexed = database.getCollection("indexed");
        plain = database.getCollection("plain");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void queriesAnswerAsAScanWouldThroughWritesAndARestart() {
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            both(document(random, "d" + i));
        }
        randomWrites(random);
        assertSameAnswers();
        client.close();
        server.close();
        open();
        // the indexes as the snapshot gave them back, then changed: keys gain and lose documents
        assertSameAnswers();
        randomWrites(random);
        assertSameAnswers();
        client.close();
        server.close();
        StoreFiles.deleteIndexSnapshot(dataDir);
        open();
        // rebuilt from the documents
        assertSameAnswers();
        randomWrites(random);
        assertSameAnswers();
    }

    private void randomWrites(Random random) {
        for (int i = 0; i < 300; i++) {
            String id = "d" + random.nextInt(400);
            switch (random.nextInt(5)) {
                case 0 -> {
                    Bson change = Updates.combine(Updates.set("rid", "r" + random.nextInt(6)), Updates.inc("n", 1));
                    indexed.updateOne(Filters.eq("_id", id), change);
                    plain.updateOne(Filters.eq("_id", id), change);
                }
                case 1 -> {
                    Bson filter = Filters.and(Filters.eq("rid", "r" + random.nextInt(6)), Filters.ne("u._id", "u1"));
                    indexed.updateMany(filter, Updates.inc("unread", 1));
                    plain.updateMany(filter, Updates.inc("unread", 1));
                }
                case 2 -> {
                    indexed.deleteOne(Filters.eq("_id", id));
                    plain.deleteOne(Filters.eq("_id", id));
                }
                case 3 -> {
                    Bson change = Updates.addToSet("uids", "u" + random.nextInt(8));
                    indexed.updateOne(Filters.eq("_id", id), change);
                    plain.updateOne(Filters.eq("_id", id), change);
                }
                default -> {
                    // a document deleted earlier comes back, or a present one is refused as a duplicate by both
                    Document again = document(random, id);
                    if (plain.find(Filters.eq("_id", id)).first() == null) {
                        both(again);
                    }
                }
            }
        }
    }

    @Test
    void sortedQueriesWithALimitAreReadInTheIndexOrderAndAnswerAsASortWould() {
        indexed.createIndex(Indexes.ascending("rid", "ts"));
        Random random = new Random(7);
        for (int i = 0; i < 600; i++) {
            both(timed(random, "t" + i));
        }
        assertSameSortedAnswers(true);
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < 200; i++) {
                String id = "t" + random.nextInt(600);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        // a message edited: its time moves, or it moves to another room
                        Bson change = random.nextBoolean() ? Updates.set("ts", new java.util.Date(random.nextInt(50)))
                                : Updates.set("rid", "r" + random.nextInt(4));
                        indexed.updateOne(Filters.eq("_id", id), change);
                        plain.updateOne(Filters.eq("_id", id), change);
                    }
                    case 1 -> {
                        indexed.deleteOne(Filters.eq("_id", id));
                        plain.deleteOne(Filters.eq("_id", id));
                    }
                    default -> {
                        if (plain.find(Filters.eq("_id", id)).first() == null) {
                            both(timed(random, id));
                        }
                    }
                }
            }
            assertSameSortedAnswers(true);
            client.close();
            server.close();
            if (step == 1) {
                StoreFiles.deleteIndexSnapshot(dataDir);
            }
            // from the snapshot, then rebuilt from the documents, then from the snapshot again
            open();
            assertSameSortedAnswers(true);
        }
        // a document with an array of times in one room: MongoDB sorts it by one of them, so that room is sorted as
        // before (every document read), the others still in the index's order
        both(new Document("_id", "array").append("rid", "r1").append("ts", List.of(new java.util.Date(3), new java.util.Date(40))));
        long ordered = ScanReportingCollection.ORDERED.sum();
        Bson room1 = Filters.eq("rid", "r1");
        assertThat(indexed.find(room1).sort(new Document("ts", -1)).limit(5).into(new ArrayList<>()))
                .isEqualTo(plain.find(room1).sort(new Document("ts", -1)).limit(5).into(new ArrayList<>()));
        assertThat(ScanReportingCollection.ORDERED.sum()).as("room r1 not read in the index's order").isEqualTo(ordered);
        assertSameSortedAnswers(false);
    }

    /**
     * The sorted, limited queries a room's history makes give the same documents in the same order from both
     * collections; {@code everyRoom}: each of them was read in the (rid, ts) index's order.
     */
    private void assertSameSortedAnswers(boolean everyRoom) {
        List<Bson> queries = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            queries.add(Filters.eq("rid", "r" + r));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.lt("ts", new java.util.Date(25))));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.gte("ts", new java.util.Date(10)),
                    Filters.ne("u._id", "u1")));
            // a range from both ends, one on the edge of a time many messages share
            queries.add(new Document("rid", "r" + r).append("ts", new Document("$gt", new java.util.Date(12))
                    .append("$lte", new java.util.Date(30))));
            queries.add(new Document("rid", "r" + r).append("ts", new Document("$gte", new java.util.Date(20))
                    .append("$ne", new java.util.Date(22)).append("$lt", new java.util.Date(21))));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.gt("ts", new java.util.Date(40)),
                    Filters.lt("ts", new java.util.Date(45))));
            // a number's range: only numbers meet it, not the dates beside them
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.lte("ts", 3)));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.gt("ts", 1.5)));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.eq("ts", new java.util.Date(7))));
        }
        long ordered = ScanReportingCollection.ORDERED.sum();
        int served = 0;
        for (Bson query : queries) {
            for (int direction : new int[] {1, -1}) {
                for (int[] skipAndLimit : new int[][] {{0, 1}, {0, 7}, {3, 20}, {0, 500}}) {
                    Document sort = new Document("ts", direction);
                    assertThat(indexed.find(query).sort(sort).skip(skipAndLimit[0]).limit(skipAndLimit[1])
                            .projection(new Document("ts", 1)).into(new ArrayList<>()))
                            .as(query + " " + sort + " skip " + skipAndLimit[0] + " limit " + skipAndLimit[1])
                            .isEqualTo(plain.find(query).sort(sort).skip(skipAndLimit[0]).limit(skipAndLimit[1])
                                    .projection(new Document("ts", 1)).into(new ArrayList<>()));
                    served++;
                }
            }
        }
        if (everyRoom) {
            assertThat(ScanReportingCollection.ORDERED.sum() - ordered).isEqualTo(served);
        }
        // without a limit, or sorted by another field, the documents are read and sorted as before
        Bson room = Filters.eq("rid", "r2");
        assertThat(indexed.find(room).sort(new Document("ts", -1)).into(new ArrayList<>()))
                .isEqualTo(plain.find(room).sort(new Document("ts", -1)).into(new ArrayList<>()));
        assertThat(indexed.find(room).sort(new Document("n", 1)).limit(5).into(new ArrayList<>()))
                .isEqualTo(plain.find(room).sort(new Document("n", 1)).limit(5).into(new ArrayList<>()));
    }

    /**
     * A message in one of four rooms, at one of 50 times (so that many share one), a few without a time, with null or
     * with a time of another type.
     */
    private static Document timed(Random random, String id) {
        Document document = new Document("_id", id).append("rid", "r" + random.nextInt(4)).append("n", random.nextInt(5))
                .append("u", new Document("_id", "u" + random.nextInt(3)));
        int kind = random.nextInt(20);
        if (kind == 0) {
            document.append("ts", null);
        } else if (kind == 2) {
            // times of other types, which MongoDB orders before (numbers, strings) or after (booleans) the dates
            document.append("ts", random.nextBoolean() ? (Object) random.nextInt(5) : "t" + random.nextInt(3));
        } else if (kind == 3) {
            document.append("ts", random.nextBoolean() ? (Object) (random.nextInt(5) + 0.5) : Boolean.TRUE);
        } else if (kind > 3) {
            document.append("ts", new java.util.Date(random.nextInt(50)));
        }
        return document;
    }

    @Test
    void aSparseIndexLeavesOutDocumentsWithoutItsFieldAndAnswersAsAScanWould() {
        indexed.createIndex(Indexes.ascending("tmid"), new IndexOptions().sparse(true));
        Random random = new Random(11);
        for (int i = 0; i < 1500; i++) {
            Document message = new Document("_id", "m" + i).append("rid", "r" + random.nextInt(6));
            int kind = random.nextInt(10);
            if (kind == 0) {
                message.append("tmid", null);
            } else if (kind < 3) {
                message.append("tmid", "m" + random.nextInt(20));
            }
            both(message);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 150; i++) {
                String id = "m" + random.nextInt(1500);
                Bson change = switch (random.nextInt(3)) {
                    case 0 -> Updates.unset("tmid");
                    case 1 -> Updates.set("tmid", "m" + random.nextInt(20));
                    default -> Updates.set("tmid", null);
                };
                indexed.updateOne(Filters.eq("_id", id), change);
                plain.updateOne(Filters.eq("_id", id), change);
            }
            long scansBefore = scans("indexed");
            for (int t = 0; t < 20; t++) {
                Bson replies = Filters.and(Filters.eq("tmid", "m" + t), Filters.ne("_hidden", true));
                assertThat(indexed.find(replies).into(new ArrayList<>())).as("replies of m" + t)
                        .isEqualTo(plain.find(replies).into(new ArrayList<>()));
            }
            assertThat(scans("indexed")).as("a thread's replies are found by the index").isEqualTo(scansBefore);
            // what a document without the field matches is never looked up in the index
            for (Bson query : List.of(Filters.eq("tmid", null), Filters.exists("tmid", false), Filters.exists("tmid"),
                    Filters.ne("tmid", "m3"), Filters.in("tmid", "m4", null))) {
                assertThat(indexed.find(query).into(new ArrayList<>())).as(query.toString())
                        .isEqualTo(plain.find(query).into(new ArrayList<>()));
            }
            client.close();
            server.close();
            if (round == 1) {
                StoreFiles.deleteIndexSnapshot(dataDir);
            }
            open();
        }
    }

    @Test
    void anAggregationThatBeginsWithAMatchReadsOnlyWhatTheMatchFinds() {
        indexed.createIndex(Indexes.ascending("rid", "ts"));
        Random random = new Random(5);
        for (int i = 0; i < 2000; i++) {
            both(timed(random, "c" + i).append("query", i % 3));
        }
        long scansBefore = scans("indexed");
        for (int r = 0; r < 4; r++) {
            Bson room = Filters.eq("rid", "r" + r);
            Bson recent = Filters.and(room, Filters.gt("ts", new java.util.Date(30)), Filters.ne("u._id", "u1"));
            for (Bson filter : List.of(room, recent)) {
                assertThat(indexed.countDocuments(filter)).as(filter.toString()).isEqualTo(plain.countDocuments(filter))
                        .isPositive();
            }
            List<Bson> pipeline = List.of(com.mongodb.client.model.Aggregates.match(room),
                    com.mongodb.client.model.Aggregates.group("$u._id", com.mongodb.client.model.Accumulators.sum("n", 1)),
                    com.mongodb.client.model.Aggregates.sort(new Document("_id", 1)));
            assertThat(indexed.aggregate(pipeline).into(new ArrayList<>())).isEqualTo(plain.aggregate(pipeline).into(new ArrayList<>()));
        }
        assertThat(scans("indexed")).as("every match above was found by the index").isEqualTo(scansBefore);
        // a match the index does not serve, one on a field named like a query's wrapper, and a pipeline without a
        // leading match read every document, and answer as before
        for (Bson filter : List.of(Filters.eq("n", 2), Filters.eq("query", 1))) {
            assertThat(indexed.countDocuments(filter)).isEqualTo(plain.countDocuments(filter)).isPositive();
        }
        List<Bson> grouped = List.of(com.mongodb.client.model.Aggregates.group("$rid", com.mongodb.client.model.Accumulators.sum("n", 1)),
                com.mongodb.client.model.Aggregates.sort(new Document("_id", 1)));
        assertThat(indexed.aggregate(grouped).into(new ArrayList<>())).hasSize(4)
                .isEqualTo(plain.aggregate(grouped).into(new ArrayList<>()));
    }

    @Test
    void aCompoundUniqueIndexServesItsFirstFieldAndStaysUniqueAcrossARestart() {
        MongoCollection<Document> subs = client.getDatabase("rocketchat").getCollection("subs");
        MongoCollection<Document> twin = client.getDatabase("rocketchat").getCollection("subs_plain");
        subs.createIndex(Indexes.ascending("rid", "u._id"), new IndexOptions().unique(true));
        for (int r = 0; r < 5; r++) {
            for (int u = 0; u < 7; u++) {
                Document sub = new Document("_id", "s" + r + u).append("rid", "r" + r)
                        .append("u", new Document("_id", "u" + u)).append("unread", 0);
                subs.insertOne(new Document(sub));
                twin.insertOne(new Document(sub));
            }
        }
        Bson others = Filters.and(Filters.eq("rid", "r2"), Filters.ne("u._id", "u3"));
        subs.updateMany(others, Updates.inc("unread", 1));
        twin.updateMany(others, Updates.inc("unread", 1));
        subs.deleteOne(Filters.eq("_id", "s41"));
        twin.deleteOne(Filters.eq("_id", "s41"));
        for (int round = 0; round < 2; round++) {
            for (int r = 0; r < 5; r++) {
                Bson byRoom = Filters.eq("rid", "r" + r);
                assertThat(subs.find(byRoom).into(new ArrayList<>())).isEqualTo(twin.find(byRoom).into(new ArrayList<>()));
                Bson exact = Filters.and(Filters.eq("rid", "r" + r), Filters.eq("u._id", "u" + r));
                assertThat(subs.find(exact).into(new ArrayList<>())).isEqualTo(twin.find(exact).into(new ArrayList<>()));
            }
            MongoCollection<Document> current = subs;
            assertThatThrownBy(() -> current.insertOne(new Document("_id", "dup").append("rid", "r1")
                    .append("u", new Document("_id", "u1")))).isInstanceOf(MongoWriteException.class);
            client.close();
            server.close();
            open();
            subs = client.getDatabase("rocketchat").getCollection("subs");
            twin = client.getDatabase("rocketchat").getCollection("subs_plain");
        }
    }

    @Test
    void andQueriesAreServedByAnIndexAndAnswerWhatTheirConditionsSay() {
        List<Document> all = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            Document document = new Document("_id", String.format("a%04d", i)).append("rid", "r" + (i % 12))
                    .append("u", new Document("_id", "u" + (i % 7))).append("n", i % 5);
            all.add(document);
            indexed.insertOne(new Document(document));
        }
        long scansBefore = scans("indexed");
        List<Bson> queries = List.of(
                Filters.and(Filters.eq("rid", "r3"), Filters.ne("u._id", "u2")),
                Filters.and(Filters.eq("rid", "r4"), Filters.gt("n", 1), Filters.lt("n", 4)),
                Filters.and(Filters.eq("rid", "r5"), Filters.and(Filters.eq("n", 2), Filters.ne("u._id", "u0"))),
                Filters.and(Filters.eq("rid", "r6"), Filters.gte("n", 1), Filters.gte("n", 3)),
                Filters.and(Filters.in("rid", "r1", "r2"), Filters.or(Filters.eq("n", 0), Filters.eq("n", 4))));
        List<java.util.function.Predicate<Document>> meant = List.of(
                d -> d.get("rid").equals("r3") && !((Document) d.get("u")).get("_id").equals("u2"),
                d -> d.get("rid").equals("r4") && d.getInteger("n") > 1 && d.getInteger("n") < 4,
                d -> d.get("rid").equals("r5") && d.getInteger("n") == 2 && !((Document) d.get("u")).get("_id").equals("u0"),
                d -> d.get("rid").equals("r6") && d.getInteger("n") >= 3,
                d -> (d.get("rid").equals("r1") || d.get("rid").equals("r2")) && (d.getInteger("n") == 0 || d.getInteger("n") == 4));
        for (int i = 0; i < queries.size(); i++) {
            List<Object> expected = all.stream().filter(meant.get(i)).map(d -> d.get("_id")).toList();
            List<Object> found = indexed.find(queries.get(i)).sort(new Document("_id", 1)).into(new ArrayList<>())
                    .stream().map(d -> d.get("_id")).toList();
            assertThat(found).as(queries.get(i).toString()).isNotEmpty().isEqualTo(expected);
        }
        // the _id index finds the document of a query naming more than _id; the other conditions still apply
        assertThat(indexed.find(Filters.and(Filters.eq("_id", "a0005"), Filters.eq("rid", "r5"))).first()).isNotNull();
        assertThat(indexed.find(Filters.and(Filters.eq("_id", "a0005"), Filters.eq("rid", "r6"))).first()).isNull();
        assertThat(indexed.find(Filters.and(Filters.eq("_id", "a0005"), Filters.ne("u._id", "u5"))).first()).isNull();
        indexed.updateMany(queries.get(0), Updates.inc("unread", 1));
        assertThat(indexed.countDocuments(Filters.eq("unread", 1))).isEqualTo(all.stream().filter(meant.get(0)).count());
        // every query above was served by the (rid, u._id) index: none read the 1,200 documents
        assertThat(scans("indexed")).isEqualTo(scansBefore + 1);  // the count on "unread", which no index serves
    }

    @Test
    void aLargeCollectionsIndexesAreLoadedOrRebuiltAtOpenAndAnswerAsBefore() {
        MongoCollection<Document> big = client.getDatabase("rocketchat").getCollection("big");
        big.createIndex(Indexes.ascending("rid", "ts"));
        big.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
        int count = 25_000;
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // ids of two types, as a collection written by several clients over the years may hold
            Object id = i % 3 == 0 ? (Object) i : String.format("m%06d", i);
            batch.add(new Document("_id", id).append("rid", "r" + (i % 50)).append("ts", i).append("key", "k" + i));
            if (batch.size() == 1000) {
                big.insertMany(batch);
                batch = new ArrayList<>();
            }
        }
        // once with the indexes saved at the clean stop, once rebuilt from the documents
        for (boolean fromSnapshot : new boolean[] {true, false}) {
            client.close();
            server.close();
            if (!fromSnapshot) {
                StoreFiles.deleteIndexSnapshot(dataDir);
            }
            open();
            assertThat(server.restoredIndexes() > 0).as("indexes loaded from the snapshot").isEqualTo(fromSnapshot);
            assertTheBigCollectionAnswers(count);
        }
    }

    private void assertTheBigCollectionAnswers(int count) {
        MongoCollection<Document> big = client.getDatabase("rocketchat").getCollection("big");
        long scansBefore = scans("big");
        for (int r = 0; r < 50; r++) {
            assertThat(big.find(Filters.eq("rid", "r" + r)).into(new ArrayList<>())).as("room r" + r).hasSize(count / 50);
        }
        for (int i = 0; i < count; i += 997) {
            Object id = i % 3 == 0 ? (Object) i : String.format("m%06d", i);
            assertThat(big.find(Filters.eq("_id", id)).first()).as("id " + id).isNotNull();
            assertThat(big.find(Filters.eq("key", "k" + i)).first()).as("key k" + i).isNotNull()
                    .extracting(d -> d.get("_id")).isEqualTo(id);
        }
        assertThat(scans("big")).as("every query above was served by an index").isEqualTo(scansBefore);
        // the unique indexes still refuse a duplicate, with MongoDB's code and the key in the message
        assertThatThrownBy(() -> big.insertOne(new Document("_id", "dup").append("key", "k7")))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getCode()).isEqualTo(11000))
                .hasMessageContaining("k7");
        assertThatThrownBy(() -> big.insertOne(new Document("_id", "m000001").append("key", "fresh")))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getCode()).isEqualTo(11000))
                .hasMessageContaining("m000001");
        assertThat(big.find(Filters.eq("key", "fresh")).first()).as("nothing of the refused document is kept").isNull();
    }

    private static long scans(String collection) {
        java.util.concurrent.atomic.LongAdder scans = ScanReportingCollection.SCANS.get(collection);
        return scans == null ? 0 : scans.sum();
    }

    private void assertSameAnswers() {
        List<Bson> queries = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            queries.add(Filters.eq("rid", "r" + r));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.eq("u._id", "u" + r)));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.ne("u._id", "u2")));
            queries.add(Filters.and(Filters.eq("rid", "r" + r), Filters.gt("n", 2)));
        }
        queries.add(Filters.in("rid", "r1", "r3"));
        queries.add(Filters.and(Filters.in("rid", "r1", "r3"), Filters.in("u._id", "u1", "u2", "u5")));
        for (int u = 0; u < 8; u++) {
            queries.add(Filters.eq("uids", "u" + u));
        }
        queries.add(Filters.eq("n", 3));
        queries.add(Filters.eq("n", 3.0));
        queries.add(Filters.eq("rid", null));
        queries.add(Filters.exists("rid", false));
        queries.add(Filters.regex("_id", "^d1"));
        queries.add(Filters.in("_id", "d3", "d33", "d333", "nobody"));
        queries.add(Filters.and(Filters.eq("_id", "d7"), Filters.eq("n", 1)));
        for (Bson query : queries) {
            assertThat(indexed.find(query).into(new ArrayList<>())).as(query.toString())
                    .isEqualTo(plain.find(query).into(new ArrayList<>()));
        }
        assertThat(indexed.countDocuments()).isEqualTo(plain.countDocuments());
    }

    private void both(Document document) {
        indexed.insertOne(new Document(document));
        plain.insertOne(new Document(document));
    }

    private static Document document(Random random, String id) {
        Document document = new Document("_id", id).append("n", random.nextInt(5));
        if (random.nextInt(10) > 0) {
            document.append("rid", "r" + random.nextInt(6));
        }
        document.append("u", new Document("_id", "u" + random.nextInt(8)).append("username", "user"));
        List<String> uids = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            uids.add("u" + random.nextInt(8));
        }
        return document.append("uids", uids);
    }
}
