package chat.caravan.ddpstreamer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.caravan.accounts.login.PasswordHashing;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.model.Collections;
import chat.caravan.common.testing.CaravanTestProperties;
import chat.caravan.common.testing.DdpTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** DDP over real WebSockets against ddp-streamer in the same JVM as accounts, authorization and presence. */
@SpringBootTest(classes = DdpProtocolTest.App.class)
class DdpProtocolTest {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.ddpstreamer", "chat.caravan.accounts",
            "chat.caravan.authorization", "chat.caravan.presence"})
    static class App {
    }

    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        port = CaravanTestProperties.register(registry);
        registry.add("caravan.ddp.ping-after", () -> "1s");
        registry.add("caravan.ddp.ping-timeout", () -> "1s");
        registry.add("caravan.ddp.heartbeat-check", () -> "200");
        // as behind one reverse proxy: the last X-Forwarded-For entry is the client's address
        registry.add("caravan.http.trusted-proxies", () -> "1");
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    String username;
    String userId;

    @BeforeEach
    void user() {
        username = "ddp" + System.nanoTime();
        userId = bus.call("accounts.createUser", Map.of("username", username, "email", username + "@t.io", "password", "pw",
                "name", "D")).path("user").path("_id").asText();
    }

    String url() {
        return "ws://127.0.0.1:" + port + "/websocket";
    }

    @Test
    void handshakePingMethodsAndErrorsInMeteorsShape() {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            client.send(Map.of("msg", "ping", "id", "p1"));
            assertThat(client.await(m -> "pong".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("id").asText()).isEqualTo("p1");

            JsonNode login = client.call("login", Map.of("user", Map.of("username", username),
                    "password", Map.of("digest", PasswordHashing.sha256Hex("pw"), "algorithm", "sha-256")));
            assertThat(login.path("result").path("id").asText()).isEqualTo(userId);
            assertThat(login.path("result").path("tokenExpires").has("$date")).isTrue();
            client.await(m -> "updated".equals(m.path("msg").asText()), Duration.ofSeconds(5));

            JsonNode wrong = client.call("login", Map.of("user", Map.of("username", username), "password", "nope"));
            assertThat(wrong.path("error").path("error").asInt()).isEqualTo(401);
            assertThat(wrong.path("error").path("reason").asText()).isEqualTo("User not found");
            assertThat(wrong.path("error").path("message").asText()).isEqualTo("User not found [401]");
            assertThat(wrong.path("error").path("errorType").asText()).isEqualTo("Meteor.Error");

            client.send(Map.of("msg", "method", "id", 7));
            assertThat(client.await(m -> "error".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("reason").asText())
                    .isEqualTo("Malformed method invocation");
            client.send(Map.of("msg", "nonsense"));
            assertThat(client.await(m -> "error".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("reason").asText())
                    .isEqualTo("Bad request");
            client.send(Map.of("msg", "connect", "version", "1"));
            assertThat(client.await(m -> "error".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("reason").asText())
                    .isEqualTo("Already connected");

            JsonNode sub = client.subscribe("stream-nope", "x", Map.of());
            assertThat(sub.path("msg").asText()).isEqualTo("nosub");
            assertThat(sub.path("error").path("error").asInt()).isEqualTo(404);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void unparsableFramesAndTalkingBeforeConnectCloseTheSocket() {
        DdpTestClient garbage = DdpTestClient.connect(url());
        garbage.sendRaw("{not json");
        assertThat(garbage.awaitClose(Duration.ofSeconds(5))).isEqualTo(1007);

        DdpTestClient early = DdpTestClient.open(url());
        early.send(Map.of("msg", "method", "id", "1", "method", "login", "params", List.of()));
        assertThat(early.awaitClose(Duration.ofSeconds(5))).isEqualTo(1002);

        DdpTestClient badVersion = DdpTestClient.open(url());
        badVersion.send(Map.of("msg", "connect", "version", "42", "support", List.of("42")));
        assertThat(badVersion.await(m -> "failed".equals(m.path("msg").asText()), Duration.ofSeconds(5)).path("version").asText())
                .isEqualTo("1");
    }

    @Test
    void streamsNeedLoginAndOnlyTheUserReadsTheirOwnEvents() {
        try (DdpTestClient anonymous = DdpTestClient.connect(url()); DdpTestClient client = DdpTestClient.connect(url())) {
            JsonNode refused = anonymous.subscribe("stream-notify-logged", "user-status", Map.of("useCollection", false, "args", List.of()));
            assertThat(refused.path("error").path("error").asText()).isEqualTo("not-allowed");

            String token = bus.call("accounts.login", Map.of("username", username, "password", "pw")).path("token").asText();
            client.loginWithToken(token);
            client.await(m -> "added".equals(m.path("msg").asText()) && "users".equals(m.path("collection").asText()),
                    Duration.ofSeconds(5));
            assertThat(client.subscribe("stream-notify-user", "someone-else/message", Map.of()).path("msg").asText()).isEqualTo("nosub");
            assertThat(client.subscribe("stream-notify-user", userId + "/subscriptions-changed", Map.of()).path("msg").asText())
                    .isEqualTo("ready");
            assertThat(client.subscribe("stream-notify-all", "", Map.of()).path("error").path("error").asText())
                    .isEqualTo("invalid-event-name");

            bus.publish("watch.subscriptions", Map.of("eventId", "e1", "clientAction", "inserted", "id", "sub1",
                    "data", Map.of("_id", "sub1", "rid", "GENERAL", "u", Map.of("_id", userId))));
            JsonNode event = client.await(m -> "stream-notify-user".equals(m.path("collection").asText()), Duration.ofSeconds(5));
            assertThat(event.path("fields").path("eventName").asText()).isEqualTo(userId + "/subscriptions-changed");
            assertThat(event.path("fields").path("args").path(0).asText()).isEqualTo("inserted");
            bus.publish("watch.subscriptions", Map.of("eventId", "e1", "clientAction", "inserted", "id", "sub1",
                    "data", Map.of("_id", "sub1", "rid", "GENERAL", "u", Map.of("_id", userId))));
            assertThat(client.poll(m -> "stream-notify-user".equals(m.path("collection").asText()), Duration.ofMillis(500)))
                    .as("a repeated event id is delivered once").isNull();
        }
    }

    @Test
    void roomStreamsOfAPrivateRoomNeedAccessAtSubscribe() {
        String rid = "grp" + System.nanoTime();
        database.getCollection(Collections.ROOMS).insertOne(new Document("_id", rid).append("t", "p").append("name", "covert-" + rid));
        try (DdpTestClient client = loggedIn()) {
            for (Object[] stream : List.of(new Object[] {"stream-room-messages", rid}, new Object[] {"stream-room-data", rid},
                    new Object[] {"stream-notify-room", rid + "/deleteMessage"}, new Object[] {"stream-notify-room", rid + "/user-activity"},
                    new Object[] {"stream-notify-user", "someone-else/notification"},
                    new Object[] {"stream-notify-user", "someone-else/rooms-changed"})) {
                JsonNode refused = client.subscribe((String) stream[0], stream[1], Map.of("useCollection", false, "args", List.of()));
                assertThat(refused.path("msg").asText()).as(stream[0] + " " + stream[1]).isEqualTo("nosub");
                assertThat(refused.path("error").path("error").asText()).isEqualTo("not-allowed");
                assertThat(refused.toString()).doesNotContain("covert");
            }
        }
    }

    @Test
    void aMemberRemovedFromAPrivateRoomStopsReceivingEveryStreamOfIt() {
        String rid = "grp" + System.nanoTime();
        database.getCollection(Collections.ROOMS).insertOne(new Document("_id", rid).append("t", "p").append("name", "covert-" + rid));
        database.getCollection(Collections.SUBSCRIPTIONS).insertOne(new Document("_id", "sub-" + rid).append("rid", rid)
                .append("t", "p").append("u", new Document("_id", userId).append("username", username)));
        try (DdpTestClient client = loggedIn()) {
            subscribeToRoom(client, rid);
            assertThat(client.subscribe("stream-notify-user", userId + "/subscriptions-changed", Map.of()).path("msg").asText())
                    .isEqualTo("ready");
            database.getCollection(Collections.SUBSCRIPTIONS).deleteOne(Filters.eq("_id", "sub-" + rid));
            bus.publish("watch.subscriptions", Map.of("eventId", "removed-" + rid, "clientAction", "removed", "id", "sub-" + rid,
                    "data", Map.of("_id", "sub-" + rid, "rid", rid, "t", "p", "u", Map.of("_id", userId))));
            client.await(m -> m.toString().contains("subscriptions-changed") && m.toString().contains("removed"), Duration.ofSeconds(5));
            publishSecrets(rid);
            assertThat(client.poll(m -> m.toString().contains(SECRET), Duration.ofMillis(1500)))
                    .as("the room's data, messages and notifications after removal").isNull();
        }
    }

    @Test
    void roomsChangedFollowsTheMembershipEvents() {
        String rid = "chn" + System.nanoTime();
        database.getCollection(Collections.ROOMS).insertOne(new Document("_id", rid).append("t", "c").append("name", "team-" + rid));
        Document subscription = new Document("_id", "sub-" + rid).append("rid", rid).append("t", "c")
                .append("u", new Document("_id", userId).append("username", username));
        database.getCollection(Collections.SUBSCRIPTIONS).insertOne(subscription);
        try (DdpTestClient client = loggedIn()) {
            assertThat(client.subscribe("stream-notify-user", userId + "/rooms-changed", Map.of()).path("msg").asText())
                    .isEqualTo("ready");
            publishRoomTopic(rid, "first");
            JsonNode changed = client.await(m -> m.toString().contains("first"), Duration.ofSeconds(5));
            assertThat(changed.path("fields").path("eventName").asText()).isEqualTo(userId + "/rooms-changed");
            assertThat(changed.path("fields").path("args").path(0).asText()).isEqualTo("updated");
            assertThat(changed.path("fields").path("args").path(1).path("topic").asText()).isEqualTo("first");

            database.getCollection(Collections.SUBSCRIPTIONS).deleteOne(Filters.eq("_id", "sub-" + rid));
            bus.publish("watch.subscriptions", Map.of("eventId", "left-" + rid, "clientAction", "removed", "id", "sub-" + rid,
                    "data", Map.of("_id", "sub-" + rid, "rid", rid, "t", "c", "u", Map.of("_id", userId))));
            client.await(m -> m.toString().contains("removed") && m.toString().contains(rid), Duration.ofSeconds(5));
            publishRoomTopic(rid, SECRET);
            assertThat(client.poll(m -> m.toString().contains(SECRET), Duration.ofMillis(1500)))
                    .as("a room the user left").isNull();

            database.getCollection(Collections.SUBSCRIPTIONS).insertOne(subscription);
            bus.publish("watch.subscriptions", Map.of("eventId", "back-" + rid, "clientAction", "inserted", "id", "sub-" + rid,
                    "data", Map.of("_id", "sub-" + rid, "rid", rid, "t", "c", "u", Map.of("_id", userId, "username", username))));
            client.await(m -> m.toString().contains("inserted") && m.toString().contains(rid), Duration.ofSeconds(5));
            publishRoomTopic(rid, "again");
            assertThat(client.await(m -> m.toString().contains("again"), Duration.ofSeconds(5))).as("back in the room").isNotNull();
        }
    }

    private void publishRoomTopic(String rid, String topic) {
        bus.publish("watch.rooms", Map.of("eventId", "topic-" + rid + System.nanoTime(), "clientAction", "updated", "id", rid,
                "data", Map.of("_id", rid, "t", "c", "name", "team-" + rid, "topic", topic)));
    }

    @Test
    void aPublicChannelTurnedPrivateStopsStreamingToThoseNotInIt() {
        String rid = "chn" + System.nanoTime();
        database.getCollection(Collections.ROOMS).insertOne(new Document("_id", rid).append("t", "c").append("name", "open-" + rid));
        String member = "member" + System.nanoTime();
        String memberId = bus.call("accounts.createUser", Map.of("username", member, "email", member + "@t.io", "password", "pw",
                "name", "M")).path("user").path("_id").asText();
        database.getCollection(Collections.SUBSCRIPTIONS).insertOne(new Document("_id", "sub-" + rid).append("rid", rid)
                .append("t", "c").append("u", new Document("_id", memberId).append("username", member)));
        try (DdpTestClient outsider = loggedIn(); DdpTestClient insider = DdpTestClient.connect(url())) {
            insider.loginWithToken(bus.call("accounts.login", Map.of("username", member, "password", "pw")).path("token").asText());
            subscribeToRoom(outsider, rid);
            assertThat(insider.subscribe("stream-room-messages", rid, Map.of("useCollection", false, "args", List.of()))
                    .path("msg").asText()).isEqualTo("ready");
            database.getCollection(Collections.ROOMS).updateOne(Filters.eq("_id", rid), Updates.set("t", "p"));
            bus.publish("watch.rooms", Map.of("eventId", "private-" + rid, "clientAction", "updated", "id", rid,
                    "data", Map.of("_id", rid, "t", "p", "name", "open-" + rid, "topic", SECRET)));
            for (int ended = 0; ended < 4; ) {
                JsonNode next = outsider.await(m -> true, Duration.ofSeconds(5));
                assertThat(next.toString()).as("the event that made the room private").doesNotContain(SECRET);
                ended += "nosub".equals(next.path("msg").asText()) ? 1 : 0;
            }
            publishSecrets(rid);
            assertThat(insider.await(m -> m.toString().contains(SECRET), Duration.ofSeconds(5))).as("a member still reads it").isNotNull();
            assertThat(outsider.poll(m -> m.toString().contains(SECRET), Duration.ofMillis(1500)))
                    .as("the now private room's data, messages and notifications").isNull();
        }
    }

    @Test
    void aMentionNotifiesOnlyMembersOfTheRoom() {
        String outside = "grp" + System.nanoTime();
        String inside = "grp" + System.nanoTime() + "b";
        for (String rid : List.of(outside, inside)) {
            database.getCollection(Collections.ROOMS).insertOne(new Document("_id", rid).append("t", "p").append("name", "covert-" + rid));
        }
        database.getCollection(Collections.SUBSCRIPTIONS).insertOne(new Document("_id", "sub-" + inside).append("rid", inside)
                .append("t", "p").append("u", new Document("_id", userId).append("username", username)));
        try (DdpTestClient client = loggedIn()) {
            assertThat(client.subscribe("stream-notify-user", userId + "/notification", Map.of()).path("msg").asText()).isEqualTo("ready");
            for (String rid : List.of(outside, inside)) {
                bus.publish("watch.messages", Map.of("eventId", "mention-" + rid, "clientAction", "inserted", "id", "m-" + rid,
                        "data", Map.of("_id", "m-" + rid, "rid", rid, "msg", SECRET + " @" + username,
                                "u", Map.of("_id", "someone", "username", "someone"),
                                "mentions", List.of(Map.of("_id", userId, "username", username)))));
            }
            JsonNode notified = client.await(m -> m.toString().contains(SECRET), Duration.ofSeconds(5));
            assertThat(notified.toString()).as("the member's own room").contains(inside).doesNotContain("covert-" + outside);
            assertThat(client.poll(m -> m.toString().contains(SECRET), Duration.ofMillis(1500)))
                    .as("a mention in a private room the user is not in").isNull();
        }
    }

    static final String SECRET = "the merger closes on friday";

    private DdpTestClient loggedIn() {
        DdpTestClient client = DdpTestClient.connect(url());
        client.loginWithToken(bus.call("accounts.login", Map.of("username", username, "password", "pw")).path("token").asText());
        return client;
    }

    private static void subscribeToRoom(DdpTestClient client, String rid) {
        for (Object[] stream : List.of(new Object[] {"stream-room-messages", rid}, new Object[] {"stream-room-data", rid},
                new Object[] {"stream-notify-room", rid + "/deleteMessage"}, new Object[] {"stream-notify-room", rid + "/user-activity"})) {
            assertThat(client.subscribe((String) stream[0], stream[1], Map.of("useCollection", false, "args", List.of()))
                    .path("msg").asText()).as(stream[0] + " " + stream[1]).isEqualTo("ready");
        }
    }

    private void publishSecrets(String rid) {
        bus.publish("watch.rooms", Map.of("eventId", "room-" + rid + System.nanoTime(), "clientAction", "updated", "id", rid,
                "data", Map.of("_id", rid, "t", "p", "topic", SECRET, "lastMessage", Map.of("msg", SECRET))));
        bus.publish("stream.notify", Map.of("stream", "notify-room", "eventName", rid + "/deleteMessage",
                "args", List.of(Map.of("_id", SECRET))));
        bus.publish("stream.notify", Map.of("stream", "notify-room", "eventName", rid + "/user-activity",
                "args", List.of(SECRET, List.of("user-typing"))));
        bus.publish("watch.messages", Map.of("eventId", "msg-" + rid + System.nanoTime(), "clientAction", "inserted", "id", "m-" + rid,
                "data", Map.of("_id", "m-" + rid, "rid", rid, "msg", SECRET, "u", Map.of("_id", "someone", "username", "someone"))));
    }

    @Test
    void idleClientsArePingedAndSilentOnesDropped() {
        DdpTestClient client = DdpTestClient.connect(url());
        assertThat(client.await(m -> "ping".equals(m.path("msg").asText()), Duration.ofSeconds(5))).isNotNull();
        client.abort();
    }

    @Test
    void aPingIsAnsweredWhileAMethodCallOfTheSameConnectionIsStillRunning() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (AutoCloseable slowCore = bus.serve("core.method", request -> {
                 try {
                     release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 return Map.of("done", true);
             });
             DdpTestClient client = DdpTestClient.connect(url())) {
            client.send(Map.of("msg", "method", "id", "slow-1", "method", "someCoreMethod", "params", List.of()));
            client.send(Map.of("msg", "ping", "id", "beat"));
            JsonNode pong = client.await(m -> "pong".equals(m.path("msg").asText()), Duration.ofSeconds(10));
            assertThat(pong.path("id").asText()).isEqualTo("beat");
            // the call was still waiting for core when the pong came: the heartbeat did not queue behind it
            assertThat(release.getCount()).isEqualTo(1);
            release.countDown();
            JsonNode result = client.await(m -> "result".equals(m.path("msg").asText()), Duration.ofSeconds(10));
            assertThat(result.path("id").asText()).isEqualTo("slow-1");
        }
    }

    @Test
    void sockJsFramesWrapEveryMessage() {
        DdpTestClient client = DdpTestClient.open("ws://127.0.0.1:" + port + "/sockjs/123/abcdef/websocket");
        assertThat(client.await(m -> "o".equals(m.path("unparsable").asText()), Duration.ofSeconds(5))).isNotNull();
        client.sendRaw("[\"{\\\"msg\\\":\\\"connect\\\",\\\"version\\\":\\\"1\\\",\\\"support\\\":[\\\"1\\\"]}\"]");
        JsonNode framed = client.await(m -> m.path("unparsable").asText().startsWith("a["), Duration.ofSeconds(5));
        assertThat(framed.path("unparsable").asText()).contains("connected");
        client.sendRaw("[\"{\\\"msg\\\":\\\"ping\\\",\\\"id\\\":\\\"x\\\"}\"]");
        assertThat(client.await(m -> m.path("unparsable").asText().contains("pong"), Duration.ofSeconds(5))).isNotNull();
        client.abort();
    }

    @Test
    void sockJsInfoAnswersAsSockJs() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/sockjs/info?cb=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"websocket\":true").contains("\"cookie_needed\":false").contains("entropy");
    }

    @Test
    void unknownUserAndWrongPasswordAnswerByteIdentically() {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            JsonNode wrongPassword = client.call("login", Map.of("user", Map.of("username", username), "password", "nope"));
            JsonNode unknownUser = client.call("login", Map.of("user", Map.of("username", "nobody-" + username), "password", "nope"));
            JsonNode unknownEmail = client.call("login", Map.of("user", Map.of("email", "nobody-" + username + "@t.io"), "password", "nope"));
            assertThat(wrongPassword.path("error").toString()).isEqualTo("{\"isClientSafe\":true,\"error\":401,\"reason\":\"User not found\","
                    + "\"message\":\"User not found [401]\",\"errorType\":\"Meteor.Error\"}");
            assertThat(unknownUser.path("error").toString()).isEqualTo(wrongPassword.path("error").toString());
            assertThat(unknownEmail.path("error").toString()).isEqualTo(wrongPassword.path("error").toString());
        }
    }

    @Test
    void loginsOverMeteorsLimitPerConnectionAnswerTooManyRequests() {
        try (DdpTestClient client = DdpTestClient.connect(url()); DdpTestClient other = DdpTestClient.connect(url())) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.call("login", Map.of("user", Map.of("username", "nobody-" + username), "password", "x"))
                        .path("error").path("reason").asText()).isEqualTo("User not found");
            }
            JsonNode error = client.call("login", Map.of("user", Map.of("username", username), "password", "pw")).path("error");
            assertTooManyRequests(error);
            assertThat(other.call("login", Map.of("user", Map.of("username", username), "password", "pw")).path("result")
                    .path("id").asText()).as("the limit is per connection").isEqualTo(userId);
        }
    }

    @Test
    void methodsAndSubscriptionsOverTheConnectionLimitAnswerTooManyRequests() {
        try (DdpTestClient client = DdpTestClient.connect(url())) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.call("UserPresence:online").path("error").path("error").asText()).isEqualTo("not-authorized");
            }
            assertTooManyRequests(client.call("UserPresence:online").path("error"));
            for (int i = 0; i < 10; i++) {
                assertThat(client.subscribe("no-such-publication").path("error").path("error").asInt()).isEqualTo(404);
            }
            JsonNode refused = client.subscribe("no-such-publication");
            assertThat(refused.path("msg").asText()).isEqualTo("nosub");
            assertTooManyRequests(refused.path("error"));
        }
    }

    @Test
    void ddpLoginsCarryTheConnectionsAddressNeverOneTheClientWrote() {
        try (DdpTestClient proxied = DdpTestClient.connect(url(), Map.of("X-Forwarded-For", "6.6.6.6, 10.20.30.40"));
                DdpTestClient direct = DdpTestClient.connect(url())) {
            proxied.call("login", Map.of("user", Map.of("username", username), "password", "nope", "ip", "1.2.3.4"));
            direct.call("login", Map.of("user", Map.of("email", username + "@t.io"), "password", "nope", "ip", "1.2.3.4"));
        }
        List<String> addresses = database.getCollection("rocketchat_server_events")
                .find(Filters.and(Filters.eq("t", "failed-login"), Filters.eq("u._id", userId))).map(e -> e.getString("ip"))
                .into(new java.util.ArrayList<>());
        assertThat(addresses).containsExactlyInAnyOrder("10.20.30.40", "127.0.0.1");
    }

    private static void assertTooManyRequests(JsonNode error) {
        assertThat(error.path("isClientSafe").asBoolean()).isTrue();
        assertThat(error.path("error").asText()).isEqualTo("too-many-requests");
        assertThat(error.path("reason").asText())
                .matches("Error, too many requests\\. Please slow down\\. You must wait (10|[1-9]) seconds before trying again\\.");
        assertThat(error.path("message").asText()).isEqualTo(error.path("reason").asText() + " [too-many-requests]");
        assertThat(error.path("errorType").asText()).isEqualTo("Meteor.Error");
        assertThat(error.path("details").path("timeToReset").asLong()).isBetween(1L, 10_000L);
    }
}
