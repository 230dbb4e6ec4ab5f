package chat.caravan.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import chat.caravan.it.harness.Topology;

/** Heap (after a full GC, from the process's /metrics) and RSS (from /proc) of a server process. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    public record Sample(double heapMiB, double rssMiB) {
    }

    public static Sample sample(long pid, URI serviceUrl) throws Exception {
        Process gc = new ProcessBuilder(Topology.jdkTool("jcmd"),
                String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
        gc.waitFor(60, TimeUnit.SECONDS);
        Thread.sleep(500);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(serviceUrl.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double heap = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        double rssKiB = 0;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKiB = Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
        }
        return new Sample(heap / (1024 * 1024), rssKiB / 1024);
    }
}
