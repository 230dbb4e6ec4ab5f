package chat.caravan.common.mongo;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded store's one account: generated on the first start and kept in {@code credentials.properties} in the
 * data directory, readable by its owner only. The server accepts no command but the handshake and SCRAM-SHA-256
 * authentication from a connection that has not logged in with it; the services of this process use it by
 * themselves, and a separate process (a local microservices topology) reads it from the file to build MONGO_URL.
 */
public record StoreCredentials(String username, String password) {

    /** The file in the data directory holding the account. */
    public static final String FILE = "credentials.properties";
    static final String USERNAME = "caravan";

    /** The account kept in {@code dataDir}, created there with owner-only permissions when missing. */
    public static StoreCredentials loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            StoreCredentials created = new StoreCredentials(USERNAME,
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            Path partial = dataDir.resolve(FILE + ".new");
            Files.deleteIfExists(partial);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                Files.createFile(partial);
            }
            Properties properties = new Properties();
            properties.setProperty("username", created.username());
            properties.setProperty("password", created.password());
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                properties.store(out, "Caravan embedded store account (generated; keep private)");
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the embedded store's credentials in " + file, e);
        }
    }

    /** The account kept in {@code file}. */
    public static StoreCredentials read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String username = properties.getProperty("username");
        String password = properties.getProperty("password");
        if (username == null || password == null || username.isBlank() || password.isBlank()) {
            throw new IOException(file + " lacks a username or a password");
        }
        return new StoreCredentials(username, password);
    }

    /** A MongoDB connection string for {@code host:port} that logs in with this account. */
    public String connectionString(String host, int port, String database) {
        return "mongodb://" + encode(username) + ":" + encode(password) + "@" + host + ":" + port + "/"
                + (database == null ? "" : database) + "?authSource=admin&authMechanism=SCRAM-SHA-256";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StoreCredentials[" + username + "]";
    }
}
