package chat.caravan.it.harness;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One replica of one service (or the all-in-one), restartable and killable. */
public final class ServiceInstance {

    static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx384m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String service;
    private final int index;
    private final int port;
    private final Map<String, String> env;
    private final Topology topology;
    private ManagedProcess process;
    private int generation;

    ServiceInstance(String service, int index, int port, Map<String, String> env, Topology topology) {
        this.service = service;
        this.index = index;
        this.port = port;
        this.env = env;
        this.topology = topology;
    }

    void start() {
        generation++;
        List<String> command = new java.util.ArrayList<>();
        command.add(Topology.java());
        command.addAll(topology.jvmOptionsOf(service));
        command.add("-jar");
        command.add(Topology.jarOf(service).toString());
        process = new ManagedProcess(service + "-" + index + (generation > 1 ? "-run" + generation : ""), command,
                env, topology.logDir()).start();
    }

    void awaitReady() {
        // a condition, not a duration: generous so that a busy machine (other builds beside it) still passes
        process.awaitHttpOk(url() + "/health/ready", Duration.ofSeconds(300));
    }

    /** Starts again after a stop or a kill, on the same port, and waits until ready. */
    public void restart() {
        stop();
        start();
        awaitReady();
    }

    /** Starts again without waiting for readiness. */
    public void startAgain() {
        start();
    }

    /** SIGKILL, as a crash. */
    public void kill() {
        process.kill();
    }

    public void stop() {
        if (process != null) {
            process.stop();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String websocketUrl() {
        return "ws://127.0.0.1:" + port + "/websocket";
    }

    public int port() {
        return port;
    }

    public String service() {
        return service;
    }

    public int index() {
        return index;
    }

    public ManagedProcess process() {
        return process;
    }
}
