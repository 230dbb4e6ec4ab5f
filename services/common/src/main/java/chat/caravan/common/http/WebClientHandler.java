package chat.caravan.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Handler;

/**
 * The web client (module web-client: plain ES modules and CSS under {@code caravan-web/} on the classpath) at
 * {@code /}: each file with its content type and a content ETag, revalidated on every load ({@code no-cache}: the
 * files keep their names from one release to the next); any other path without an extension answers index.html so a
 * reload on a client path works. The server's own paths keep their meaning: this handler runs after every route.
 */
public final class WebClientHandler implements Handler<RoutingContext> {

    /** Where the files are on the classpath. */
    public static final String ROOT = "caravan-web";
    private static final List<String> SERVER_PATHS = List.of("/api", "/websocket", "/sockjs", "/file-upload", "/ufs",
            "/avatar", "/hooks", "/health", "/metrics", "/_timesync", "/livechat");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon", "json", "application/json", "webmanifest",
            "application/manifest+json", "txt", "text/plain; charset=utf-8");
    // same-origin only: the client may talk to no other host, and nothing it renders may run script
    private static final String CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
            + "connect-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final ClassLoader classLoader;
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    WebClientHandler(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Whether the web client is on this process's classpath (core and the all-in-one carry it). */
    static boolean present(ClassLoader classLoader) {
        return classLoader.getResource(ROOT + "/index.html") != null;
    }

    @Override
    public void handle(RoutingContext context) {
        HttpMethod method = context.request().method();
        String path = context.normalizedPath();
        if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || isServerPath(path)) {
            context.next();
            return;
        }
        String name = path.endsWith("/") ? path + "index.html" : path;
        boolean hasExtension = name.substring(name.lastIndexOf('/') + 1).contains(".");
        Optional<Asset> asset = hasExtension ? asset(name) : asset("/index.html");
        if (asset.isEmpty()) {
            context.next();
            return;
        }
        Asset found = asset.get();
        var response = context.response()
                .putHeader("ETag", found.etag())
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("Referrer-Policy", "same-origin");
        if (found.etag().equals(context.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", found.type());
        if (method == HttpMethod.HEAD) {
            response.putHeader("Content-Length", String.valueOf(found.bytes().length())).end();
        } else {
            response.end(found.bytes());
        }
    }

    static boolean isServerPath(String path) {
        for (String prefix : SERVER_PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private Optional<Asset> asset(String path) {
        if (path.contains("..") || path.contains("\\") || path.contains("//")) {
            return Optional.empty();
        }
        return assets.computeIfAbsent(path, this::load);
    }

    private Optional<Asset> load(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = classLoader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            return Optional.of(new Asset(Buffer.buffer(bytes), type, etag));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private record Asset(Buffer bytes, String type, String etag) {
    }
}
