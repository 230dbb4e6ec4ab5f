package chat.caravan.common.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The embedded store's files in a data directory, for tests that open it as after a crash. */
final class StoreFiles {

    private StoreFiles() {
    }

    /** The index snapshot a clean stop leaves in {@code dataDir}. */
    static Path indexSnapshot(Path dataDir) {
        return IndexSnapshot.fileFor(dataDir.resolve(EmbeddedMongoServer.DATA_FILE));
    }

    /** Deletes the snapshot a clean stop left: the next open reads everything back, as after a crash. */
    static void deleteIndexSnapshot(Path dataDir) {
        try {
            Files.delete(indexSnapshot(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
