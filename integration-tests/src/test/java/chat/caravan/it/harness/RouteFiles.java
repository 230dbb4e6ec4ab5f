package chat.caravan.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A CARAVAN_ROUTES_DIR for a test: the repository's route files, with examples enabled as an integrator does it. */
public final class RouteFiles {

    private RouteFiles() {
    }

    /**
     * Copies routes/ (but its examples/) under {@code work}/routes and each named example into its core/ folder, as
     * the integrator's guide says to enable one; returns the copy.
     */
    public static Path copyWith(Path work, String... examples) throws IOException {
        Path source = Topology.repoDir().resolve("routes");
        Path target = work.resolve("routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                String relative = source.relativize(file).toString();
                if (relative.startsWith("examples")) {
                    continue;
                }
                Path copy = target.resolve(relative);
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        for (String example : examples) {
            Files.copy(source.resolve("examples").resolve(example), target.resolve("core").resolve(example));
        }
        return target;
    }
}
