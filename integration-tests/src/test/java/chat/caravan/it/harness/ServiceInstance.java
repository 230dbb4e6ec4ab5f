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
    private long startedNanos;
    private volatile Duration readyAfter;
    private volatile Duration readyCpu;
    /** JVM options added to the topology's for the next starts (a benchmark's variant), none by default. */
    private List<String> extraJvmOptions = List.of();

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
        command.addAll(extraJvmOptions);
        command.add("-jar");
        command.add(Topology.jarOf(service).toString());
        writeRestartScript(command);
        startedNanos = System.nanoTime();
        readyAfter = null;
        process = new ManagedProcess(service + "-" + index + (generation > 1 ? "-run" + generation : ""), command,
                env, topology.logDir()).start();
    }

    /**
     * {@code <logs>/<service>-<index>.restart.sh}: the command line and environment of this process, so an operator
     * can start one killed service again by hand (its MONGO_URL, TRANSPORTER and PORT are not visible in ps).
     */
    private void writeRestartScript(List<String> command) {
        StringBuilder script = new StringBuilder("#!/usr/bin/env bash\n# starts " + service + "-" + index
                + " again as the topology started it\n");
        new java.util.TreeMap<>(env).forEach((name, value) -> script.append("export ").append(name).append('=')
                .append(quoted(value)).append('\n'));
        script.append("exec");
        command.forEach(part -> script.append(' ').append(quoted(part)));
        script.append(" >> ").append(quoted(topology.logDir().resolve(service + "-" + index + ".log").toString()))
                .append(" 2>&1\n");
        java.nio.file.Path file = topology.logDir().resolve(service + "-" + index + ".restart.sh");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, script);
            file.toFile().setExecutable(true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    void awaitReady() {
        // a condition, not a duration: long by default so that a busy or small machine still starts everything
        process.awaitHttpOk(url() + "/health/ready", READY_TIMEOUT);
        readyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
        readyCpu = cpuOf(process.pid());
    }

    /**
     * The CPU time (user + system) the process had used when it became ready, from /proc: unlike the wall time, hardly
     * changed by other work on the machine. Null where /proc cannot tell.
     */
    public Duration readyCpu() {
        return readyCpu;
    }

    private static Duration cpuOf(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return Duration.ofMillis(ticks * 10);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** How long its last start took, from launching the JVM to /health/ready answering 200 (null if not yet ready). */
    public Duration readyAfter() {
        return readyAfter;
    }

    /** How long a process may take to become ready: {@code CARAVAN_READY_TIMEOUT} seconds, default 300. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.parseLong(
            System.getenv().getOrDefault("CARAVAN_READY_TIMEOUT", "300")));

    /** Starts again after a stop or a kill, on the same port, and waits until ready. */
    public void restart() {
        stop();
        start();
        awaitReady();
    }

    /** As {@link #restart()}, this start and the later ones with {@code jvmOptions} added to the topology's. */
    public void restart(List<String> jvmOptions) {
        extraJvmOptions = List.copyOf(jvmOptions);
        restart();
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
