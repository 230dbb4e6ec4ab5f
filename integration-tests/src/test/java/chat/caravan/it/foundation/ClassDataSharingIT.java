package chat.caravan.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import chat.caravan.it.harness.ManagedProcess;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data sharing archive the container image makes ({@code docker/cds-archive.sh}, run by the Dockerfile): the
 * training run of a deployable writes an archive its later starts map; a single service trains on the in-process bus,
 * and still refuses to serve without TRANSPORTER.
 */
class ClassDataSharingIT {

    @TempDir
    Path work;

    @Test
    void theAllInOneStartsOnTheArchiveItsTrainingRunWrote() throws Exception {
        Path archive = work.resolve("all-in-one.jsa");
        train("all-in-one", archive);
        int port = Ports.free();
        // -Xshare:on: the JVM refuses to start at all unless it can map the archive
        try (ManagedProcess server = new ManagedProcess("all-in-one-cds", List.of(Topology.java(), "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-jar", Topology.jarOf("all-in-one").toString()),
                Map.of("PORT", String.valueOf(port), "CARAVAN_DATA_DIR", work.resolve("data").toString()),
                work.resolve("logs"))) {
            server.start().awaitHttpOk("http://127.0.0.1:" + port + "/health/ready", Duration.ofMinutes(3));
        }
    }

    @Test
    void aSingleServiceTrainsOnTheInProcessBusButRefusesToServeWithoutTransporter() throws Exception {
        Path archive = work.resolve("presence.jsa");
        train("presence", archive);
        ProcessBuilder alone = new ProcessBuilder(Topology.java(), "-jar", Topology.jarOf("presence").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("presence.log").toFile());
        alone.environment().remove("TRANSPORTER");
        alone.environment().put("PORT", String.valueOf(Ports.free()));
        alone.environment().put("CARAVAN_DATA_DIR", work.resolve("presence-data").toString());
        Process refused = alone.start();
        assertThat(refused.waitFor(3, TimeUnit.MINUTES)).as("the service stops by itself").isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(Files.readString(work.resolve("presence.log"))).contains("TRANSPORTER is not set");
    }

    /** Runs the image's training script on {@code module}'s jar and checks it wrote the archive. */
    private void train(String module, Path archive) throws IOException {
        // as in the image build: whatever the machine has set, the training run uses its own throw-away store
        Topology.cdsArchive(module, archive, Map.of("MONGO_URL", "mongodb://127.0.0.1:1/unreachable"),
                work.resolve(module + "-training.log"));
        assertThat(Files.size(archive)).as("archive size").isGreaterThan(1L << 20);
    }
}
