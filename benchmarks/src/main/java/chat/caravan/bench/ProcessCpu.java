package chat.caravan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used by a set of processes (user + system, from /proc/<pid>/stat): what the server spent on a step,
 * comparable across runs even when something else shares the cores, where wall-clock latency is not.
 */
public final class ProcessCpu {

    /** Clock ticks per second of /proc's figures (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final List<Long> pids;

    public ProcessCpu(List<Long> pids) {
        this.pids = List.copyOf(pids);
    }

    /** CPU milliseconds the processes have used so far. */
    public double millis() {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticksOf(pid);
        }
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }

    static long ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
