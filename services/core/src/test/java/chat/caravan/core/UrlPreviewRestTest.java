package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Link previews (Rocket.Chat's API_Embed): a posted link is fetched after the post and described in the stored
 * message's urls[i]; chat.getURLPreview describes a link on demand. The pages come from a server on loopback, which
 * only settings an administrator changed let the server fetch.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class UrlPreviewRestTest extends CoreRestTestBase {

    private static final String ARTICLE = """
            <html><head><title>Camel caravans</title>
            <meta property="og:title" content="Caravans &amp; camels">
            <meta property="og:description" content="How a caravan crosses the desert">
            <meta property="og:image" content="https://cdn.example/caravan.jpg">
            <meta name="twitter:card" content="summary_large_image">
            <meta name="viewport" content="width=device-width">
            <link rel="alternate" type="application/json+oembed" href="/oembed.json?url=article">
            </head><body>...</body></html>
            """;

    @Autowired
    MongoDatabase database;

    @Autowired
    CamelContext camel;

    private HttpServer pages;
    private HttpServer unsafePort;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger unsafePortHits = new AtomicInteger();

    @BeforeEach
    void startPageServers() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.equals("/oembed.json")) {
                answer(exchange, "application/json+oembed", ("{\"type\":\"rich\",\"author_name\":\"Ann Dune\","
                        + "\"provider_name\":\"Caravan Times\",\"html\":\"<script>steal()</script>\"}").getBytes(StandardCharsets.UTF_8));
            } else if (path.endsWith(".png")) {
                answer(exchange, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            } else {
                answer(exchange, "text/html; charset=utf-8", ARTICLE.getBytes(StandardCharsets.UTF_8));
            }
        });
        pages.start();
        unsafePort = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        unsafePort.createContext("/", exchange -> {
            unsafePortHits.incrementAndGet();
            answer(exchange, "text/html", ARTICLE.getBytes(StandardCharsets.UTF_8));
        });
        unsafePort.start();
    }

    @AfterEach
    void stopAndRestoreDefaults() {
        pages.stop(0);
        unsafePort.stop(0);
        setting("API_EmbedIgnoredHosts", "localhost, 127.0.0.1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16");
        setting("API_EmbedSafePorts", "80, 443");
        setting("API_Embed", true);
    }

    private static void answer(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String page(String path) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + path;
    }

    private int hitsOf(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    /** As Rocket.Chat's own tests do: the administrator lets the server fetch from loopback on the test's port. */
    private void allowThePageServer() {
        setting("API_EmbedIgnoredHosts", "");
        setting("API_EmbedSafePorts", "80, 443, " + pages.getAddress().getPort());
    }

    private static String channel(Client owner) {
        return owner.post("/api/v1/channels.create", Map.of("name", unique("embed"))).json().path("channel").path("_id").asText();
    }

    /** The stored message once {@code until} holds, polled with a deadline. */
    private static JsonNode messageWhen(Client client, String id, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode message;
        do {
            message = client.get("/api/v1/chat.getMessage?msgId=" + id).json().path("message");
            if (until.test(message)) {
                return message;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the message never got there: " + message);
    }

    @Test
    void aPostedLinkIsDescribedInTheStoredMessageAfterThePost() throws Exception {
        allowThePageServer();
        Client alice = newUser("embed");
        String rid = channel(alice);
        String article = page("/article");
        String refused = "http://127.0.0.1:" + unsafePort.getAddress().getPort() + "/secret";

        Reply posted = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "read " + article + " and " + refused));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        JsonNode answered = posted.json().path("message");
        assertThat(answered.path("urls").path(0).path("meta").size()).as("the post does not wait for the fetch").isZero();

        JsonNode stored = messageWhen(alice, answered.path("_id").asText(),
                m -> m.path("urls").path(0).path("meta").has("ogTitle"));
        JsonNode first = stored.path("urls").path(0);
        assertThat(first.path("url").asText()).isEqualTo(article);
        assertThat(first.path("meta").path("ogTitle").asText()).isEqualTo("Caravans & camels");
        assertThat(first.path("meta").path("ogDescription").asText()).isEqualTo("How a caravan crosses the desert");
        assertThat(first.path("meta").path("ogImage").asText()).isEqualTo("https://cdn.example/caravan.jpg");
        assertThat(first.path("meta").path("twitterCard").asText()).isEqualTo("summary_large_image");
        assertThat(first.path("meta").path("pageTitle").asText()).isEqualTo("Camel caravans");
        assertThat(first.path("meta").has("viewport")).as("only Rocket.Chat's relevant tags").isFalse();
        assertThat(first.path("meta").path("oembedAuthorName").asText()).as("from the page's oEmbed link").isEqualTo("Ann Dune");
        assertThat(first.path("meta").path("oembedProviderName").asText()).isEqualTo("Caravan Times");
        assertThat(first.path("meta").has("oembedHtml")).as("no markup from a page's own oEmbed answer").isFalse();
        assertThat(first.path("headers").path("contentType").asText()).isEqualTo("text/html; charset=utf-8");
        assertThat(first.path("parsedUrl").path("hostname").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("parsedUrl").path("pathname").asText()).isEqualTo("/article");

        // the second link's port is not in API_EmbedSafePorts: decided in the same update, never asked
        assertThat(stored.path("urls").path(1).path("meta").size()).isZero();
        assertThat(stored.path("urls").path(1).has("headers")).isFalse();
        assertThat(unsafePortHits).hasValue(0);
        assertThat(stored.has("editedAt")).as("a preview is not an edit").isFalse();
        assertThat(stored.has("editedBy")).isFalse();
        assertThat(stored.path("_updatedAt").asText()).as("the update is what clients are told of")
                .isNotEqualTo(answered.path("_updatedAt").asText());
        assertThat(database.getCollection("rocketchat_oembed_cache").countDocuments(new org.bson.Document("_id", article)))
                .as("kept in Rocket.Chat's cache").isEqualTo(1);

        // an image link: its type and length, from the headers
        String image = page("/logo.png");
        String imageMessage = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", image)))
                .json().path("message").path("_id").asText();
        JsonNode withImage = messageWhen(alice, imageMessage, m -> m.path("urls").path(0).has("headers"));
        assertThat(withImage.path("urls").path(0).path("headers").path("contentType").asText()).isEqualTo("image/png");
        assertThat(withImage.path("urls").path(0).path("headers").path("contentLength").asText()).isEqualTo("4");

        // an edit gets its new link described too
        String edited = page("/edited");
        alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", imageMessage, "text", "now " + edited));
        JsonNode afterEdit = messageWhen(alice, imageMessage, m -> m.path("urls").path(0).path("url").asText().equals(edited)
                && m.path("urls").path(0).path("meta").has("ogTitle"));
        assertThat(afterEdit.path("urls")).hasSize(1);
    }

    @Test
    void getURLPreviewDescribesALinkForAMemberOfTheRoom() {
        allowThePageServer();
        Client alice = newUser("embed");
        String rid = channel(alice);
        String url = page("/on-demand");
        Reply reply = alice.get("/api/v1/chat.getURLPreview?roomId=" + rid + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode preview = reply.json().path("urlPreview");
        assertThat(preview.path("url").asText()).isEqualTo(url);
        assertThat(preview.path("meta").path("ogTitle").asText()).isEqualTo("Caravans & camels");
        assertThat(preview.path("headers").path("contentType").asText()).isEqualTo("text/html; charset=utf-8");
        assertThat(preview.path("ignoreParse").asBoolean()).isTrue();

        // the administrator puts the defaults back: the cached preview of that loopback link is not answered either
        setting("API_EmbedIgnoredHosts", "localhost, 127.0.0.1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16");
        JsonNode again = alice.get("/api/v1/chat.getURLPreview?roomId=" + rid + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8))
                .json().path("urlPreview");
        assertThat(again.path("meta").size()).as(again.toString()).isZero();
        assertThat(hitsOf("/on-demand")).isEqualTo(1);
        allowThePageServer();

        Client mallory = newUser("embed");
        String group = alice.post("/api/v1/groups.create", Map.of("name", unique("embed-private"))).json().path("group").path("_id").asText();
        Reply notMember = mallory.get("/api/v1/chat.getURLPreview?roomId=" + group + "&url=" + URLEncoder.encode(page("/other"), StandardCharsets.UTF_8));
        assertThat(notMember.status()).as(notMember.toString()).isEqualTo(400);
        assertThat(notMember.json().path("errorType").asText()).isEqualTo("error-not-allowed");
        assertThat(hitsOf("/other")).as("nothing fetched for who may not see the room").isZero();
    }

    @Test
    void underRocketChatsDefaultSettingsALoopbackLinkIsNotFetched() throws Exception {
        Client alice = newUser("embed");
        String rid = channel(alice);
        String url = page("/internal");
        Reply reply = alice.get("/api/v1/chat.getURLPreview?roomId=" + rid + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("urlPreview").path("meta").size()).isZero();
        assertThat(reply.json().path("urlPreview").has("headers")).isFalse();
        assertThat(hitsOf("/internal")).isZero();

        // posted, it is refused too (the port allowed, so only the loopback entries refuse it): once the hand-off
        // queue is drained and nothing is in flight, the message is as posted and the page was never asked
        setting("API_EmbedSafePorts", "80, 443, " + pages.getAddress().getPort());
        String posted = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", url + " " + page("/internal-2")))
                .json().path("message").path("_id").asText();
        awaitPreviewsDone();
        JsonNode stored = alice.get("/api/v1/chat.getMessage?msgId=" + posted).json().path("message");
        assertThat(stored.path("urls")).hasSize(2);
        assertThat(stored.path("urls").path(0).path("meta").size()).isZero();
        assertThat(stored.path("urls").path(1).path("meta").size()).isZero();
        assertThat(hitsOf("/internal") + hitsOf("/internal-2")).isZero();
    }

    @Test
    void theCacheKeepsPreviewsForTheExpirationDaysAndAnAdministratorClearsTheExpiredOnes() {
        allowThePageServer();
        Client alice = newUser("embed");
        String rid = channel(alice);
        String url = page("/cached");
        String query = "/api/v1/chat.getURLPreview?roomId=" + rid + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
        assertThat(alice.get(query).json().path("urlPreview").path("meta").path("ogTitle").asText()).isEqualTo("Caravans & camels");
        assertThat(alice.get(query).json().path("urlPreview").path("meta").path("ogTitle").asText()).isEqualTo("Caravans & camels");
        assertThat(hitsOf("/cached")).as("the second answer came from the cache").isEqualTo(1);

        // older than API_EmbedCacheExpirationDays: fetched again, and removed by OEmbedCacheCleanup
        var cache = database.getCollection("rocketchat_oembed_cache");
        cache.updateOne(new org.bson.Document("_id", url), new org.bson.Document("$set",
                new org.bson.Document("updatedAt", new java.util.Date(System.currentTimeMillis() - Duration.ofDays(31).toMillis()))));
        assertThat(alice.get(query).json().path("urlPreview").path("meta").path("ogTitle").asText()).isEqualTo("Caravans & camels");
        assertThat(hitsOf("/cached")).isEqualTo(2);
        cache.updateOne(new org.bson.Document("_id", url), new org.bson.Document("$set",
                new org.bson.Document("updatedAt", new java.util.Date(System.currentTimeMillis() - Duration.ofDays(31).toMillis()))));

        JsonNode refused = MessageLimitsRestTest.ddpResult(MessageLimitsRestTest.methodCall(alice, "OEmbedCacheCleanup"));
        assertThat(refused.path("error").path("error").asText()).as(refused.toString()).isEqualTo("error-not-allowed");
        assertThat(cache.countDocuments(new org.bson.Document("_id", url))).isEqualTo(1);
        JsonNode cleared = MessageLimitsRestTest.ddpResult(MessageLimitsRestTest.methodCall(admin(), "OEmbedCacheCleanup"));
        assertThat(cleared.path("result").path("message").asText()).as(cleared.toString()).isEqualTo("cache_cleared");
        assertThat(cache.countDocuments(new org.bson.Document("_id", url))).isZero();
    }

    @Test
    void withApiEmbedOffNothingIsFetched() throws Exception {
        allowThePageServer();
        setting("API_Embed", false);
        Client alice = newUser("embed");
        String rid = channel(alice);
        String url = page("/embed-off");
        String posted = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", url)).json().path("message").path("_id").asText();
        awaitPreviewsDone();
        assertThat(alice.get("/api/v1/chat.getMessage?msgId=" + posted).json().path("message").path("urls").path(0).path("meta").size()).isZero();
        JsonNode preview = alice.get("/api/v1/chat.getURLPreview?roomId=" + rid + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8))
                .json().path("urlPreview");
        assertThat(preview.path("meta").size()).isZero();
        assertThat(hitsOf("/embed-off")).isZero();
    }

    /** Waits until route message-url-preview has nothing queued and nothing in flight. */
    private void awaitPreviewsDone() throws InterruptedException {
        SedaEndpoint queue = camel.getEndpoint("seda:message.urlPreview", SedaEndpoint.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (queue.getCurrentQueueSize() > 0 || camel.getInflightRepository().size("message-url-preview") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("link previews still queued or running");
            }
            Thread.sleep(20);
        }
    }
}
