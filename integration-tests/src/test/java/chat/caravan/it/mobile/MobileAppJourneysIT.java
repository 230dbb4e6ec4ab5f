package chat.caravan.it.mobile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import chat.caravan.common.testing.DdpTestClient;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official mobile app (Rocket.Chat.ReactNative) against Caravan, journey by journey, with the app's own request
 * shapes: add the server, log in, start up, open a room, send / edit / react / reply in a thread, realtime, create a
 * DM and a channel, search, upload and avatars, log out. Each journey runs at the API level Caravan reports (8.x: the
 * app's newer branches, e.g. {@code text&type&workspace} directory, cursor chat.syncMessages, rooms.media, REST
 * users.setAvatar, push.token with a device id and VoIP token) and at 6.5 (the older branches: query-string filters,
 * DDP methods through {@code method.call}, rooms.upload, setAvatarFromService), on the all-in-one and on the
 * microservices behind nginx. Each topology starts once and serves both levels. Assertions read the fields the app
 * reads.
 */
class MobileAppJourneysIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REALTIME = Duration.ofSeconds(10);
    private static final String APP = "chat.rocket.reactnative";

    /** The server versions whose branches the app takes: Caravan's reported release, and the 6.5 it reported before. */
    enum ApiLevel {
        REPORTED(8, 9), V6_5(6, 5);

        final int major;
        final int minor;

        ApiLevel(int major, int minor) {
            this.major = major;
            this.minor = minor;
        }

        /** The app's {@code compareServerVersion(version, 'greaterThanOrEqualTo', x)}. */
        boolean atLeast(int major, int minor) {
            return this.major > major || (this.major == major && this.minor >= minor);
        }
    }

    private static String runningKind;
    private static Topology running;

    /** One topology at a time, started once for all the levels run against it. */
    private static synchronized String base(String kind) {
        if (!kind.equals(runningKind)) {
            if (running != null) {
                running.close();
            }
            running = "all-in-one".equals(kind) ? Topology.allInOne("mobile-aio").start() : Topology.microservices("mobile-ms").start();
            runningKind = kind;
        }
        return running.baseUrl();
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
            running = null;
            runningKind = null;
        }
    }

    static Stream<Arguments> topologiesAndLevels() {
        return Stream.of(Arguments.of("all-in-one", ApiLevel.REPORTED), Arguments.of("all-in-one", ApiLevel.V6_5),
                Arguments.of("microservices", ApiLevel.REPORTED), Arguments.of("microservices", ApiLevel.V6_5));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("topologiesAndLevels")
    void theAppsJourneysAnswerWhatTheAppReads(String kind, ApiLevel level) throws Exception {
        String base = base(kind);
        RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        String annPassword = "ann-" + UUID.randomUUID().toString().substring(0, 8) + "-pw";
        String annName = "ann-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.post("/api/v1/users.create", Map.of("username", annName, "email", annName + "@caravan.test",
                "password", annPassword, "name", "Ann " + level)).status()).isEqualTo(200);
        RestClient bob = Users.create(admin, base, "bob");
        String general = admin.get("/api/v1/channels.info?roomName=general").json().path("channel").path("_id").asText();

        addServer(base, level);
        RestClient ann = logIn(base, annName, annPassword);
        try (DdpTestClient annDdp = ddp(base, ann); DdpTestClient bobDdp = ddp(base, bob)) {
            String pushToken = startUp(ann, annDdp, level);
            String rid = admin.post("/api/v1/channels.create", Map.of("name", "mobile-" + System.nanoTime(),
                    "members", List.of(ann.username(), bob.username()))).json().path("channel").path("_id").asText();
            openRoom(ann, annDdp, rid, level);
            String parent = sendEditReactAndReply(ann, bob, rid, level);
            realtime(ann, annDdp, bob, bobDdp, rid);
            createDirectMessageAndChannel(ann, bob, bobDdp, level);
            search(ann, bob, general, level);
            uploadAndAvatars(base, ann, rid, parent, level);
            logOut(base, ann, pushToken);
        }
    }

    /** The add-server screen: /api/info (the app reads version), the workspace id, the login settings, OAuth services. */
    private static void addServer(String base, ApiLevel level) {
        RestClient anonymous = new RestClient(base);
        JsonNode info = anonymous.get("/api/info").json();
        assertThat(info.path("success").asBoolean()).isTrue();
        String[] version = info.path("version").asText().split("\\.");
        assertThat(Integer.parseInt(version[0])).as("the reported release line " + info).isGreaterThanOrEqualTo(8);
        assertThat(info.path("minimumClientVersions").path("mobile").asText()).isNotBlank();

        JsonNode uniqueId = level.atLeast(7, 0) ? anonymous.get("/api/v1/settings.public?_id=uniqueID").json()
                : anonymous.get("/api/v1/settings.public?query=" + encode("{\"_id\": \"uniqueID\"}")).json();
        assertThat(uniqueId.path("settings").get(0).path("_id").asText()).isEqualTo("uniqueID");
        assertThat(uniqueId.path("settings").get(0).path("value").asText()).isNotBlank();

        List<String> loginSettings = List.of("Accounts_ShowFormLogin", "Accounts_RegistrationForm", "Accounts_EmailOrUsernamePlaceholder",
                "Accounts_PasswordPlaceholder", "Site_Name", "Assets_favicon_512", "API_Use_REST_For_DDP_Calls", "Message_TimeFormat");
        JsonNode settings = level.atLeast(7, 0)
                ? anonymous.get("/api/v1/settings.public?_id=" + String.join(",", loginSettings)).json()
                : anonymous.get("/api/v1/settings.public?query=" + encode("{\"_id\":{\"$in\":" + jsonOf(loginSettings) + "}}")).json();
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        settings.path("settings").forEach(s -> byId.put(s.path("_id").asText(), s.path("value")));
        assertThat(byId).as(settings.toString()).containsKeys("Accounts_ShowFormLogin", "API_Use_REST_For_DDP_Calls", "Message_TimeFormat");
        assertThat(byId.get("Accounts_ShowFormLogin").asBoolean()).isTrue();
        assertThat(byId.get("API_Use_REST_For_DDP_Calls").asBoolean()).as("the app then tunnels DDP methods over REST").isTrue();
        assertThat(anonymous.get("/api/v1/settings.oauth").json().path("services").isArray()).isTrue();
    }

    /** The JS SDK's login: REST login (the app reads data.me), then DDP login with the token (below, in ddp()). */
    private static RestClient logIn(String base, String username, String password) {
        RestClient user = new RestClient(base).login(username, password);
        JsonNode data = user.loginData();
        assertThat(data.path("authToken").asText()).isNotBlank();
        assertThat(data.path("me").path("username").asText()).isEqualTo(username);
        assertThat(data.path("me").path("roles").toString()).contains("user");
        assertThat(data.path("me").path("emails").get(0).path("address").asText()).isEqualTo(username + "@caravan.test");
        assertThat(data.path("me").has("status")).isTrue();
        return user;
    }

    private static DdpTestClient ddp(String base, RestClient user) {
        DdpTestClient client = DdpTestClient.connect(base.replaceFirst("^http", "ws") + "/websocket");
        JsonNode login = client.loginWithToken(user.authToken());
        assertThat(login.path("id").asText()).isEqualTo(user.userId());
        assertThat(login.path("token").asText()).isEqualTo(user.authToken());
        return client;
    }

    /** After login: permissions, roles, rooms, emoji, commands, presence, public roles, modules, push, the streams. */
    private static String startUp(RestClient ann, DdpTestClient ddp, ApiLevel level) {
        String since = "2020-01-01T00:00:00.000Z";
        assertThat(ann.get("/api/v1/permissions.listAll?updatedSince=" + since).json().path("update").size()).isGreaterThan(100);
        assertThat(ann.get("/api/v1/roles.list").json().path("roles").toString()).contains("\"_id\":\"admin\"");
        JsonNode subscriptions = ann.get("/api/v1/subscriptions.get").json();
        assertThat(subscriptions.path("update").isArray()).isTrue();
        assertThat(ann.get("/api/v1/subscriptions.get?updatedSince=" + since).json().path("remove").isArray()).isTrue();
        assertThat(ann.get("/api/v1/rooms.get?updatedSince=" + since).json().path("update").isArray()).isTrue();
        assertThat(ann.get("/api/v1/emoji-custom.list?updatedSince=" + since).json().path("emojis").path("update").isArray()).isTrue();
        assertThat(ann.get("/api/v1/commands.list").json().path("commands").isArray()).isTrue();
        assertThat(ann.get("/api/v1/users.presence?ids=" + ann.userId()).json().path("users").isArray()).isTrue();

        JsonNode publicRoles = level.atLeast(7, 10) ? ann.get("/api/v1/roles.getUsersInPublicRoles").json().path("users")
                : ddp.call("getUserRoles").path("result");
        assertThat(publicRoles.toString()).contains("\"username\":\"" + Topology.ADMIN_USERNAME + "\"", "\"admin\"");
        assertThat(methodCall(ann, "license:getModules").path("result").isArray()).isTrue();

        // push: 8.0 sends the device id, 8.4 the VoIP token too; push.info tells the troubleshooting screen
        String token = "fcm-" + UUID.randomUUID();
        Map<String, Object> push = new LinkedHashMap<>(Map.of("value", token, "type", "gcm", "appName", APP));
        if (level.atLeast(8, 0)) {
            push.put("id", "device-" + UUID.randomUUID());
        }
        if (level.atLeast(8, 4)) {
            push.put("voipToken", "voip-" + UUID.randomUUID());
        }
        RestClient.Response registered = ann.post("/api/v1/push.token", push);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        assertThat(registered.json().path("result").path("token").path("gcm").asText()).isEqualTo(token);
        JsonNode pushInfo = ann.get("/api/v1/push.info").json();
        assertThat(pushInfo.path("pushGatewayEnabled").isBoolean()).isTrue();
        assertThat(pushInfo.path("defaultPushGateway").isBoolean()).isTrue();

        // the SDK's subscriptions at connect: notify-all, notify-logged, roles, presence, the user's own events
        for (String event : List.of("public-settings-changed", "permissions-changed", "roles-change", "updateAvatar")) {
            assertReady(ddp.subscribe("stream-notify-all", event, false), "stream-notify-all " + event);
        }
        for (String event : List.of("user-status", "updateAvatar", "Users:NameChanged", "permissions-changed", "roles-change",
                "Users:Deleted", "deleteEmojiCustom", "updateEmojiCustom")) {
            assertReady(ddp.subscribe("stream-notify-logged", event, false), "stream-notify-logged " + event);
        }
        assertReady(ddp.subscribe("stream-roles", "roles", false), "stream-roles");
        // the room list's presence: the users shown, watched by id; the app reports itself online
        assertReady(ddp.subscribe("stream-user-presence", "", Map.of("added", List.of(ann.userId()))), "stream-user-presence");
        assertThat(ddp.call("UserPresence:online").has("error")).isFalse();
        for (String event : List.of("message", "notification", "rooms-changed", "subscriptions-changed", "userData", "uiInteraction",
                "e2ekeyRequest", "otr", "webrtc", "video-conference")) {
            assertReady(ddp.subscribe("stream-notify-user", ann.userId() + "/" + event, false), "stream-notify-user " + event);
        }
        return token;
    }

    /** Opening a room: info, history, missed messages (cursor form from 7.1), the room's streams, read. */
    private static void openRoom(RestClient ann, DdpTestClient ddp, String rid, ApiLevel level) {
        JsonNode room = ann.get("/api/v1/rooms.info?roomId=" + rid).json().path("room");
        assertThat(room.path("_id").asText()).isEqualTo(rid);
        assertThat(room.path("t").asText()).isEqualTo("c");
        assertThat(ann.get("/api/v1/channels.info?roomId=" + rid).json().path("channel").path("name").asText()).startsWith("mobile-");
        JsonNode history = ann.get("/api/v1/channels.history?roomId=" + rid + "&showThreadMessages=false&count=50").json();
        assertThat(history.path("messages").isArray()).isTrue();
        assertThat(ann.get("/api/v1/channels.roles?roomId=" + rid).json().path("roles").isArray()).isTrue();
        JsonNode members = ann.get("/api/v1/channels.members?roomId=" + rid + "&offset=0&count=50").json();
        assertThat(members.path("members").toString()).contains(ann.username());
        assertThat(ann.get("/api/v1/channels.counters?roomId=" + rid).json().path("joined").asBoolean()).isTrue();

        JsonNode subscription = ann.get("/api/v1/subscriptions.getOne?roomId=" + rid).json().path("subscription");
        long lastOpen = java.time.Instant.parse(subscription.path("ts").asText()).toEpochMilli() - 60_000;
        if (level.atLeast(7, 1)) {
            for (String type : List.of("UPDATED", "DELETED")) {
                RestClient.Response sync = ann.get("/api/v1/chat.syncMessages?roomId=" + rid + "&next=" + lastOpen + "&count=50&type=" + type);
                assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
                assertThat(sync.json().path("result").path("updated").isArray()).isTrue();
                assertThat(sync.json().path("result").path("deleted").isArray()).isTrue();
                assertThat(sync.json().path("result").path("cursor").has("next")).isTrue();
            }
        } else {
            RestClient.Response sync = ann.get("/api/v1/chat.syncMessages?roomId=" + rid + "&lastUpdate="
                    + java.time.Instant.ofEpochMilli(lastOpen));
            assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
            assertThat(sync.json().path("result").path("updated").isArray()).isTrue();
        }
        assertReady(ddp.subscribe("stream-room-messages", rid, false), "stream-room-messages");
        for (String event : List.of("user-activity", "deleteMessage", "deleteMessageBulk", "messagesRead")) {
            assertReady(ddp.subscribe("stream-notify-room", rid + "/" + event, false), "stream-notify-room " + event);
        }
        assertThat(ann.post("/api/v1/subscriptions.read", Map.of("rid", rid)).status()).isEqualTo(200);
    }

    /** The composer: send with the app's own id, edit, react, reply in a thread; the thread screen's calls. */
    private static String sendEditReactAndReply(RestClient ann, RestClient bob, String rid, ApiLevel level) {
        String id = "app" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        JsonNode sent = ann.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", id, "rid", rid, "msg", "hello from the app")))
                .json().path("message");
        assertThat(sent.path("_id").asText()).isEqualTo(id);
        assertThat(sent.path("rid").asText()).isEqualTo(rid);
        assertThat(sent.path("u").path("username").asText()).isEqualTo(ann.username());
        assertThat(sent.path("ts").asText()).isNotBlank();

        JsonNode edited = ann.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "hello, edited")).json().path("message");
        assertThat(edited.path("msg").asText()).isEqualTo("hello, edited");
        assertThat(edited.path("editedBy").path("username").asText()).isEqualTo(ann.username());
        assertThat(bob.post("/api/v1/chat.react", Map.of("emoji", ":+1:", "messageId", id)).json().path("success").asBoolean()).isTrue();
        JsonNode reacted = ann.get("/api/v1/chat.getMessage?msgId=" + id).json().path("message");
        assertThat(reacted.path("reactions").path(":+1:").path("usernames").toString()).contains(bob.username());

        String replyId = "app" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        JsonNode reply = bob.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("_id", replyId, "rid", rid, "msg", "in the thread",
                "tmid", id))).json().path("message");
        assertThat(reply.path("tmid").asText()).isEqualTo(id);
        JsonNode thread = methodCall(ann, "getThreadMessages", Map.of("tmid", id)).path("result");
        assertThat(thread.get(0).path("_id").asText()).isEqualTo(id);
        assertThat(thread.get(0).path("tcount").asInt()).isEqualTo(1);
        assertThat(thread.get(1).path("_id").asText()).isEqualTo(replyId);
        assertThat(methodCall(ann, "readThreads", id).has("error")).isFalse();
        JsonNode threads = ann.get("/api/v1/chat.getThreadsList?rid=" + rid + "&type=all&offset=0&count=50&text=").json();
        assertThat(threads.path("threads").get(0).path("_id").asText()).isEqualTo(id);
        assertThat(ann.get("/api/v1/chat.syncThreadsList?rid=" + rid + "&updatedSince=2020-01-01T00:00:00.000Z").json()
                .path("threads").path("update").size()).isEqualTo(1);
        assertThat(ann.post("/api/v1/chat.unfollowMessage", Map.of("mid", id)).status()).isEqualTo(200);
        assertThat(ann.post("/api/v1/chat.followMessage", Map.of("mid", id)).status()).isEqualTo(200);

        // jumping to a message and paging forward (search results, permalinks)
        JsonNode around = methodCall(ann, "loadSurroundingMessages", Map.of("_id", id, "rid", rid), 50).path("result");
        assertThat(around.path("messages").toString()).contains(id);
        assertThat(around.has("moreBefore")).isTrue();
        assertThat(around.has("moreAfter")).isTrue();
        JsonNode next = methodCall(ann, "loadNextMessages", rid, Map.of("$date", 0), 50).path("result");
        assertThat(next.path("messages").toString()).contains(id);
        return id;
    }

    /** Bob's app sees Ann's message, edit and typing as they happen. */
    private static void realtime(RestClient ann, DdpTestClient annDdp, RestClient bob, DdpTestClient bobDdp, String rid) {
        assertReady(bobDdp.subscribe("stream-room-messages", rid, false), "bob's stream-room-messages");
        assertReady(bobDdp.subscribe("stream-notify-room", rid + "/user-activity", false), "bob's user-activity");
        annDdp.call("stream-notify-room", rid + "/user-activity", ann.username(), List.of("user-typing"), Map.of());
        JsonNode typing = bobDdp.await(m -> "stream-notify-room".equals(m.path("collection").asText())
                && (rid + "/user-activity").equals(m.path("fields").path("eventName").asText()), REALTIME);
        assertThat(typing.path("fields").path("args").get(0).asText()).isEqualTo(ann.username());
        assertThat(typing.path("fields").path("args").get(1).toString()).contains("user-typing");

        String id = ann.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "live"))).json()
                .path("message").path("_id").asText();
        JsonNode live = bobDdp.await(m -> "stream-room-messages".equals(m.path("collection").asText())
                && id.equals(m.path("fields").path("args").path(0).path("_id").asText()), REALTIME);
        assertThat(live.path("fields").path("args").get(0).path("msg").asText()).isEqualTo("live");
        ann.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "live, edited"));
        bobDdp.await(m -> "stream-room-messages".equals(m.path("collection").asText())
                && "live, edited".equals(m.path("fields").path("args").path(0).path("msg").asText()), REALTIME);
    }

    /** New message screen: a DM (the app reads room._id) and a channel (channel._id, name); Bob is told of both. */
    private static void createDirectMessageAndChannel(RestClient ann, RestClient bob, DdpTestClient bobDdp, ApiLevel level) {
        assertReady(bobDdp.subscribe("stream-notify-user", bob.userId() + "/subscriptions-changed", false), "bob's subscriptions-changed");
        JsonNode dm = ann.post("/api/v1/im.create", Map.of("username", bob.username())).json();
        assertThat(dm.path("success").asBoolean()).as(dm.toString()).isTrue();
        String dmId = dm.path("room").path("_id").asText();
        assertThat(dm.path("room").path("t").asText()).isEqualTo("d");
        ann.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", dmId, "msg", "hi bob")));
        bobDdp.await(m -> "stream-notify-user".equals(m.path("collection").asText())
                && m.path("fields").path("args").toString().contains(dmId), REALTIME);
        JsonNode opened = ann.post("/api/v1/im.open", Map.of("roomId", dmId)).json();
        assertThat(opened.path("success").asBoolean()).as(opened.toString()).isTrue();
        assertThat(ann.get("/api/v1/im.history?roomId=" + dmId + "&count=50").json().path("messages").get(0).path("msg").asText())
                .isEqualTo("hi bob");

        String name = "app-made-" + level.name().toLowerCase() + "-" + System.nanoTime();
        JsonNode channel = ann.post("/api/v1/channels.create", Map.of("name", name, "members", List.of(), "readOnly", false,
                "extraData", Map.of("broadcast", false, "encrypted", false))).json();
        assertThat(channel.path("channel").path("name").asText()).as(channel.toString()).isEqualTo(name);
        String channelId = channel.path("channel").path("_id").asText();
        // the members screen adds Bob; a permalink to the channel resolves by name
        assertThat(methodCall(ann, "addUsersToRoom", Map.of("rid", channelId, "users", List.of(bob.username()))).path("result")
                .asBoolean()).isTrue();
        assertThat(methodCall(bob, "getRoomByTypeAndName", "c", name).path("result").path("_id").asText()).isEqualTo(channelId);
        // room actions: no video-call provider, which the app explains (it reads error)
        RestClient.Response calls = ann.get("/api/v1/video-conference.capabilities");
        assertThat(calls.status()).isEqualTo(400);
        assertThat(calls.json().path("error").asText()).isEqualTo("no-videoconf-provider-app");
        assertThat(bob.get("/api/v1/subscriptions.getOne?roomId=" + channelId).json().path("subscription").path("name").asText())
                .isEqualTo(name);
    }

    /** Search: the directory in its two forms, spotlight for the room list and @mentions, autocomplete, messages. */
    private static void search(RestClient ann, RestClient bob, String general, ApiLevel level) {
        String prefix = bob.username().substring(0, 6);
        JsonNode users = directory(ann, level, bob.username(), "users");
        assertThat(users.path("result").toString()).as(users.toString()).contains(bob.username());
        JsonNode channels = directory(ann, level, "general", "channels");
        assertThat(channels.path("result").get(0).path("name").asText()).as(channels.toString()).isEqualTo("general");
        assertThat(channels.path("total").asInt()).isGreaterThanOrEqualTo(1);

        JsonNode spotlight = methodCall(ann, "spotlight", prefix, List.of(), Map.of("users", true, "rooms", true, "mentions", false))
                .path("result");
        assertThat(spotlight.path("users").toString()).contains(bob.username());
        assertThat(spotlight.path("rooms").isArray()).isTrue();
        JsonNode mentions = methodCall(ann, "spotlight", prefix, List.of(), Map.of("users", true, "rooms", false, "mentions", true), general)
                .path("result");
        assertThat(mentions.path("users").isArray()).isTrue();
        JsonNode autocomplete = ann.get("/api/v1/users.autocomplete?selector=" + encode("{\"term\":\"" + prefix + "\"}")).json();
        assertThat(autocomplete.path("items").toString()).contains(bob.username());
        assertThat(ann.get("/api/v1/rooms.autocomplete.channelAndPrivate?selector=" + encode("{\"name\":\"gen\"}")).json()
                .path("items").toString()).contains("general");
        String rid = ann.get("/api/v1/subscriptions.get").json().path("update").findValuesAsText("rid").stream()
                .filter(r -> !r.equals(general)).findFirst().orElseThrow();
        assertThat(ann.get("/api/v1/chat.search?roomId=" + rid + "&searchText=hello&count=50&offset=0").json().path("messages").isArray())
                .isTrue();
    }

    private static JsonNode directory(RestClient ann, ApiLevel level, String text, String type) {
        String paging = "count=50&offset=0&sort=" + encode("users".equals(type) ? "{\"username\":1}" : "{\"usersCount\":-1}");
        RestClient.Response reply = level.atLeast(7, 0)
                ? ann.get("/api/v1/directory?" + paging + "&text=" + encode(text) + "&type=" + type + "&workspace=local")
                : ann.get("/api/v1/directory?" + paging + "&query=" + encode("{\"text\":\"" + text + "\",\"type\":\"" + type
                        + "\",\"workspace\":\"local\"}"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** A picture into the room (rooms.media + mediaConfirm from 6.10, rooms.upload before) and a new avatar. */
    private static void uploadAndAvatars(String base, RestClient ann, String rid, String tmid, ApiLevel level) throws Exception {
        byte[] png = png();
        JsonNode message;
        if (level.atLeast(6, 10)) {
            HttpResponse<String> media = multipart(base + "/api/v1/rooms.media/" + rid, ann, Map.of(), "file", "photo.png", "image/png", png);
            assertThat(media.statusCode()).as(media.body()).isEqualTo(200);
            JsonNode file = JSON.readTree(media.body()).path("file");
            assertThat(file.path("_id").asText()).isNotBlank();
            assertThat(file.path("url").asText()).contains(file.path("_id").asText());
            RestClient.Response confirmed = ann.post("/api/v1/rooms.mediaConfirm/" + rid + "/" + file.path("_id").asText(),
                    Map.of("msg", "a photo", "description", "the view", "tmid", tmid));
            assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
            message = confirmed.json().path("message");
        } else {
            HttpResponse<String> upload = multipart(base + "/api/v1/rooms.upload/" + rid, ann,
                    Map.of("msg", "a photo", "description", "the view", "tmid", tmid), "file", "photo.png", "image/png", png);
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            message = JSON.readTree(upload.body()).path("message");
        }
        assertThat(message.path("file").path("name").asText()).as(message.toString()).isEqualTo("photo.png");
        assertThat(message.path("tmid").asText()).isEqualTo(tmid);
        String link = message.path("attachments").get(0).path("title_link").asText();
        assertThat(link).startsWith("/file-upload/");
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(base + link)).header("X-User-Id", ann.userId())
                .header("X-Auth-Token", ann.authToken()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
        assertThat(ann.get("/api/v1/channels.files?roomId=" + rid + "&offset=0&count=50").json().path("files").size()).isEqualTo(1);

        String etagBefore = ann.get("/api/v1/users.info?userId=" + ann.userId()).json().path("user").path("avatarETag").asText("");
        if (level.atLeast(8, 0)) {
            HttpResponse<String> avatar = multipart(base + "/api/v1/users.setAvatar", ann, Map.of(), "image", "avatar.jpg", "image/png", png);
            assertThat(avatar.statusCode()).as(avatar.body()).isEqualTo(200);
        } else {
            String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
            JsonNode result = methodCall(ann, "setAvatarFromService", dataUrl, "image/png", "upload");
            assertThat(result.has("error")).as(result.toString()).isFalse();
        }
        String etagAfter = ann.get("/api/v1/users.info?userId=" + ann.userId()).json().path("user").path("avatarETag").asText("");
        assertThat(etagAfter).isNotBlank().isNotEqualTo(etagBefore);
        // the app's getAvatarURL: credentials in the query when the workspace hides avatars from strangers
        boolean blockUnauthenticated = ann.get("/api/v1/settings.public?_id=Accounts_AvatarBlockUnauthenticatedAccess").json()
                .path("settings").path(0).path("value").asBoolean();
        String credentials = blockUnauthenticated ? "&rc_token=" + ann.authToken() + "&rc_uid=" + ann.userId() : "";
        HttpResponse<byte[]> avatar = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/avatar/" + ann.username()
                + "?format=png&size=84" + credentials + "&etag=" + etagAfter)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(avatar.statusCode()).isEqualTo(200);
        assertThat(avatar.headers().firstValue("Content-Type").orElse("")).startsWith("image/");
        assertThat(ann.get("/api/v1/users.getAvatarSuggestion").json().path("suggestions").isObject()).isTrue();
        assertThat(ann.post("/api/v1/users.resetAvatar", Map.of()).status()).isEqualTo(200);
    }

    /** Logging out: the device's push token goes, then the session. */
    private static void logOut(String base, RestClient ann, String pushToken) throws Exception {
        HttpResponse<String> removed = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/push.token"))
                .header("Content-Type", "application/json").header("X-User-Id", ann.userId()).header("X-Auth-Token", ann.authToken())
                .method("DELETE", HttpRequest.BodyPublishers.ofString(jsonOf(Map.of("token", pushToken)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        JsonNode logout = ann.post("/api/v1/logout", Map.of()).json();
        assertThat(logout.path("status").asText()).isEqualTo("success");
        assertThat(ann.get("/api/v1/me").status()).isEqualTo(401);
    }

    /** The app's methodCallWrapper with API_Use_REST_For_DDP_Calls on: the DDP frame over method.call. */
    private static JsonNode methodCall(RestClient user, String method, Object... params) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("msg", "method");
        frame.put("id", String.valueOf(System.nanoTime() % 100000));
        frame.put("method", method);
        frame.put("params", java.util.Arrays.asList(params));
        RestClient.Response reply = user.post("/api/v1/method.call/" + method, Map.of("message", jsonOf(frame)));
        assertThat(reply.status()).as(method + ": " + reply).isEqualTo(200);
        try {
            JsonNode result = JSON.readTree(reply.json().path("message").asText());
            assertThat(result.has("error")).as(method + ": " + result).isFalse();
            return result;
        } catch (IOException e) {
            throw new AssertionError(method + ": " + reply, e);
        }
    }

    private static HttpResponse<String> multipart(String url, RestClient user, Map<String, String> fields, String fileField,
            String fileName, String type, byte[] content) throws Exception {
        String boundary = "----app" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-User-Id", user.userId()).header("X-Auth-Token", user.authToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] png() throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0x3366cc);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void assertReady(JsonNode reply, String what) {
        assertThat(reply.path("msg").asText()).as(what + ": " + reply).isEqualTo("ready");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String jsonOf(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
