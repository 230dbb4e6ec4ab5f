package chat.caravan.core.files;

import java.nio.file.Path;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.settings.Settings;
import com.mongodb.client.MongoDatabase;
import org.springframework.stereotype.Component;

/**
 * The store new files go to ({@code FileUpload_Storage_Type}: GridFS, Rocket.Chat's default, or FileSystem), and the
 * store an existing file is read from: the one its record names ({@code store: "GridFS:Uploads"}), so files stay
 * readable after an operator switches.
 */
@Component
public class FileStores {

    private final Settings settings;
    private final GridFsFileStore gridFs;
    private final FileSystemFileStore fileSystem;

    public FileStores(Settings settings, MongoDatabase database, CaravanProperties properties) {
        this.settings = settings;
        this.gridFs = new GridFsFileStore(database);
        Path fallback = properties.getDataDir().resolve("uploads");
        this.fileSystem = new FileSystemFileStore(() -> {
            String configured = settings.string("FileUpload_FileSystemPath", "");
            return configured == null || configured.isBlank() ? fallback : Path.of(configured.trim());
        });
    }

    /** The store for new files. */
    public FileStore current() {
        return "FileSystem".equals(settings.string("FileUpload_Storage_Type", "GridFS")) ? fileSystem : gridFs;
    }

    /** The store a record's {@code store} field ({@code <type>:<name>}) names; GridFS when it names none we have. */
    public FileStore of(String storeField) {
        return storeField != null && storeField.startsWith("FileSystem:") ? fileSystem : gridFs;
    }
}
