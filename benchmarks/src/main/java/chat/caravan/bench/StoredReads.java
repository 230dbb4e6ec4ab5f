package chat.caravan.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import chat.caravan.it.harness.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * What reading a large store costs a client, measured in {@code stored-start} on the all-in-one restarted on a million
 * messages: each of the 200 rooms' latest 50 messages ({@code channels.history}, what a client shows when it opens a
 * room), twice (the second time the store's pages and the index's order of each room are warm), then the 50 replies
 * of each of the threads ({@code chat.getThreadMessages}), then a page of 50 of ten rooms' messages with their total
 * ({@code channels.messages}, which counts the room's 5,000). Timed one request after the other, as the
 * administrator; a request that fails or takes over a minute is counted, not timed.
 */
final class StoredReads {

    static final int ROOMS = 200;
    static final int THREADS = 10;
    static final int REPLIES = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredReads() {
    }

    /**
     * The rooms the stored messages are in (public channels) and {@link #THREADS} threads of {@link #REPLIES} replies
     * in the first rooms, written once into a store that lacks them, and the messages' indexes.
     */
    static void prepare(MongoCollection<Document> rooms, MongoCollection<Document> messages) {
        // the indexes the all-in-one makes, as a store it has run on has them: the first start measures a start after
        // a crash, not also the making of an index on a million messages
        messages.createIndex(Indexes.ascending("rid", "ts"));
        messages.createIndex(Indexes.ascending("tmid"), new IndexOptions().sparse(true));
        for (int r = 0; r < ROOMS; r++) {
            String id = "stored-room-" + r;
            rooms.replaceOne(Filters.eq("_id", id), new Document("_id", id).append("t", "c").append("name", id)
                    .append("fname", id).append("ts", new Date(0)).append("_updatedAt", new Date(0)).append("usersCount", 0)
                    .append("msgs", 0).append("u", new Document("_id", "stored-user-0").append("username", "user0")),
                    new ReplaceOptions().upsert(true));
        }
        if (messages.find(Filters.eq("_id", threadId(0))).first() != null) {
            return;
        }
        long base = System.currentTimeMillis();
        List<Document> written = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String rid = "stored-room-" + t;
            Date at = new Date(base + t);
            written.add(message(threadId(t), rid, "a thread", at).append("tcount", REPLIES).append("tlm", at)
                    .append("replies", List.of("stored-user-0")));
            for (int i = 0; i < REPLIES; i++) {
                written.add(message(threadId(t) + "-" + i, rid, "reply " + i, new Date(base + 1000 + i)).append("tmid", threadId(t)));
            }
        }
        messages.insertMany(written);
    }

    static String threadId(int thread) {
        return "stored-thread-" + thread;
    }

    private static Document message(String id, String rid, String text, Date at) {
        return new Document("_id", id).append("rid", rid).append("msg", text).append("ts", at)
                .append("u", new Document("_id", "stored-user-0").append("username", "user0")).append("_updatedAt", at);
    }

    /** The reads against the all-in-one at {@code base}, into {@code result}. */
    static void measure(URI base, Result result) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of(
                        "user", Topology.ADMIN_USERNAME, "password", Topology.ADMIN_PASSWORD)))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode data = JSON.readTree(login.body()).path("data");
        String[] auth = {"X-User-Id", data.path("userId").asText(), "X-Auth-Token", data.path("authToken").asText()};
        for (String pass : new String[] {"history_cold", "history_warm"}) {
            List<URI> rooms = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++) {
                rooms.add(base.resolve("/api/v1/channels.history?roomId=stored-room-" + r + "&count=50"));
            }
            timeAll(http, rooms, auth, 50, pass, result);
        }
        List<URI> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(base.resolve("/api/v1/chat.getThreadMessages?tmid=" + threadId(t) + "&count=50"));
        }
        timeAll(http, threads, auth, REPLIES, "thread_replies", result);
        List<URI> pages = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            pages.add(base.resolve("/api/v1/channels.messages?roomId=stored-room-" + r + "&count=50"));
        }
        timeAll(http, pages, auth, 50, "room_pages", result);
        System.out.println("stored reads: " + result);
    }

    /** Each of {@code uris} timed one after the other into {@code result} as {@code name}; failures counted. */
    private static void timeAll(HttpClient http, List<URI> uris, String[] auth, int expected, String name, Result result) {
        List<Double> took = new ArrayList<>();
        int failed = 0;
        for (URI uri : uris) {
            try {
                took.add(timed(http, uri, auth, expected));
            } catch (Exception e) {
                failed++;
                System.out.println(name + " failed: " + e);
            }
        }
        result.put(name + "_failed", failed);
        if (!took.isEmpty()) {
            result.put(name, Stats.of(took.stream().mapToDouble(Double::doubleValue).toArray()));
        }
    }

    /** Milliseconds to answer {@code uri}, which must give {@code expected} messages. */
    private static double timed(HttpClient http, URI uri, String[] auth, int expected) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).headers(auth).timeout(Duration.ofMinutes(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        double took = (System.nanoTime() - started) / 1e6;
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.path("messages").size() != expected) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + " with "
                    + body.path("messages").size() + " messages: " + response.body().substring(0, Math.min(300, response.body().length())));
        }
        return took;
    }
}
