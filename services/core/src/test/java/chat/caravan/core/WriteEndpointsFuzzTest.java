package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Random, truncated, wrongly typed and huge JSON bodies against the write endpoints: never a 5xx, never a stack
 * trace, and a refused request leaves no document behind.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class WriteEndpointsFuzzTest extends CoreRestTestBase {

    private static final List<String> ENDPOINTS = List.of("/api/v1/channels.create", "/api/v1/groups.create",
            "/api/v1/channels.join", "/api/v1/channels.invite", "/api/v1/channels.kick", "/api/v1/channels.setTopic",
            "/api/v1/channels.rename", "/api/v1/chat.postMessage", "/api/v1/chat.sendMessage", "/api/v1/chat.update",
            "/api/v1/chat.delete", "/api/v1/chat.react", "/api/v1/im.create", "/api/v1/subscriptions.read",
            "/api/v1/rooms.favorite", "/api/v1/users.create", "/api/v1/users.update", "/api/v1/login",
            "/api/v1/users.setStatus", "/api/v1/method.call/sendMessage", "/api/v1/rooms.createDiscussion",
            "/api/v1/rooms.saveNotification", "/api/v1/rooms.muteUser", "/api/v1/rooms.export", "/api/v1/teams.create",
            "/api/v1/teams.addRooms", "/api/v1/teams.addMembers");
    private static final List<String> FIELDS = List.of("name", "roomId", "roomName", "members", "text", "msg", "message",
            "msgId", "messageId", "emoji", "username", "userId", "rid", "topic", "favorite", "channel", "user", "password",
            "data", "status", "tmid", "_id", "prid", "t_name", "type", "rooms", "teamId", "notifications", "format");

    @Autowired
    MongoDatabase database;

    @Test
    void noBodyMakesAServerErrorOrAHalfWrittenDocument() {
        Client admin = admin();
        Random random = new Random(20261124L);
        for (int i = 0; i < 600; i++) {
            String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            String body = body(random);
            long[] before = counts();
            Reply reply = admin.postRaw(endpoint, body);
            assertThat(reply.status()).as(endpoint + " <- " + abbreviate(body) + " -> " + abbreviate(reply.body()))
                    .isLessThan(500);
            assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
            if (reply.status() != 200) {
                assertThat(reply.json().path("success").asBoolean(true)).isFalse();
                assertThat(counts()).as(endpoint + " <- " + abbreviate(body)).containsExactly(before);
            }
        }
    }

    private long[] counts() {
        return new long[] {database.getCollection("rocketchat_room").countDocuments(),
                database.getCollection("rocketchat_message").countDocuments(),
                database.getCollection("rocketchat_subscription").countDocuments(),
                database.getCollection("users").countDocuments()};
    }

    private static String body(Random random) {
        String json = switch (random.nextInt(6)) {
            case 0 -> value(random, 0);
            case 1 -> object(random, 0);
            case 2 -> {
                String full = object(random, 0);
                yield full.substring(0, random.nextInt(Math.max(1, full.length())));
            }
            case 3 -> "{\"" + FIELDS.get(random.nextInt(FIELDS.size())) + "\":\"" + "x".repeat(100_000 + random.nextInt(400_000)) + "\"}";
            case 4 -> "[".repeat(200) + "]".repeat(random.nextInt(200));
            default -> new String(random.ints(random.nextInt(200), 0, 256).mapToObj(c -> String.valueOf((char) c))
                    .reduce("", String::concat));
        };
        return json;
    }

    private static String object(Random random, int depth) {
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":").append(value(random, depth + 1));
        }
        return json.append('}').toString();
    }

    private static String value(Random random, int depth) {
        return switch (depth > 3 ? random.nextInt(5) : random.nextInt(8)) {
            case 0 -> "null";
            case 1 -> String.valueOf(random.nextInt());
            case 2 -> String.valueOf(random.nextBoolean());
            case 3 -> "\"" + (random.nextBoolean() ? "GENERAL" : "v" + random.nextInt(1000)) + "\"";
            case 4 -> "\"" + "@#:/\\\\u0000".substring(0, random.nextInt(8)) + "\"";
            case 5 -> "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
            case 6 -> object(random, depth + 1);
            default -> String.valueOf(random.nextDouble() * 1e300);
        };
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
