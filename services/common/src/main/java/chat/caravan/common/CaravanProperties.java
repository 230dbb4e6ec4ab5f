package chat.caravan.common;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import chat.caravan.common.mongo.EmbeddedMongoServer;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every Caravan deployable reads. Rocket.Chat's own environment variables (MONGO_URL, TRANSPORTER, PORT,
 * ROOT_URL, INSTANCE_IP) are mapped onto these in config/application.yaml; every key is overridable by env.
 */
@ConfigurationProperties(prefix = "caravan")
public class CaravanProperties {

    /** The deployable: a service name or "all-in-one". */
    private String service = CaravanApplication.ALL_IN_ONE;
    /** MongoDB connection string; empty starts the embedded MongoDB-compatible server. */
    private String mongoUrl = "";
    /** Database used when the connection string names none. */
    private String database = "rocketchat";
    /** Bus address (nats://host:4222, comma separated for a cluster); empty uses the in-process bus. */
    private String transporter = "";
    /** Where the embedded store keeps its data. */
    private Path dataDir = Path.of("data");
    /** Changes the embedded store's oplog keeps: how far behind a change stream may fall and still resume. */
    private int oplogEntries = EmbeddedMongoServer.DEFAULT_OPLOG_ENTRIES;
    /** Bytes the embedded store's oplog keeps at most on disk, whatever its entries. */
    private long oplogBytes = EmbeddedMongoServer.DEFAULT_OPLOG_BYTES;
    /** A directory of route groups (one sub-folder per group) used instead of the packaged route files. */
    private String routesDir = "";
    /** Reload a changed route file of {@link #routesDir} without a restart (files with REST definitions excepted). */
    private boolean routesReload;
    /** Public URL of the server. */
    private String rootUrl = "http://localhost:3000";
    /** This instance's address, as other instances see it. */
    private String instanceIp = "127.0.0.1";
    /** Product version reported by /api/info. */
    private String version = "8.9.0";
    private final Http http = new Http();
    private final Bus bus = new Bus();

    public boolean isAllInOne() {
        return CaravanApplication.ALL_IN_ONE.equals(service);
    }

    /** The route groups this deployable loads: "platform" plus its own group, or every group. */
    public List<String> routeGroups() {
        List<String> groups = new ArrayList<>();
        groups.add("platform");
        if (isAllInOne()) {
            groups.addAll(CaravanApplication.SERVICE_GROUPS);
        } else {
            groups.add(service);
        }
        return groups;
    }

    public static class Http {
        /** The one HTTP port: REST, WebSocket, health and metrics. */
        private int port = 3000;
        private String host = "0.0.0.0";
        /**
         * Largest accepted request body: room for an upload of Rocket.Chat's default FileUpload_MaxFileSize (100 MiB)
         * and its multipart framing. File parts are received into temporary files, never held in memory.
         */
        private long maxBodySize = 101L * 1024 * 1024;
        /**
         * Reverse proxies in front of this server whose X-Forwarded-For entries are believed (Meteor's
         * HTTP_FORWARDED_COUNT); 0 takes the client's address from the socket and ignores the header.
         */
        private int trustedProxies;
        /** Largest WebSocket message (a DDP frame) a client may send; a larger one closes the socket with 1009. */
        private int maxWebsocketMessageBytes = 1024 * 1024;
        /**
         * Threads that run REST requests (Vert.x's worker pool). A request spends most of its time waiting for the
         * store and the bus, so more run at once than there are cores; when all are busy, requests queue.
         */
        private int workerThreads = 64;
        /**
         * REST requests that may wait for a worker thread or run on one at once; the next is answered 503 at once
         * (error-server-busy, Retry-After: 1) rather than queued. Negative: four per worker thread. 0: no limit.
         */
        private int maxPendingRequests = -1;

        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public long getMaxBodySize() { return maxBodySize; }
        public void setMaxBodySize(long maxBodySize) { this.maxBodySize = maxBodySize; }
        public int getTrustedProxies() { return trustedProxies; }
        public void setTrustedProxies(int trustedProxies) { this.trustedProxies = trustedProxies; }
        public int getMaxWebsocketMessageBytes() { return maxWebsocketMessageBytes; }
        public void setMaxWebsocketMessageBytes(int maxWebsocketMessageBytes) { this.maxWebsocketMessageBytes = maxWebsocketMessageBytes; }
        public int getWorkerThreads() { return workerThreads; }
        public void setWorkerThreads(int workerThreads) { this.workerThreads = workerThreads; }
        public int getMaxPendingRequests() { return maxPendingRequests < 0 ? 4 * Math.max(1, workerThreads) : maxPendingRequests; }
        public void setMaxPendingRequests(int maxPendingRequests) { this.maxPendingRequests = maxPendingRequests; }
    }

    public static class Bus {
        /** Prefix of every subject on NATS. */
        private String subjectPrefix = "caravan";
        /** How long a request waits for its reply. */
        private Duration requestTimeout = Duration.ofSeconds(10);
        /** Events an in-process subscriber may have queued before the oldest are dropped. */
        private int inProcessQueueLimit = 100_000;

        public String getSubjectPrefix() { return subjectPrefix; }
        public void setSubjectPrefix(String subjectPrefix) { this.subjectPrefix = subjectPrefix; }
        public Duration getRequestTimeout() { return requestTimeout; }
        public void setRequestTimeout(Duration requestTimeout) { this.requestTimeout = requestTimeout; }
        public int getInProcessQueueLimit() { return inProcessQueueLimit; }
        public void setInProcessQueueLimit(int inProcessQueueLimit) { this.inProcessQueueLimit = inProcessQueueLimit; }
    }

    public String getService() { return service; }
    public void setService(String service) { this.service = service; }
    public String getMongoUrl() { return mongoUrl; }
    public void setMongoUrl(String mongoUrl) { this.mongoUrl = mongoUrl; }
    public String getDatabase() { return database; }
    public void setDatabase(String database) { this.database = database; }
    public String getTransporter() { return transporter; }
    public void setTransporter(String transporter) { this.transporter = transporter; }
    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public int getOplogEntries() { return oplogEntries; }
    public void setOplogEntries(int oplogEntries) { this.oplogEntries = oplogEntries; }
    public long getOplogBytes() { return oplogBytes; }
    public void setOplogBytes(long oplogBytes) { this.oplogBytes = oplogBytes; }
    public String getRoutesDir() { return routesDir; }
    public void setRoutesDir(String routesDir) { this.routesDir = routesDir; }
    public boolean isRoutesReload() { return routesReload; }
    public void setRoutesReload(boolean routesReload) { this.routesReload = routesReload; }
    public String getRootUrl() { return rootUrl; }
    public void setRootUrl(String rootUrl) { this.rootUrl = rootUrl; }
    public String getInstanceIp() { return instanceIp; }
    public void setInstanceIp(String instanceIp) { this.instanceIp = instanceIp; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public Http getHttp() { return http; }
    public Bus getBus() { return bus; }
}
