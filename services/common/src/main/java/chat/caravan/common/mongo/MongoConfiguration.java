package chat.caravan.common.mongo;

import java.util.concurrent.TimeUnit;

import chat.caravan.common.CaravanProperties;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import chat.caravan.common.health.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * MongoDB access for every service. MONGO_URL unset: the embedded store. Set: a real MongoDB, which must be a
 * replica set because stream-hub reads change streams.
 */
@Configuration(proxyBeanMethods = false)
public class MongoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MongoConfiguration.class);

    /** Bean name camel-mongodb endpoints use: {@code mongodb:caravanMongo?...}. */
    public static final String CLIENT_BEAN = "caravanMongo";

    @Bean(destroyMethod = "close")
    EmbeddedMongoHolder embeddedMongo(CaravanProperties properties, Metrics metrics) {
        if (!properties.getMongoUrl().isBlank()) {
            return new EmbeddedMongoHolder(null);
        }
        EmbeddedMongoServer server = EmbeddedMongoServer.start(properties.getDataDir(), "127.0.0.1", 0,
                properties.getOplogEntries(), properties.getOplogBytes());
        server.bindMetrics(metrics.registry(), metrics.latency("caravan.store.commit",
                "Commits of the embedded store, each synced to disk"));
        return new EmbeddedMongoHolder(server);
    }

    @Bean(name = CLIENT_BEAN, destroyMethod = "close")
    MongoClient caravanMongo(CaravanProperties properties, EmbeddedMongoHolder embedded) {
        String url = embedded.server() != null ? embedded.server().connectionString() : properties.getMongoUrl();
        ConnectionString connection = new ConnectionString(url);
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(30, TimeUnit.SECONDS))
                .build());
        if (embedded.server() == null) {
            requireReplicaSet(client, connection);
        } else {
            // one connection logs in before the services open theirs together: the client keeps the keys it derived,
            // so the others do not each derive them again at the same time
            client.getDatabase("admin").runCommand(new Document("ping", 1));
        }
        return client;
    }

    @Bean
    MongoDatabase caravanDatabase(MongoClient client, CaravanProperties properties, EmbeddedMongoHolder embedded) {
        String name = properties.getDatabase();
        if (embedded.server() == null) {
            String fromUrl = new ConnectionString(properties.getMongoUrl()).getDatabase();
            if (fromUrl != null && !fromUrl.isBlank()) {
                name = fromUrl;
            }
        }
        return client.getDatabase(name);
    }

    @Bean
    WriteDurability writeDurability(MongoClient client) {
        return new WriteDurability(client);
    }

    private static void requireReplicaSet(MongoClient client, ConnectionString connection) {
        Document hello;
        try {
            hello = hello(client);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot reach MongoDB at " + connection.getHosts()
                    + " (MONGO_URL): " + e.getMessage(), e);
        }
        if (hello.getString("setName") == null) {
            throw new IllegalStateException("MongoDB at " + connection.getHosts() + " (MONGO_URL) is not a replica set."
                    + " Caravan needs change streams, which need a replica set: start mongod with --replSet rs0,"
                    + " run rs.initiate(), and add ?replicaSet=rs0 to MONGO_URL.");
        }
        LOG.info("MongoDB replica set {} at {}", hello.getString("setName"), connection.getHosts());
    }

    /** The server's handshake reply ({@code hello}, or its older name on servers without it). */
    static Document hello(MongoClient client) {
        try {
            return client.getDatabase("admin").runCommand(new Document("hello", 1));
        } catch (com.mongodb.MongoCommandException e) {
            if (e.getErrorCode() != 59) {
                throw e;
            }
            // servers without "hello" still answer its older name
            return client.getDatabase("admin").runCommand(new Document("isMaster", 1));
        }
    }

    /** The embedded server, when one runs. */
    public record EmbeddedMongoHolder(EmbeddedMongoServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
