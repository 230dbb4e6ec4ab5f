package chat.caravan.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Rocket.Chat's FileSystem store: one file per upload under {@code FileUpload_FileSystemPath} (avatars in its
 * {@code avatars} folder), for operators whose files outgrow the database.
 */
public class FileSystemFileStore implements FileStore {

    private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private final Supplier<Path> root;

    public FileSystemFileStore(Supplier<Path> root) {
        this.root = root;
    }

    @Override
    public String type() {
        return "FileSystem";
    }

    private Path path(Bucket bucket, String id) {
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a file id: " + id);
        }
        Path base = root.get();
        return (bucket == Bucket.AVATARS ? base.resolve("avatars") : base).resolve(id);
    }

    @Override
    public long write(Bucket bucket, String id, String name, String contentType, InputStream content) throws IOException {
        Path target = path(bucket, id);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(id + ".part");
        try {
            long written;
            try (OutputStream out = Files.newOutputStream(partial)) {
                written = content.transferTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    @Override
    public InputStream read(Bucket bucket, String id, long offset) throws IOException {
        try {
            InputStream in = Files.newInputStream(path(bucket, id));
            in.skipNBytes(offset);
            return in;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void delete(Bucket bucket, String id) {
        try {
            Files.deleteIfExists(path(bucket, id));
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete stored file " + id, e);
        }
    }
}
