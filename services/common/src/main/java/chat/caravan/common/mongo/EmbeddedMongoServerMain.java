package chat.caravan.common.mongo;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded MongoDB-compatible server as a process of its own, so the services of a local microservices
 * topology share it through MONGO_URL. Arguments: {@code [port] [dataDir] [host]}, defaults 27017, ./data, 127.0.0.1;
 * env {@code CARAVAN_OPLOG_ENTRIES} and {@code CARAVAN_OPLOG_BYTES} cap the oplog.
 */
public final class EmbeddedMongoServerMain {

    private EmbeddedMongoServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        Path dataDir = Path.of(args.length > 1 ? args[1] : "data");
        String host = args.length > 2 ? args[2] : "127.0.0.1";
        String entries = System.getenv("CARAVAN_OPLOG_ENTRIES");
        String bytes = System.getenv("CARAVAN_OPLOG_BYTES");
        EmbeddedMongoServer server = EmbeddedMongoServer.start(dataDir, host, port, entries == null || entries.isBlank()
                ? EmbeddedMongoServer.DEFAULT_OPLOG_ENTRIES : Integer.parseInt(entries.trim()), bytes == null || bytes.isBlank()
                ? EmbeddedMongoServer.DEFAULT_OPLOG_BYTES : Long.parseLong(bytes.trim()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "embedded-mongo-shutdown"));
        System.out.println("embedded-mongo listening on " + server.address() + " (account in "
                + dataDir.resolve(StoreCredentials.FILE).toAbsolutePath() + ")");
        stopped.await();
    }
}
