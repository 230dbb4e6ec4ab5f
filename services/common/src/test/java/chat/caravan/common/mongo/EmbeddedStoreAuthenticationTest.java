package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store listens on a local port, so it lets no one in without its account: a stock driver without
 * credentials, or with a wrong password, reads nothing (not the users' bcrypt hashes, not their token hashes).
 */
class EmbeddedStoreAuthenticationTest {

    @TempDir
    Path dataDir;

    EmbeddedMongoServer server;

    @BeforeEach
    void start() {
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        try (MongoClient owner = MongoClients.create(server.connectionString())) {
            owner.getDatabase("rocketchat").getCollection("users").insertOne(new Document("_id", "u1")
                    .append("services", new Document("password", new Document("bcrypt", "$2b$10$secret"))));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientWithoutTheAccountIsRefusedEveryReadAndWrite() {
        try (MongoClient anonymous = MongoClients.create("mongodb://" + server.address())) {
            var users = anonymous.getDatabase("rocketchat").getCollection("users");
            assertThatThrownBy(() -> users.find().into(new ArrayList<>()))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
            assertThatThrownBy(() -> users.insertOne(new Document("_id", "intruder")))
                    .isInstanceOf(com.mongodb.MongoException.class);
            assertThatThrownBy(() -> anonymous.getDatabase("admin").runCommand(new Document("listDatabases", 1)))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
            assertThat(anonymous.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok")).isNotNull();
        }
        try (MongoClient owner = MongoClients.create(server.connectionString())) {
            assertThat(owner.getDatabase("rocketchat").getCollection("users").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void aWrongPasswordFailsToAuthenticate() {
        String wrong = new StoreCredentials(StoreCredentials.USERNAME, "not-the-password")
                .connectionString("127.0.0.1", server.port(), null);
        try (MongoClient guesser = MongoClients.create(wrong)) {
            assertThatThrownBy(() -> guesser.getDatabase("rocketchat").getCollection("users").find().first())
                    .isInstanceOf(MongoSecurityException.class);
        }
    }

    @Test
    void theAccountIsKeptInTheDataDirForItsOwnerOnlyAndSurvivesARestart() throws Exception {
        Path file = dataDir.resolve(StoreCredentials.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        StoreCredentials kept = StoreCredentials.read(file);
        server.close();
        server = EmbeddedMongoServer.start(dataDir, "127.0.0.1", 0);
        assertThat(StoreCredentials.read(file)).isEqualTo(kept);
        try (MongoClient owner = MongoClients.create(kept.connectionString("127.0.0.1", server.port(), null))) {
            assertThat(owner.getDatabase("rocketchat").getCollection("users").countDocuments()).isEqualTo(1);
        }
    }
}
