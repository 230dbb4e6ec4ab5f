package chat.caravan.it.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

import chat.caravan.it.harness.Eventually;
import chat.caravan.it.harness.ManagedProcess;
import chat.caravan.it.harness.NodeClients;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.RouteFiles;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integrations as routes, over a real all-in-one process whose CARAVAN_ROUTES_DIR holds the packaged routes, every
 * example of routes/examples copied into core/ (as routes/README.md tells an integrator), and a before-save route
 * edited to refuse links to one site: the bad-words filter censors on all six write paths (REST chat.postMessage,
 * chat.sendMessage, chat.update; DDP sendMessage and updateMessage with Rocket.Chat's client library;
 * method.call/sendMessage), the edited route refuses with Rocket.Chat's error on REST and DDP, an incoming webhook
 * posts, an outgoing webhook reaches a local HTTP server and its reply is posted, and each example works as its
 * comment says. The mail examples are copied too, with no mail server: Caravan starts and works without one
 * ({@link MailExamplesIT} runs them against a mail server).
 */
class IntegrationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** routes/core/message-pipeline.yaml's before-save route as an integrator edits it: one more step. */
    private static final String REFUSE_LINKS = """
                    - choice:
                        when:
                          - simple: "${body[msg]} contains 'evil.example'"
                            steps:
                              - throwException:
                                  exceptionType: chat.caravan.common.error.RouteRejection
                                  message: "error-link-not-allowed: Links to that site are not allowed"
            """;

    @TempDir
    Path work;

    @Test
    void messagesIntegrationsAndExamplesGoThroughTheRoutes() throws Exception {
        Path routes = RouteFiles.copyWith(work);
        Path pipeline = routes.resolve("core/message-pipeline.yaml");
        String original = Files.readString(pipeline);
        String censor = "        - to: bean:badWordsFilter?method=censor\n";
        assertThat(original).contains(censor);
        Files.writeString(pipeline, original.replace(censor, censor + REFUSE_LINKS));
        try (Stream<Path> examples = Files.list(Topology.repoDir().resolve("routes/examples"))) {
            for (Path example : examples.toList()) {
                Files.copy(example, routes.resolve("core").resolve(example.getFileName()));
            }
        }
        Path audit = work.resolve("audit");
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        int natsPort = Ports.free();
        List<JsonNode> webhookCalls = new CopyOnWriteArrayList<>();
        List<JsonNode> bridged = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiver(webhookCalls, bridged);
        try (ManagedProcess nats = new ManagedProcess("nats-for-example", List.of(natsServer(), "-a", "127.0.0.1", "-p",
                String.valueOf(natsPort)), Map.of(), work.resolve("logs")).start();
             Topology topology = Topology.allInOne("integrations").env("CARAVAN_ROUTES_DIR", routes.toString())
                     .env("CARAVAN_AUDIT_DIR", audit.toString())
                     .env("CARAVAN_EXAMPLE_NATS_URL", "nats://127.0.0.1:" + natsPort)
                     .env("CARAVAN_EXAMPLE_BRIDGE_ROOM", "bridged")
                     .env("CARAVAN_EXAMPLE_BRIDGE_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/bridge")
                     .env("CARAVAN_EXAMPLE_INBOX", inbox.toString())
                     .env("CARAVAN_EXAMPLE_INBOX_USER", Topology.ADMIN_USERNAME)
                     .env("CARAVAN_ROUTES_RELOAD", "true")
                     .start();
             Connection subscriber = Nats.connect("nats://127.0.0.1:" + natsPort)) {
            nats.awaitLog("Server is ready", Duration.ofSeconds(20));
            Subscription published = subscriber.subscribe("chat.messages");
            subscriber.flush(Duration.ofSeconds(5));
            String base = topology.baseUrl();
            RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
            RestClient ann = Users.create(admin, base, "ann");
            String room = "pipe-" + System.nanoTime();
            String rid = admin.post("/api/v1/channels.create", Map.of("name", room, "members", List.of(ann.username())))
                    .json().path("channel").path("_id").asText();
            assertThat(admin.post("/api/v1/settings/Message_BadWordsFilterList", Map.of("value", "darn,heck")).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/settings/Message_AllowBadWordsFilter", Map.of("value", true)).status()).isEqualTo(200);

            // the six write paths
            assertThat(ann.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "darn one")).json()
                    .path("message").path("msg").asText()).isEqualTo("**** one");
            JsonNode sent = ann.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "heck two")))
                    .json().path("message");
            assertThat(sent.path("msg").asText()).isEqualTo("**** two");
            assertThat(ann.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", sent.path("_id").asText(), "text", "darn three"))
                    .json().path("message").path("msg").asText()).isEqualTo("**** three");
            String frame = JSON.writeValueAsString(Map.of("msg", "method", "id", "1", "method", "sendMessage",
                    "params", List.of(Map.of("rid", rid, "msg", "heck four"))));
            JsonNode tunnelled = JSON.readTree(ann.post("/api/v1/method.call/sendMessage", Map.of("message", frame))
                    .json().path("message").asText());
            assertThat(tunnelled.path("result").path("msg").asText()).as(tunnelled.toString()).isEqualTo("**** four");
            NodeClients.Result ddp = NodeClients.run("pipeline.mjs", 120, base, ann.username(), ann.username() + "-pw", rid,
                    "darn five", "heck six", "see https://evil.example/x");
            assertThat(ddp.exitCode()).as(ddp.output()).isZero();
            JsonNode ddpSent = line(ddp.output(), "sendMessage");
            assertThat(ddpSent.path("result").path("msg").asText()).as(ddp.output()).isEqualTo("**** five");
            String ddpId = ddpSent.path("result").path("_id").asText();
            assertThat(ann.get("/api/v1/chat.getMessage?msgId=" + ddpId).json().path("message").path("msg").asText())
                    .as("DDP updateMessage").isEqualTo("**** six");

            // the edited before-save route refuses, as Rocket.Chat refuses: 400 on REST, a Meteor error on DDP
            RestClient.Response refused = ann.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "evil.example"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().path("success").asBoolean(true)).isFalse();
            assertThat(refused.json().path("errorType").asText()).isEqualTo("error-link-not-allowed");
            assertThat(refused.json().path("error").asText()).isEqualTo("Links to that site are not allowed [error-link-not-allowed]");
            JsonNode ddpRefused = line(ddp.output(), "refusedSendMessage");
            assertThat(ddpRefused.path("error").path("error").asText()).as(ddp.output()).isEqualTo("error-link-not-allowed");
            assertThat(ddpRefused.path("error").path("reason").asText()).isEqualTo("Links to that site are not allowed");

            // an incoming webhook posts to its channel
            RestClient bot = Users.create(admin, base, "ci");
            JsonNode incoming = admin.post("/api/v1/integrations.create", Map.of("type", "webhook-incoming", "name", "CI",
                    "enabled", true, "username", bot.username(), "channel", "#" + room, "scriptEnabled", false))
                    .json().path("integration");
            RestClient.Response hooked = new RestClient(base).post("/hooks/" + incoming.path("_id").asText() + "/"
                    + incoming.path("token").asText(), Map.of("text", "deploy darn done", "alias", "Deployer"));
            assertThat(hooked.status()).as(hooked.body()).isEqualTo(200);
            JsonNode posted = await(() -> messageWith(admin, rid, "deploy **** done"), "the incoming webhook's message");
            assertThat(posted.path("alias").asText()).isEqualTo("Deployer");
            assertThat(posted.path("u").path("username").asText()).isEqualTo(bot.username());

            // an outgoing webhook on sendMessage reaches the local server, and its reply is posted
            String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            assertThat(admin.post("/api/v1/integrations.create", Map.of("type", "webhook-outgoing", "name", "echo",
                    "enabled", true, "event", "sendMessage", "username", bot.username(), "channel", "#" + room,
                    "scriptEnabled", false, "urls", List.of(hookUrl), "triggerWords", List.of("!echo"))).status()).isEqualTo(200);
            ann.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "!echo hello"));
            JsonNode call = await(() -> webhookCalls.isEmpty() ? null : webhookCalls.get(0), "the outgoing webhook call");
            assertThat(call.path("text").asText()).isEqualTo("!echo hello");
            assertThat(call.path("channel_name").asText()).isEqualTo(room);
            JsonNode reply = await(() -> messageWith(admin, rid, "echo: !echo hello"), "the webhook's reply");
            assertThat(reply.path("u").path("username").asText()).isEqualTo(bot.username());

            // examples: audit log to a file, messages to a NATS subject, a room bridged to HTTP, an inbox folder to a room
            Path auditFile = await(() -> auditFile(audit), "the audit log file");
            await(() -> Files.exists(auditFile) && read(auditFile).contains("!echo hello") ? JSON.createObjectNode() : null,
                    "the audit line");
            for (String line : read(auditFile).strip().split("\n")) {
                assertThat(JSON.readTree(line).has("rid")).as("one message document per line: " + line).isTrue();
            }
            io.nats.client.Message onNats = published.nextMessage(Duration.ofSeconds(10));
            assertThat(onNats).as("a message on the NATS subject").isNotNull();
            assertThat(onNats.getSubject()).isEqualTo("chat.messages");
            assertThat(JSON.readTree(onNats.getData()).has("msg")).isTrue();

            String bridgedRid = admin.post("/api/v1/channels.create", Map.of("name", "bridged")).json().path("channel").path("_id").asText();
            admin.post("/api/v1/chat.postMessage", Map.of("roomId", bridgedRid, "text", "across the bridge"));
            admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "not bridged"));
            JsonNode across = await(() -> bridged.stream().filter(m -> m.path("msg").asText().equals("across the bridge"))
                    .findFirst().orElse(null), "the bridged message");
            assertThat(across.path("rid").asText()).isEqualTo(bridgedRid);
            assertThat(bridged).noneMatch(m -> m.path("msg").asText().equals("not bridged"));

            Files.writeString(inbox.resolve("note.txt"), "dropped in the inbox");
            await(() -> messageWith(admin, "GENERAL", "dropped in the inbox"), "the inbox file posted to general");
            await(() -> Files.exists(inbox.resolve("note.txt")) ? null : JSON.createObjectNode(), "the inbox file removed");

            // CARAVAN_ROUTES_RELOAD: an edited route file takes effect without a restart
            Path auditRoute = routes.resolve("core/audit-log.yaml");
            // saved as editors save: a new file moved over the old one
            Path edited = work.resolve("audit-log.yaml.new");
            Files.writeString(edited, Files.readString(auditRoute).replace("fileName=messages-", "fileName=reloaded-"));
            Files.move(edited, auditRoute, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // one message now and then: a reload waits for the messages the old route still has queued
            await(() -> {
                admin.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "after the edit"));
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try (Stream<Path> files = Files.list(audit)) {
                    return files.anyMatch(f -> f.getFileName().toString().startsWith("reloaded-")) ? JSON.createObjectNode() : null;
                } catch (IOException e) {
                    return null;
                }
            }, "the reloaded audit route writing its new file");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aRouteFileNamingAnUnknownComponentStopsStartUpNamingTheFile() throws Exception {
        Path routes = RouteFiles.copyWith(work);
        Path typo = routes.resolve("core/audit-typo.yaml");
        Files.writeString(typo, """
                - route:
                    id: audit-with-a-typo
                    from:
                      uri: "topic:message.saved"
                      steps:
                        - to: "fiel:/tmp/audit"
                """);
        int port = Ports.free();
        try (ManagedProcess server = new ManagedProcess("all-in-one-typo", List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", Topology.jarOf("all-in-one").toString()),
                Map.of("PORT", String.valueOf(port), "CARAVAN_DATA_DIR", work.resolve("data-typo").toString(),
                        "CARAVAN_ROUTES_DIR", routes.toString()), work.resolve("logs")).start()) {
            server.awaitLog("audit-typo.yaml", Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(server.isAlive()).as("start-up stopped").isFalse();
            assertThat(server.logText()).contains("Route file").contains("audit-typo.yaml").contains("unknown endpoint fiel:/tmp/audit");
        }
    }

    private static HttpServer receiver(List<JsonNode> webhookCalls, List<JsonNode> bridged) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            JsonNode payload = JSON.readTree(exchange.getRequestBody().readAllBytes());
            webhookCalls.add(payload);
            byte[] body = JSON.writeValueAsBytes(Map.of("text", "echo: " + payload.path("text").asText()));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/bridge", exchange -> {
            bridged.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static JsonNode line(String output, String call) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("{") && JSON.readTree(line).path("call").asText().equals(call)) {
                return JSON.readTree(line);
            }
        }
        throw new AssertionError("no " + call + " in " + output);
    }

    private static JsonNode messageWith(RestClient client, String rid, String text) {
        for (JsonNode message : client.get("/api/v1/channels.messages?roomId=" + rid + "&count=100").json().path("messages")) {
            if (text.equals(message.path("msg").asText())) {
                return message;
            }
        }
        return null;
    }

    private static Path auditFile(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static <T> T await(Supplier<T> probe, String what) {
        return Eventually.value(what, Duration.ofSeconds(45), probe);
    }

    private static String natsServer() {
        for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nats-server is not installed (apt-get install -y nats-server)");
    }
}
