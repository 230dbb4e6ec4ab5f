package chat.caravan.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import chat.caravan.it.harness.NodeClients;
import chat.caravan.it.harness.Topology;
import org.junit.jupiter.api.Test;

/**
 * The web client as people use it, in headless Chromium (Debian's chromium package, driven by playwright-core from
 * integration-tests/clients/web-journey.mjs), over the all-in-one and over the microservices behind nginx: two people
 * sign in, one creates a channel and adds the other, they exchange messages live (mention, typing, unread badge),
 * react, reply in a thread, edit, delete, pin, upload an image, one goes away and the other sees it, the server
 * restarts and both clients reconnect and catch up. Screenshots land in web-client/target/screenshots/.
 */
class WebClientIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final List<String> STEPS = List.of("ok login", "ok channel-created-and-invited",
            "ok message-live-and-read", "ok typing-and-mention", "ok reaction", "ok thread", "ok edit-and-delete",
            "ok pin", "ok image-upload", "ok presence", "ok directory-and-admin", "ok reconnect-and-catch-up", "ok history-paging",
            "ok phone-layout", "ok logout", "ok no-outside-requests-no-page-errors", "all passed");

    @Test
    void twoPeopleChatInTheBrowserOnTheAllInOne() throws Exception {
        try (Topology topology = Topology.allInOne("web-aio").start()) {
            servesTheClient(topology.baseUrl());
            journey(topology, "all-in-one", () -> topology.instance("all-in-one", 0).restart());
        }
    }

    @Test
    void twoPeopleChatInTheBrowserOnTheMicroservicesBehindNginx() throws Exception {
        try (Topology topology = Topology.microservices("web-ms").start()) {
            servesTheClient(topology.baseUrl());
            journey(topology, "microservices", () -> {
                // the WebSocket side goes first, so the clients stay cut off while core restarts too
                topology.instance("ddp-streamer", 0).stop();
                topology.instance("core", 0).restart();
                topology.instance("ddp-streamer", 0).restart();
            });
        }
    }

    /** index.html at / and on a client path, assets with their types and ETags, the API paths untouched. */
    private static void servesTheClient(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> index = get(http, base + "/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(index.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"/js/app.js\">");
        HttpResponse<String> reload = get(http, base + "/room/some-room-id", null);
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).isEqualTo(index.body());
        HttpResponse<String> script = get(http, base + "/js/app.js", null);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        String etag = script.headers().firstValue("ETag").orElseThrow();
        assertThat(get(http, base + "/js/app.js", etag).statusCode()).isEqualTo(304);
        assertThat(get(http, base + "/app.css", null).headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        assertThat(get(http, base + "/js/missing.js", null).statusCode()).isEqualTo(404);
        HttpResponse<String> unknownApi = get(http, base + "/api/v1/no-such-endpoint", null);
        assertThat(unknownApi.statusCode()).isEqualTo(404);
        assertThat(unknownApi.body()).contains("\"success\":false");
        assertThat(get(http, base + "/api/info", null).body()).contains("\"success\":true");
    }

    private static HttpResponse<String> get(HttpClient http, String url, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the browser journey; when it asks, restarts the server and tells it so. */
    private static void journey(Topology topology, String name, Runnable restart) throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Debian's chromium package (apt-get install chromium) at " + CHROMIUM).isTrue();
        NodeClients.install();
        Path shots = Topology.repoDir().resolve("web-client/target/screenshots").resolve(name);
        Process node = new ProcessBuilder("node", "web-journey.mjs", topology.baseUrl(), Topology.ADMIN_USERNAME,
                Topology.ADMIN_PASSWORD, shots.toString()).directory(NodeClients.dir().toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        long started = System.nanoTime();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer stdin = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                System.out.println("[web-journey " + name + "] " + line);
                if (line.equals("restart-server")) {
                    restart.run();
                    stdin.write("restarted\n");
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            output.add("(output ended: " + e.getMessage() + ")");
        }
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
        String all = String.join("\n", output);
        System.out.printf("[web-journey %s] took %d s%n", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(node.exitValue()).as(all).isZero();
        assertThat(all).contains(STEPS);
        assertThat(shots.resolve("04-room.png")).exists();
    }
}
