package chat.caravan.bench;

import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import chat.caravan.common.model.Ids;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * The floor of this design, for scenario {@code floor}: each message enters as the writes Rocket.Chat's data model
 * needs for it and nothing else. The load generator sends them straight to the store, as chat.postMessage's writer
 * does at the end of a post: the message, the room's count and last message, and the sender's membership read up to
 * it, each acknowledged before its sync, then one durability barrier (the store's {@code fsync}). No REST request, token,
 * permission check, read or pipeline step comes before them. The server does the rest as it does for a post:
 * stream-hub reads the changes and ddp-streamer fans the message out to the room's sessions. So a step's CPU per
 * message is what any message costs on this store and this event path, whatever the REST side does.
 *
 * <p>The writes run on as many threads as the REST side has workers (64), so concurrent messages share syncs as
 * posts do.
 */
final class StoreWrites implements AutoCloseable {

    /**
     * As WriteDurability defers a post's writes on the embedded store; WriteDurability itself is not used here, as it
     * asks the store through MongoConfiguration, which brings Spring and Micrometer onto the generator's classpath.
     */
    private static final WriteConcern DEFERRED = WriteConcern.W1.withJournal(false);

    private final MongoClient client;
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> rooms;
    private final MongoCollection<Document> subscriptions;
    private final MongoDatabase admin;
    private final ExecutorService writers = Executors.newFixedThreadPool(64);

    StoreWrites(String mongoUrl) {
        client = MongoClients.create(mongoUrl);
        MongoDatabase db = client.getDatabase("rocketchat");
        messages = db.getCollection("rocketchat_message").withWriteConcern(DEFERRED);
        rooms = db.getCollection("rocketchat_room").withWriteConcern(DEFERRED);
        subscriptions = db.getCollection("rocketchat_subscription").withWriteConcern(DEFERRED);
        admin = client.getDatabase("admin");
    }

    /** Writes message {@code text} by {@code sender} into room {@code rid}, on a writer thread; counts failures. */
    void post(Fixtures.BenchUser sender, String rid, String text, AtomicLong failed) {
        writers.execute(() -> {
            try {
                Date now = new Date();
                Document message = new Document("_id", Ids.random()).append("rid", rid).append("msg", text).append("ts", now)
                        .append("u", new Document("_id", sender.id()).append("username", sender.username())
                                .append("name", sender.username()))
                        .append("_updatedAt", now).append("mentions", List.of()).append("channels", List.of())
                        .append("urls", List.of()).append("attachments", List.of())
                        .append("md", List.of(new Document("type", "PARAGRAPH").append("value",
                                List.of(new Document("type", "PLAIN_TEXT").append("value", text)))));
                messages.insertOne(message);
                rooms.updateOne(Filters.eq("_id", rid), Updates.combine(Updates.inc("msgs", 1),
                        Updates.set("_updatedAt", now), Updates.set("lm", now), Updates.set("lastMessage", message)));
                subscriptions.updateOne(Filters.and(Filters.eq("rid", rid), Filters.eq("u._id", sender.id())),
                        Updates.combine(Updates.set("open", true), Updates.set("alert", false), Updates.set("unread", 0),
                                Updates.set("userMentions", 0), Updates.set("groupMentions", 0), Updates.set("ls", now),
                                Updates.set("_updatedAt", now)));
                admin.runCommand(new Document("fsync", 1));
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        writers.shutdown();
        writers.awaitTermination(30, TimeUnit.SECONDS);
        client.close();
    }
}
