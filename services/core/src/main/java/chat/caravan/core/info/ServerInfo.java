package chat.caravan.core.info;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.authz.Authorization;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * What {@code GET /api/info} tells clients, as Rocket.Chat answers it: the version this server speaks without its
 * patch number to anyone; to a caller allowed {@code view-statistics}, the full version and {@code info} (build,
 * commit, marketplace API version).
 */
@Component("serverInfo")
public class ServerInfo {

    private static final Map<String, String> MINIMUM_CLIENT_VERSIONS = Map.of("desktop", "3.9.0", "mobile", "4.39.0");
    private static final Instant STARTED = Instant.now();

    private final CaravanProperties properties;
    private final RestAuth auth;
    private final Authorization authorization;
    private final Settings settings;

    public ServerInfo(CaravanProperties properties, RestAuth auth, Authorization authorization, Settings settings) {
        this.properties = properties;
        this.auth = auth;
        this.authorization = authorization;
        this.settings = settings;
    }

    public void info(Exchange exchange) {
        String version = properties.getVersion();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean privileged = auth.tryAuthenticate(exchange)
                && authorization.hasPermission(RestAuth.userId(exchange), "view-statistics");
        if (privileged) {
            body.put("version", version);
            body.put("info", details(version));
        } else {
            body.put("version", version.replaceAll("^(\\d+\\.\\d+).*", "$1"));
        }
        body.put("minimumClientVersions", MINIMUM_CLIENT_VERSIONS);
        String workspaceId = settings.string("Cloud_Workspace_Id", "");
        if (!workspaceId.isEmpty()) {
            body.put("cloudWorkspaceId", workspaceId);
        }
        RestReplies.ok(exchange, body);
    }

    private static Map<String, Object> details(String version) {
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("date", CaravanJson.iso(STARTED));
        build.put("nodeVersion", "Java " + System.getProperty("java.version"));
        build.put("arch", System.getProperty("os.arch"));
        build.put("platform", System.getProperty("os.name").toLowerCase());
        build.put("osRelease", System.getProperty("os.version"));
        build.put("totalMemory", runtime.maxMemory());
        build.put("freeMemory", runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory()));
        build.put("cpus", runtime.availableProcessors());
        Map<String, Object> commit = new LinkedHashMap<>();
        Package caravan = ServerInfo.class.getPackage();
        if (caravan != null && caravan.getImplementationVersion() != null) {
            commit.put("tag", caravan.getImplementationVersion());
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", version);
        info.put("build", build);
        info.put("commit", commit);
        // the Apps-Engine's API version in Rocket.Chat; Caravan runs no apps
        info.put("marketplaceApiVersion", "");
        return info;
    }
}
