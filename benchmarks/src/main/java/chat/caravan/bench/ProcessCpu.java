package chat.caravan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time used by a set of processes (user + system, from /proc/<pid>/stat): what the server spent on a step,
 * comparable across runs even when something else shares the cores, where wall-clock latency is not. Snapshots add
 * the processes' RSS, this load generator's CPU and the whole machine's, so a step's use reads as shares of a core.
 */
public final class ProcessCpu {

    /** Clock ticks per second of /proc's figures (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids;

    /** The processes by name, e.g. {@code all-in-one} and {@code mongo}. */
    public ProcessCpu(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    /** CPU milliseconds the processes have used so far, together. */
    public double millis() {
        return snapshot().servers().values().stream().mapToLong(Long::longValue).sum() * 1000.0 / TICKS_PER_SECOND;
    }

    /** CPU ticks so far of each process (by name) and their RSS, this JVM's ticks, and the machine's (busy, all). */
    record Snapshot(long nanos, Map<String, Long> servers, Map<String, Long> rssKiB, long self, long machineBusy,
            long machineTotal) {
    }

    /** CPU use between two snapshots, in % of one core; the machine's in % of all its cores. */
    record Usage(double seconds, Map<String, Double> serverPct, double serverTotalPct, double generatorPct,
            double machinePct, double rssMiB) {
    }

    Snapshot snapshot() {
        Map<String, Long> servers = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long ticks = ticks(pid);
            if (ticks >= 0) {
                servers.put(name, ticks);
                rss.put(name, rssKiB(pid));
            }
        });
        long[] machine = machine();
        return new Snapshot(System.nanoTime(), servers, rss, ticks(ProcessHandle.current().pid()), machine[0], machine[1]);
    }

    static Usage between(Snapshot from, Snapshot to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        Map<String, Double> pct = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Long> entry : to.servers().entrySet()) {
            long before = from.servers().getOrDefault(entry.getKey(), entry.getValue());
            double value = Math.max(0, entry.getValue() - before) / TICKS_PER_SECOND / seconds * 100;
            pct.put(entry.getKey(), value);
            total += value;
        }
        double generator = (to.self() - from.self()) / TICKS_PER_SECOND / seconds * 100;
        long all = to.machineTotal() - from.machineTotal();
        double machine = all <= 0 ? Double.NaN : 100.0 * (to.machineBusy() - from.machineBusy()) / all;
        double rss = to.rssKiB().values().stream().mapToLong(Long::longValue).sum() / 1024.0;
        return new Usage(seconds, pct, total, generator, machine, rss);
    }

    /** utime + stime of a process, in clock ticks; -1 once it is gone. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** Busy and total ticks of all cores, from /proc/stat (idle and iowait count as not busy). */
    static long[] machine() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] fields = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
