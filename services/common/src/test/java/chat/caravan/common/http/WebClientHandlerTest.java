package chat.caravan.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web client's files at /: types, ETag revalidation, the SPA fallback, and the server's own paths left alone. */
class WebClientHandlerTest {

    @TempDir
    static Path resources;
    static Vertx vertx;
    static HttpServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws Exception {
        Path web = Files.createDirectories(resources.resolve(WebClientHandler.ROOT).resolve("js"));
        Files.writeString(web.getParent().resolve("index.html"), "<!doctype html><title>client</title>");
        Files.writeString(web.resolve("app.js"), "export const answer = 42;");
        Files.writeString(resources.resolve("secret.txt"), "not for the web");
        ClassLoader classLoader = new URLClassLoader(new URL[] {resources.toUri().toURL()}, null);
        assertThat(WebClientHandler.present(classLoader)).isTrue();
        assertThat(WebClientHandler.present(new URLClassLoader(new URL[0], null))).isFalse();
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/api/v1/known").handler(context -> context.response().end("{\"success\":true}"));
        router.route().last().handler(new WebClientHandler(classLoader));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void servesIndexAtTheRootAndOnClientPaths() throws Exception {
        HttpResponse<String> root = get("/", null);
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(root.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(root.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'", "connect-src 'self'");
        assertThat(root.body()).contains("<title>client</title>");
        assertThat(get("/room/GENERAL", null).body()).isEqualTo(root.body());
        assertThat(get("/admin", null).statusCode()).isEqualTo(200);
    }

    @Test
    void servesAssetsWithTheirTypeAndRevalidatesByETag() throws Exception {
        HttpResponse<String> script = get("/js/app.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/js/app.js", etag).statusCode()).isEqualTo(304);
        assertThat(get("/js/app.js", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void leavesMissingFilesTheServersPathsAndOtherMethodsAlone() throws Exception {
        assertThat(get("/js/missing.js", null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/known", null).body()).isEqualTo("{\"success\":true}");
        assertThat(get("/api/v1/unknown", null).statusCode()).isEqualTo(404);
        assertThat(get("/avatar/alice", null).statusCode()).isEqualTo(404);
        assertThat(get("/websocket", null).statusCode()).isEqualTo(404);
        assertThat(get("/js/../../secret.txt", null).body()).doesNotContain("not for the web");
        assertThat(get("/%2e%2e/secret.txt", null).body()).doesNotContain("not for the web");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(WebClientHandler.isServerPath("/hooks/abc/token")).isTrue();
        assertThat(WebClientHandler.isServerPath("/health")).isTrue();
        assertThat(WebClientHandler.isServerPath("/hooksmith")).isFalse();
    }

    private static HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
