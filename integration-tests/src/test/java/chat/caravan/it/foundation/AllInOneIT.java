package chat.caravan.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import chat.caravan.it.harness.ManagedProcess;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The all-in-one on its embedded defaults: one process, no outside server, data kept on disk. */
class AllInOneIT {

    @TempDir
    Path work;

    @Test
    void answersApiInfoWithinTwentySecondsAndKeepsDataAcrossARestart() {
        int port = Ports.free();
        Map<String, String> env = Map.of("PORT", String.valueOf(port), "CARAVAN_DATA_DIR", work.resolve("data").toString(),
                "ADMIN_USERNAME", "admin", "ADMIN_PASS", "admin-pass-1", "ADMIN_EMAIL", "admin@caravan.test");
        String url = "http://127.0.0.1:" + port;
        String userId;
        String token;
        try (ManagedProcess first = allInOne("all-in-one-first", env)) {
            long started = System.nanoTime();
            first.awaitHttpOk(url + "/api/info", Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            first.awaitHttpOk(url + "/health/ready", Duration.ofSeconds(20));
            RestClient admin = new RestClient(url).login("admin", "admin-pass-1");
            userId = admin.userId();
            token = admin.authToken();
            assertThat(Files.exists(work.resolve("data"))).isTrue();
        }
        try (ManagedProcess second = allInOne("all-in-one-second", env)) {
            second.awaitHttpOk(url + "/health/ready", Duration.ofSeconds(30));
            RestClient.Response me = new RestClient(url).useToken(userId, token).get("/api/v1/me");
            assertThat(me.status()).as("the login token issued before the restart").isEqualTo(200);
            assertThat(me.json().path("username").asText()).isEqualTo("admin");
        }
    }

    @Test
    void routeFilesFromCaravanRoutesDirReplaceThePackagedOnes() throws IOException {
        Path routes = copyOfRoutes();
        Files.writeString(routes.resolve("platform/custom.yaml"), """
                - route:
                    id: integrator-custom
                    from:
                      uri: platform-http:/health/custom
                      steps:
                        - setBody:
                            constant: "edited by an integrator"
                """);
        int port = Ports.free();
        try (ManagedProcess server = allInOne("all-in-one-routes", Map.of("PORT", String.valueOf(port),
                "CARAVAN_DATA_DIR", work.resolve("data-routes").toString(), "CARAVAN_ROUTES_DIR", routes.toString()))) {
            server.awaitHttpOk("http://127.0.0.1:" + port + "/health/ready", Duration.ofSeconds(30));
            RestClient.Response custom = new RestClient("http://127.0.0.1:" + port).get("/health/custom");
            assertThat(custom.status()).isEqualTo(200);
            assertThat(custom.body()).isEqualTo("edited by an integrator");
        }
    }

    @Test
    void aRouteFileThatDoesNotParseStopsStartUpNamingTheFile() throws IOException {
        Path routes = copyOfRoutes();
        Path broken = routes.resolve("platform/broken.yaml");
        Files.writeString(broken, "- route:\n    from: [unclosed\n");
        int port = Ports.free();
        try (ManagedProcess server = allInOne("all-in-one-broken", Map.of("PORT", String.valueOf(port),
                "CARAVAN_DATA_DIR", work.resolve("data-broken").toString(), "CARAVAN_ROUTES_DIR", routes.toString()))) {
            server.awaitLog("broken.yaml", Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(server.isAlive()).as("start-up stopped").isFalse();
            assertThat(server.logText()).contains("Route file").contains(broken.getFileName().toString());
        }
    }

    private ManagedProcess allInOne(String name, Map<String, String> env) {
        return new ManagedProcess(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", Topology.jarOf("all-in-one").toString()), env,
                work.resolve("logs")).start();
    }

    private Path copyOfRoutes() throws IOException {
        Path source = Topology.repoDir().resolve("routes");
        Path target = work.resolve("routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }
}
