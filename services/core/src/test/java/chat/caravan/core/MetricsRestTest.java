package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** /metrics on the HTTP port: messages stored by room type, REST latency by route path, and request ids on replies. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MetricsRestTest extends CoreRestTestBase {

    @Test
    void messagesAndRestCallsAreCountedByRoomTypeAndRoutePath() {
        String before = scrape();
        Client admin = admin();
        Client bob = newUser("metrics");
        assertThat(admin.post("/api/v1/chat.postMessage", Map.of("channel", "#general", "text", "counted")).status()).isEqualTo(200);
        String dm = admin.post("/api/v1/im.create", Map.of("username", bob.username())).json().path("room").path("_id").asText();
        assertThat(bob.post("/api/v1/chat.postMessage", Map.of("roomId", dm, "text", "counted too")).status()).isEqualTo(200);
        String after = scrape();

        String channel = "caravan_messages_stored_total{event=\"send\",room_type=\"c\"}";
        String direct = "caravan_messages_stored_total{event=\"send\",room_type=\"d\"}";
        assertThat(value(after, channel) - value(before, channel)).isEqualTo(1.0);
        assertThat(value(after, direct) - value(before, direct)).isEqualTo(1.0);
        String posts = "caravan_rest_request_seconds_count{method=\"POST\",path=\"/api/v1/chat.postMessage\",status=\"200\"}";
        assertThat(value(after, posts) - value(before, posts)).isEqualTo(2.0);
        assertThat(after).doesNotContain(dm).contains("camel_exchanges_total{");
    }

    @Test
    void statisticsCountTheStoredMessagesUsersAndRooms() {
        Client admin = admin();
        var before = admin.get("/api/v1/statistics").json();
        Client carol = newUser("statistics");
        var joined = admin.get("/api/v1/statistics").json();
        assertThat(admin.post("/api/v1/chat.postMessage", Map.of("channel", "#general", "text", "one more")).status()).isEqualTo(200);
        var after = admin.get("/api/v1/statistics").json();
        assertThat(joined.path("totalUsers").asLong() - before.path("totalUsers").asLong()).isEqualTo(1);
        assertThat(after.path("totalMessages").asLong() - joined.path("totalMessages").asLong()).isEqualTo(1);
        assertThat(after.path("totalRooms").asLong()).isPositive();
        // the process's uptime in seconds, as Rocket.Chat's statistics give it, later on the later call
        assertThat(after.path("process").path("uptime").asDouble()).isGreaterThan(before.path("process").path("uptime").asDouble());
        Reply refused = carol.get("/api/v1/statistics");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("error-not-allowed");
    }

    @Test
    void everyRestReplyNamesItsRequestId() {
        Reply given = anonymous().post("/api/v1/login", Map.of("user", "nobody", "password", "x"), "X-Request-Id", "rest-test-7");
        assertThat(given.status()).isEqualTo(401);
        assertThat(given.header("X-Request-Id")).isEqualTo("rest-test-7");
        assertThat(anonymous().get("/api/info").header("X-Request-Id")).matches("[0-9a-f-]{36}");
    }

    private static String scrape() {
        Reply metrics = anonymous().get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        return metrics.body();
    }

    /** The value of one sample line (0 when the series is not there yet). */
    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
