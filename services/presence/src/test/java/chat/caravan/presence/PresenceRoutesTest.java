package chat.caravan.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.presence.ConnectionDigest;
import chat.caravan.common.testing.CaravanTestProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The presence routes over the bus, as ddp-streamer and core call them, and the status rules behind them. */
@SpringBootTest(classes = PresenceRoutesTest.App.class)
class PresenceRoutesTest {

    @SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.presence"})
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CaravanTestProperties.register(registry);
        // instances the tests use stay alive by heartbeats (below), however slow the machine; "dead" ones stop
        registry.add("caravan.presence.instance-timeout", () -> "6s");
        registry.add("caravan.presence.sweep-every", () -> "300");
        registry.add("caravan.presence.max-connections-per-user", () -> "5");
    }

    @Autowired
    BusClient bus;

    @Autowired
    MongoDatabase database;

    /** Instances the tests opened connections on, kept alive by a heartbeat every 200 ms unless named "dead". */
    private final java.util.Set<String> liveInstances = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService heartbeats;

    @org.junit.jupiter.api.BeforeEach
    void heartbeats() {
        heartbeats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleWithFixedDelay(() -> liveInstances.forEach(instance -> {
            try {
                bus.call("presence.instanceHeartbeat", Map.of("instanceId", instance));
            } catch (RuntimeException e) {
                // the next beat tries again
            }
        }), 0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @org.junit.jupiter.api.AfterEach
    void stopHeartbeats() {
        heartbeats.shutdownNow();
    }

    @ParameterizedTest(name = "connections {0}, chosen {1}: shown {2}")
    @CsvSource({"'', online, offline", "online, online, online", "away, online, away", "online|away, online, online",
            "away|away, online, away", "online, busy, busy", "away, busy, busy", "online, offline, offline",
            "'', busy, offline", "online, away, away"})
    void statusRules(String connections, String chosen, String shown) {
        List<String> statuses = connections.isEmpty() ? List.of() : List.of(connections.split("\\|"));
        assertThat(PresenceRules.shownStatus(PresenceRules.connectionStatus(statuses), chosen)).isEqualTo(shown);
    }

    @Test
    void connectionsDecideTheStatusAndChangesAreBroadcast() throws Exception {
        String uid = user();
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe("presence.status", events::add)) {
            open(uid, "c1", "i1");
            open(uid, "c2", "i1");
            assertThat(status(uid)).isEqualTo("online");
            bus.call("presence.activity", Map.of("userId", uid, "connectionId", "c1", "instanceId", "i1", "status", "away"));
            assertThat(status(uid)).isEqualTo("online");
            bus.call("presence.activity", Map.of("userId", uid, "connectionId", "c2", "instanceId", "i1", "status", "away"));
            assertThat(status(uid)).isEqualTo("away");
            bus.call("presence.connectionClosed", Map.of("userId", uid, "connectionId", "c1", "instanceId", "i1"));
            bus.call("presence.connectionClosed", Map.of("userId", uid, "connectionId", "c2", "instanceId", "i1"));
            assertThat(status(uid)).isEqualTo("offline");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (events.stream().noneMatch(e -> "offline".equals(e.path("status").asText())) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(events).extracting(e -> e.path("status").asText()).containsSubsequence("online", "away", "offline");
        }
    }

    @Test
    void aChosenStatusSurvivesReconnectsAndInvisibleShowsOffline() {
        String uid = user();
        bus.call("presence.setStatus", Map.of("userId", uid, "status", "busy", "statusText", "in a meeting"));
        open(uid, "c1", "i2");
        assertThat(status(uid)).isEqualTo("busy");
        bus.call("presence.connectionClosed", Map.of("userId", uid, "connectionId", "c1", "instanceId", "i2"));
        open(uid, "c2", "i2");
        assertThat(status(uid)).isEqualTo("busy");
        Document user = database.getCollection("users").find(Filters.eq("_id", uid)).first();
        assertThat(user.getString("statusDefault")).isEqualTo("busy");
        assertThat(user.getString("statusText")).isEqualTo("in a meeting");
        assertThat(user.getString("statusConnection")).isEqualTo("online");
        bus.call("presence.setStatus", Map.of("userId", uid, "status", "offline"));
        assertThat(status(uid)).isEqualTo("offline");
        assertThatThrownBy(() -> bus.call("presence.setStatus", Map.of("userId", uid, "status", "sleeping")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("error-invalid-status"));
    }

    @Test
    void aStatusChosenOverRestShowsAtOnceWithoutAConnectionUntilTheConnectionsChange() throws Exception {
        String uid = user();
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe("presence.status", events::add)) {
            bus.call("presence.setChosenStatus", Map.of("userId", uid, "status", "online", "statusText", "  " + "x".repeat(130)));
            Document user = database.getCollection("users").find(Filters.eq("_id", uid)).first();
            assertThat(user.getString("status")).isEqualTo("online");
            assertThat(user.getString("statusDefault")).isEqualTo("online");
            assertThat(user.getString("statusText")).hasSize(120);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (events.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(events).extracting(e -> e.path("userId").asText() + ":" + e.path("status").asText()).contains(uid + ":online");
        }
        // a chosen busy with a connection open and closed: the connections decide again, busy kept as the default
        bus.call("presence.setChosenStatus", Map.of("userId", uid, "status", "busy"));
        assertThat(status(uid)).isEqualTo("busy");
        open(uid, "r1", "i9");
        assertThat(status(uid)).isEqualTo("busy");
        bus.call("presence.connectionClosed", Map.of("userId", uid, "connectionId", "r1", "instanceId", "i9"));
        assertThat(status(uid)).isEqualTo("offline");
        assertThatThrownBy(() -> bus.call("presence.setChosenStatus", Map.of("userId", uid, "status", "sleeping")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("error-invalid-status"));
        assertThatThrownBy(() -> bus.call("presence.setChosenStatus", Map.of("userId", "nobody", "status", "away")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("error-invalid-user"));
    }

    @Test
    void aDeadInstanceLosesItsConnectionsAndAStoppedOneAtOnce() throws Exception {
        String onDead = user();
        String onLive = user();
        String onStopped = user();
        open(onDead, "d1", "dead");
        open(onLive, "l1", "live");
        open(onStopped, "s1", "stopped");
        bus.call("presence.instanceStopped", Map.of("instanceId", "stopped"));
        assertThat(status(onStopped)).isEqualTo("offline");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"offline".equals(status(onDead)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status(onDead)).isEqualTo("offline");
        assertThat(status(onLive)).isEqualTo("online");
    }

    @Test
    void anInstanceWhoseConnectionsPresenceMissedIsAskedForThemAndTheSnapshotHeals() {
        String missed = user();
        String stale = user();
        String away = user();
        open(stale, "gone1", "heal");
        open(away, "a1", "heal");
        // presence missed missed's login (it was down), stale's logout and away's idle: the instance's digest differs
        List<String> truth = List.of(ConnectionDigest.entry("m1", "online"), ConnectionDigest.entry("a1", "away"));
        Map<String, Object> heartbeat = Map.of("instanceId", "heal", "digest", ConnectionDigest.of(truth));
        assertThat(bus.call("presence.instanceHeartbeat", heartbeat).path("resync").asBoolean())
                .as("one difference may be changes on their way").isFalse();
        assertThat(bus.call("presence.instanceHeartbeat", heartbeat).path("resync").asBoolean()).isTrue();

        bus.call("presence.instanceSync", Map.of("instanceId", "heal", "connections", List.of(
                Map.of("userId", missed, "connectionId", "m1", "status", "online"),
                Map.of("userId", away, "connectionId", "a1", "status", "away"))));
        assertThat(status(missed)).isEqualTo("online");
        assertThat(status(stale)).isEqualTo("offline");
        assertThat(status(away)).isEqualTo("away");
        assertThat(bus.call("presence.instanceHeartbeat", heartbeat).path("resync").asBoolean()).isFalse();
        // a snapshot repeated changes nothing
        bus.call("presence.instanceSync", Map.of("instanceId", "heal", "connections", List.of(
                Map.of("userId", missed, "connectionId", "m1", "status", "online"),
                Map.of("userId", away, "connectionId", "a1", "status", "away"))));
        Document session = database.getCollection("usersSessions").find(Filters.eq("_id", missed)).first();
        assertThat(session.getList("connections", Document.class)).hasSize(1);
        assertThatThrownBy(() -> bus.call("presence.instanceSync", Map.of("instanceId", "heal")))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.errorType()).isEqualTo("invalid-params"));
    }

    @Test
    void oneAccountKeepsItsNewestConnectionsOnlyAndARepeatedAnnouncementIsNoNewConnection() {
        String uid = user();
        for (int i = 0; i < 40; i++) {
            open(uid, "churn" + i, "i3");
            open(uid, "churn" + i, "i3");
        }
        Document session = database.getCollection("usersSessions").find(Filters.eq("_id", uid)).first();
        assertThat(session.getList("connections", Document.class)).extracting(c -> c.getString("id"))
                .containsExactly("churn35", "churn36", "churn37", "churn38", "churn39");
        assertThat(status(uid)).isEqualTo("online");
        for (int i = 35; i < 40; i++) {
            bus.call("presence.connectionClosed", Map.of("userId", uid, "connectionId", "churn" + i, "instanceId", "i3"));
        }
        assertThat(status(uid)).isEqualTo("offline");
    }

    @Test
    void batchedChangesApplyInOrder() {
        String uid = user();
        bus.call("presence.connectionsChanged", Map.of("instanceId", "b1", "changes", List.of(
                Map.of("userId", uid, "connectionId", "c1", "opened", true),
                Map.of("userId", uid, "connectionId", "c2", "opened", true),
                Map.of("userId", uid, "connectionId", "c1", "opened", false))));
        assertThat(status(uid)).isEqualTo("online");
        bus.call("presence.connectionsChanged", Map.of("instanceId", "b1", "changes", List.of(
                Map.of("userId", uid, "connectionId", "c2", "opened", false))));
        assertThat(status(uid)).isEqualTo("offline");
    }

    @Test
    void aBatchOfOpeningsKeepsTheNewestConnectionsOnlyAndRepeatsAddNothing() {
        String uid = user();
        List<Map<String, Object>> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changes.add(Map.of("userId", uid, "connectionId", "batch" + i, "opened", true));
            changes.add(Map.of("userId", uid, "connectionId", "batch" + i, "opened", true));
        }
        bus.call("presence.connectionsChanged", Map.of("instanceId", "b2", "changes", changes));
        Document session = database.getCollection("usersSessions").find(Filters.eq("_id", uid)).first();
        assertThat(session.getList("connections", Document.class)).extracting(c -> c.getString("id"))
                .containsExactly("batch35", "batch36", "batch37", "batch38", "batch39");
        assertThat(status(uid)).isEqualTo("online");
    }

    private void open(String uid, String connection, String instance) {
        if (!instance.startsWith("dead")) {
            liveInstances.add(instance);
        }
        bus.call("presence.connectionOpened", Map.of("userId", uid, "connectionId", connection, "instanceId", instance));
    }

    private String status(String uid) {
        return database.getCollection("users").find(Filters.eq("_id", uid)).first().getString("status");
    }

    private String user() {
        String uid = "p" + System.nanoTime();
        database.getCollection("users").insertOne(new Document("_id", uid).append("username", uid).append("active", true)
                .append("roles", List.of("user")).append("status", "offline").append("_updatedAt", new Date()));
        database.getCollection("users").updateOne(Filters.eq("_id", uid), Updates.set("statusDefault", "online"));
        return uid;
    }
}
