package chat.caravan.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import chat.caravan.common.mongo.StoreCredentials;

/**
 * A real Caravan deployment on this machine, every part its own process: nats-server, the MongoDB-compatible
 * server, the six services (several replicas where asked) and nginx routing like the Kubernetes ingress; or the
 * all-in-one on its embedded defaults. Used by the integration tests and by {@link LocalTopology}.
 */
public final class Topology implements AutoCloseable {

    public static final List<String> SERVICES =
            List.of("accounts", "authorization", "presence", "stream-hub", "ddp-streamer", "core");
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin-pass-1";
    public static final String ADMIN_EMAIL = "admin@caravan.test";

    private final Builder settings;
    private final Path workDir;
    private final Path logDir;
    private final Map<String, List<ServiceInstance>> services = new LinkedHashMap<>();
    private ManagedProcess nats;
    private ManagedProcess mongo;
    private ManagedProcess nginx;
    private ServiceInstance allInOne;
    private int natsPort;
    private int mongoPort;
    private int nginxPort;

    private Topology(Builder settings) {
        this.settings = settings;
        this.workDir = repoDir().resolve("integration-tests/target/topologies")
                .resolve(settings.name + "-" + System.currentTimeMillis());
        this.logDir = workDir.resolve("logs");
    }

    public static Builder microservices(String name) {
        return new Builder(name, false);
    }

    public static Builder allInOne(String name) {
        return new Builder(name, true);
    }

    /** Where the repository is: from -Dcaravan.repo.dir (set by the build), else the working directory's parent. */
    public static Path repoDir() {
        String dir = System.getProperty("caravan.repo.dir");
        if (dir != null) {
            return Path.of(dir).toAbsolutePath();
        }
        Path cwd = Path.of("").toAbsolutePath();
        return Files.exists(cwd.resolve("services")) ? cwd : cwd.getParent();
    }

    /**
     * The jar a service starts from: the fast-start layout the build writes (target/app: a plain jar naming its
     * libraries in target/app/lib), else the single exec jar.
     */
    public static Path jarOf(String module) {
        Path target = repoDir().resolve("services").resolve(module).resolve("target");
        String name = "caravan-" + module + "-0.1.0-exec.jar";
        Path laidOut = target.resolve("app").resolve(name);
        if (Files.exists(laidOut)) {
            return laidOut;
        }
        Path jar = target.resolve(name);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests package)");
        }
        return jar;
    }

    /** The java arguments that run {@code mainClass} from a service's jar, whichever layout {@link #jarOf} found. */
    static List<String> mainOf(String module, String mainClass) {
        Path jar = jarOf(module);
        return jar.getParent().getFileName().toString().equals("app")
                ? List.of("-cp", jar.toString(), mainClass)
                : List.of("-cp", jar.toString(), "-Dloader.main=" + mainClass,
                        "org.springframework.boot.loader.launch.PropertiesLauncher");
    }

    private Topology start() {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (settings.allInOne) {
            int port = settings.basePort > 0 ? settings.basePort : Ports.free();
            Map<String, String> env = new HashMap<>(commonEnv(port));
            env.put("CARAVAN_DATA_DIR", workDir.resolve("data").toString());
            if (settings.externalStore) {
                startMongo();
                env.put("MONGO_URL", mongoUrl());
            }
            if (settings.spareNats) {
                startNats();
            }
            env.putAll(settings.serviceEnv.getOrDefault("all-in-one", Map.of()));
            allInOne = new ServiceInstance("all-in-one", 0, port, env, this);
            allInOne.start();
            allInOne.awaitReady();
            return this;
        }
        startNats();

        startMongo();

        List<ServiceInstance> all = new ArrayList<>();
        for (String service : SERVICES) {
            int replicas = settings.replicas.getOrDefault(service, 1);
            List<ServiceInstance> instances = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                int port = Ports.free();
                Map<String, String> env = new HashMap<>(commonEnv(port));
                env.put("MONGO_URL", mongoUrl());
                env.put("TRANSPORTER", natsUrl());
                if (settings.nginx) {
                    // nginx appends the client's address to X-Forwarded-For: one trusted proxy
                    env.put("HTTP_FORWARDED_COUNT", "1");
                }
                env.putAll(settings.serviceEnv.getOrDefault(service, Map.of()));
                instances.add(new ServiceInstance(service, i, port, env, this));
            }
            services.put(service, instances);
            all.addAll(instances);
        }
        all.forEach(ServiceInstance::start);
        all.forEach(ServiceInstance::awaitReady);
        if (settings.nginx) {
            startNginx();
        }
        return this;
    }

    private void startNats() {
        natsPort = Ports.free();
        runNats("nats-server");
    }

    private void runNats(String name) {
        nats = new ManagedProcess(name, List.of(natsServerBinary(), "-a", "127.0.0.1", "-p",
                String.valueOf(natsPort)), Map.of(), logDir).start();
        nats.awaitLog("Server is ready", Duration.ofSeconds(60));
    }

    /** SIGKILL of nats-server, as a crash of the bus. */
    public void killNats() {
        nats.kill();
    }

    /** Starts nats-server again on its port (after {@link #killNats()}) and waits until it is ready. */
    public void restartNats() {
        runNats("nats-server-again-" + System.nanoTime());
    }

    private void startMongo() {
        mongoPort = Ports.free();
        List<String> command = new java.util.ArrayList<>(List.of(java(), "-Xmx1g"));
        command.addAll(mainOf("all-in-one", "chat.caravan.common.mongo.EmbeddedMongoServerMain"));
        command.addAll(List.of(String.valueOf(mongoPort), workDir.resolve("mongo-data").toString()));
        mongo = new ManagedProcess("mongo", command, Map.of(), logDir).start();
        mongo.awaitLog("embedded-mongo listening", Duration.ofSeconds(60));
    }

    /** JVM options of a service's processes: the defaults, or what {@link Builder#jvmOptions} set. */
    List<String> jvmOptionsOf(String service) {
        return settings.jvmOptions.getOrDefault(service, ServiceInstance.DEFAULT_JVM_OPTIONS);
    }

    private Map<String, String> commonEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("INSTANCE_IP", "127.0.0.1");
        env.put("ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("ADMIN_PASS", ADMIN_PASSWORD);
        env.put("ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("JAVA_TOOL_OPTIONS", "");
        // every client of a topology logs in from this machine: lift Rocket.Chat's 10 REST logins a minute per address
        env.put("OVERWRITE_SETTING_API_Enable_Rate_Limiter_Limit_Calls_Default", "100000");
        env.putAll(settings.globalEnv);
        return env;
    }

    private void startNginx() {
        nginxPort = settings.basePort > 0 ? settings.basePort : Ports.free();
        Path prefix = workDir.resolve("nginx");
        try {
            for (String dir : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
                Files.createDirectories(prefix.resolve(dir));
            }
            String template = Files.readString(repoDir().resolve("config/nginx/caravan.conf.template"));
            String config = template
                    .replace("@@PREFIX@@", prefix.toString())
                    .replace("@@LISTEN@@", "127.0.0.1:" + nginxPort)
                    .replace("@@CORE_SERVERS@@", upstream("core"))
                    .replace("@@DDP_STREAMER_SERVERS@@", upstream("ddp-streamer"));
            Files.writeString(prefix.resolve("nginx.conf"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nginx = new ManagedProcess("nginx", List.of(nginxBinary(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString()), Map.of(), logDir).start();
        nginx.awaitHttpOk("http://127.0.0.1:" + nginxPort + "/api/info", Duration.ofSeconds(20));
    }

    private String upstream(String service) {
        return services.get(service).stream()
                .map(instance -> "        server 127.0.0.1:" + instance.port() + " max_fails=0;")
                .collect(Collectors.joining("\n"));
    }

    /** The one URL clients use: nginx in microservices mode (core when started without it), or the all-in-one. */
    public String baseUrl() {
        if (allInOne != null) {
            return allInOne.url();
        }
        return nginx != null ? "http://127.0.0.1:" + nginxPort : coreUrl();
    }

    public String coreUrl() {
        return allInOne != null ? allInOne.url() : instance("core", 0).url();
    }

    public String natsUrl() {
        return "nats://127.0.0.1:" + natsPort;
    }

    /** Process id of a service instance, e.g. to read its memory. */
    public long pidOf(String service, int index) {
        return instance(service, index).process().pid();
    }

    /**
     * Process ids of what serves clients, by name ({@code all-in-one}, {@code core-0}, {@code mongo}, {@code nats}):
     * every service instance, the store process when one runs, and NATS when the services use it (not the
     * all-in-one's spare NATS, which only baselines use). For CPU readings.
     */
    public Map<String, Long> serverPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (allInOne != null) {
            pids.put("all-in-one", allInOne.process().pid());
        } else {
            services.forEach((service, instances) -> instances.forEach(instance ->
                    pids.put(service + "-" + instance.index(), instance.process().pid())));
            if (nats != null) {
                pids.put("nats", nats.pid());
            }
        }
        if (mongo != null) {
            pids.put("mongo", mongo.pid());
        }
        return pids;
    }

    /** The MongoDB-compatible server's URL, with the account it generated in its data dir (it refuses anonymous clients). */
    public String mongoUrl() {
        Path account = workDir.resolve("mongo-data").resolve(StoreCredentials.FILE);
        if (!Files.exists(account)) {
            // a build from before the store had an account (benchmarks compare against one)
            return "mongodb://127.0.0.1:" + mongoPort + "/rocketchat";
        }
        try {
            return StoreCredentials.read(account).connectionString("127.0.0.1", mongoPort, "rocketchat");
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded store's account is not readable", e);
        }
    }

    public ServiceInstance instance(String service, int index) {
        if (allInOne != null) {
            return allInOne;
        }
        return services.get(service).get(index);
    }

    public List<ServiceInstance> instances(String service) {
        return allInOne != null ? List.of(allInOne) : services.get(service);
    }

    public boolean isAllInOne() {
        return allInOne != null;
    }

    Path logDir() {
        return logDir;
    }

    /**
     * Writes a thread dump of each live Java process of the topology (the services and the store) next to its log, as
     * {@code <name>.threads.txt}, for a test that waited in vain: where the servers' threads were stuck. Returns
     * where they are.
     */
    public Path dumpThreads() {
        List<ManagedProcess> processes = new ArrayList<>();
        services.values().forEach(instances -> instances.stream().filter(ServiceInstance::isAlive)
                .forEach(instance -> processes.add(instance.process())));
        if (allInOne != null && allInOne.isAlive()) {
            processes.add(allInOne.process());
        }
        if (mongo != null && mongo.isAlive()) {
            processes.add(mongo);
        }
        for (ManagedProcess process : processes) {
            try {
                new ProcessBuilder(jdkTool("jcmd"), String.valueOf(process.pid()), "Thread.print")
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve(process.name() + ".threads.txt").toFile())
                        .start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (IOException e) {
                // a dump is a help for reading a failure, never a failure of its own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return logDir;
    }

    /**
     * The last {@code perLog} WARN and ERROR lines of each process's log (the service runs included), for a failure
     * message: what the servers said while a test waited in vain.
     */
    public String recentWarnings(int perLog) {
        StringBuilder out = new StringBuilder();
        try (var logs = Files.list(logDir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log).stream()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("[ERR]"))
                        .toList();
                if (!lines.isEmpty()) {
                    out.append("--- ").append(log.getFileName()).append(" ---\n");
                    lines.subList(Math.max(0, lines.size() - perLog), lines.size())
                            .forEach(line -> out.append(line, 0, Math.min(line.length(), 400)).append('\n'));
                }
            }
        } catch (IOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (nginx != null) {
            nginx.stop();
        }
        List<ServiceInstance> all = new ArrayList<>();
        services.values().forEach(all::addAll);
        if (allInOne != null) {
            all.add(allInOne);
        }
        all.parallelStream().forEach(ServiceInstance::stop);
        if (mongo != null) {
            mongo.stop();
        }
        if (nats != null) {
            nats.stop();
        }
    }

    /** This JVM's own {@code java} launcher. */
    public static String java() {
        return jdkTool("java");
    }

    /** A tool of this JVM's own JDK ({@code java}, {@code jcmd}), by name. */
    /**
     * Writes the class data sharing archive of {@code module}'s jar with the script the container image runs
     * ({@code docker/cds-archive.sh}), its output in {@code log}, with {@code env} added to the environment; fails with
     * that output unless the script ends by itself, succeeds and leaves the archive.
     */
    public static void cdsArchive(String module, Path archive, Map<String, String> env, Path log) {
        ProcessBuilder script = new ProcessBuilder("sh", repoDir().resolve("docker/cds-archive.sh").toString(),
                jarOf(module).toString(), archive.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        script.environment().putAll(env);
        try {
            Process training = script.start();
            boolean ended = training.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
            if (!ended || training.exitValue() != 0 || !Files.exists(archive)) {
                training.destroyForcibly();
                throw new IllegalStateException("the class data sharing archive of " + module + " was not made"
                        + (ended ? "" : " within 5 minutes") + ":\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static String natsServerBinary() {
        return firstExisting("nats-server", "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server");
    }

    static String nginxBinary() {
        return firstExisting("nginx", "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx");
    }

    private static String firstExisting(String name, String... candidates) {
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " is not installed (apt-get install -y " + name + ")");
    }

    /** How to start a topology. */
    public static final class Builder {
        private final String name;
        private final boolean allInOne;
        private final Map<String, Integer> replicas = new HashMap<>();
        private final Map<String, Map<String, String>> serviceEnv = new HashMap<>();
        private final Map<String, String> globalEnv = new HashMap<>();
        private final Map<String, List<String>> jvmOptions = new HashMap<>();
        private boolean nginx = true;
        private boolean externalStore;
        private boolean spareNats;
        private int basePort;

        private Builder(String name, boolean allInOne) {
            this.name = name;
            this.allInOne = allInOne;
        }

        public Builder replicas(String service, int count) {
            replicas.put(service, count);
            return this;
        }

        /** An environment variable for every replica of one service. */
        public Builder env(String service, String key, String value) {
            serviceEnv.computeIfAbsent(service, s -> new HashMap<>()).put(key, value);
            return this;
        }

        /** An environment variable for every process. */
        public Builder env(String key, String value) {
            globalEnv.put(key, value);
            return this;
        }

        /** JVM options for one service's processes ("all-in-one" for the all-in-one), replacing the defaults. */
        public Builder jvmOptions(String service, String... options) {
            jvmOptions.put(service, List.of(options));
            return this;
        }

        /** All-in-one only: the MongoDB-compatible server as its own process, reachable at {@link #mongoUrl()}. */
        public Builder externalStore() {
            externalStore = true;
            return this;
        }

        /** All-in-one only: a nats-server the all-in-one does not use, e.g. for baselines measured beside it. */
        public Builder spareNats() {
            spareNats = true;
            return this;
        }

        public Builder withoutNginx() {
            nginx = false;
            return this;
        }

        /** The port clients use (nginx, or the all-in-one); random when not set. */
        public Builder port(int port) {
            basePort = port;
            return this;
        }

        public Topology start() {
            Topology topology = new Topology(this);
            try {
                return topology.start();
            } catch (RuntimeException e) {
                topology.close();
                throw e;
            }
        }
    }
}
