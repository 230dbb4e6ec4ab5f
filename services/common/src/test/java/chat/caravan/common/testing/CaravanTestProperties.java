package chat.caravan.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Settings for a test context: one JVM with the in-process bus, the embedded store in a fresh directory, and the HTTP
 * server on a free port.
 */
public final class CaravanTestProperties {

    private CaravanTestProperties() {
    }

    /** Registers the properties and returns the HTTP port. */
    public static int register(DynamicPropertyRegistry registry) {
        int port = NatsServerProcess.freePort();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("caravan-test-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("caravan.service", () -> "all-in-one");
        registry.add("caravan.http.port", () -> port);
        registry.add("caravan.data-dir", dataDir::toString);
        registry.add("caravan.transporter", () -> "");
        registry.add("caravan.mongo-url", () -> "");
        return port;
    }
}
