package chat.caravan.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.it.harness.ServiceInstance;
import chat.caravan.it.harness.Topology;

/**
 * Scenario {@code service-start}: each deployable's start to ready on its own, the rest of the topology running (a
 * redeploy of one service), without and with the class data sharing archive the container image makes
 * ({@code docker/cds-archive.sh}: a training run, then {@code -XX:SharedArchiveFile}). Rounds alternate the two
 * ({@code servicestart.rounds}, 3) and the instance is left as the topology started it. In the all-in-one mode the
 * all-in-one restarts on the store the other scenarios filled.
 */
public final class ServiceStarts {

    private static final Map<String, Path> ARCHIVES = new HashMap<>();

    private ServiceStarts() {
    }

    static List<Result> run(String mode, Topology topology, int rounds) {
        List<Result> results = new ArrayList<>();
        for (String service : "microservices".equals(mode) ? Topology.SERVICES : List.of("all-in-one")) {
            Path archive = archiveOf(service);
            ServiceInstance instance = topology.instance(service, 0);
            List<Double> plain = new ArrayList<>();
            List<Double> plainCpu = new ArrayList<>();
            List<Double> shared = new ArrayList<>();
            List<Double> sharedCpu = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                instance.restart(List.of("-XX:SharedArchiveFile=" + archive));
                shared.add((double) instance.readyAfter().toMillis());
                sharedCpu.add(instance.readyCpu() == null ? Double.NaN : instance.readyCpu().toMillis());
                instance.restart(List.of());
                plain.add((double) instance.readyAfter().toMillis());
                plainCpu.add(instance.readyCpu() == null ? Double.NaN : instance.readyCpu().toMillis());
            }
            Result result = Result.of("service-start", mode, service + " alone")
                    .put("ready_ms_median", median(plain)).put("ready_cpu_ms_median", median(plainCpu))
                    .put("cds_ready_ms_median", median(shared)).put("cds_ready_cpu_ms_median", median(sharedCpu))
                    .put("ready_ms_min", min(plain)).put("cds_ready_ms_min", min(shared));
            try {
                result.put("cds_archive_mib", Files.size(archive) / 1048576.0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println(result);
            results.add(result);
        }
        return results;
    }

    /** The archive of {@code module}'s jar, made once per run by the script the container image runs. */
    static synchronized Path archiveOf(String module) {
        return ARCHIVES.computeIfAbsent(module, name -> {
            try {
                Path dir = Files.createTempDirectory("caravan-cds");
                Path archive = dir.resolve(name + ".jsa");
                Topology.cdsArchive(name, archive, Map.of(), dir.resolve(name + "-training.log"));
                return archive;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }
}
