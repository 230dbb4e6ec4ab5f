package chat.caravan.common.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.wire.MongoDatabaseHandler;
import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.UnorderedThreadPoolEventExecutor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB-compatible server Caravan runs when MONGO_URL is unset: mongo-java-server on its H2 backend, keeping
 * its data in one file under the data directory so it survives a restart, with its oplog on so change streams work.
 *
 * <p>It serves the wire protocol like mongo-java-server's own server, except that commands run on a pool of their
 * own instead of on the connection's event loop: a command waiting for a busy collection (an updateMany over a
 * thousand subscriptions) holds one pool thread, not every connection that shares its event loop, such as the change
 * stream that should deliver the message just written. A driver sends one command at a time on a connection, so
 * running each connection's commands wherever a thread is free keeps their order.
 */
public class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongoServer.class);
    static final String DATA_FILE = "caravan-mongo.mv";
    /** Threads running commands; more than the commands that may wait on one collection at once. */
    static final int COMMAND_THREADS = 64;
    /** The changes the oplog keeps by default: how far behind a change stream may fall and still resume. */
    public static final int DEFAULT_OPLOG_ENTRIES = 50_000;
    /** The bytes the oplog keeps on disk at most by default, whatever its entries. */
    public static final long DEFAULT_OPLOG_BYTES = 256L << 20;

    private final ReplicaSetH2Backend backend;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final EventExecutorGroup commands;
    private final ChannelGroup clients;
    private final Channel listener;
    private final String connectionString;
    private final String address;
    private Path dataFile;

    private EmbeddedMongoServer(ReplicaSetH2Backend backend, EventLoopGroup acceptor, EventLoopGroup io,
                                EventExecutorGroup commands, ChannelGroup clients, Channel listener,
                                StoreCredentials credentials) {
        this.backend = backend;
        this.acceptor = acceptor;
        this.io = io;
        this.commands = commands;
        this.clients = clients;
        this.listener = listener;
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        this.address = bound.getHostString() + ":" + bound.getPort();
        this.connectionString = credentials.connectionString(bound.getHostString(), bound.getPort(), null);
    }

    /** Starts on {@code host:port} (port 0 picks a free one) with its data under {@code dataDir}. */
    public static EmbeddedMongoServer start(Path dataDir, String host, int port) {
        return start(dataDir, host, port, DEFAULT_OPLOG_ENTRIES);
    }

    /** As {@link #start(Path, String, int)}, the oplog keeping the newest {@code oplogEntries} changes. */
    public static EmbeddedMongoServer start(Path dataDir, String host, int port, int oplogEntries) {
        return start(dataDir, host, port, oplogEntries, DEFAULT_OPLOG_BYTES);
    }

    /** As {@link #start(Path, String, int, int)}, the oplog also kept within {@code oplogBytes}. */
    public static EmbeddedMongoServer start(Path dataDir, String host, int port, int oplogEntries, long oplogBytes) {
        return start(dataDir, host, port, oplogEntries, oplogBytes, MongoShapedOplog.MEMORY_BYTES);
    }

    /** As {@link #start(Path, String, int, int, long)}, the oplog's newest {@code oplogMemory} bytes kept in memory. */
    static EmbeddedMongoServer start(Path dataDir, String host, int port, int oplogEntries, long oplogBytes,
                                     long oplogMemory) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve(DATA_FILE).toAbsolutePath();
        StoreCredentials credentials = StoreCredentials.loadOrCreate(dataDir);
        ReplicaSetH2Backend backend = ReplicaSetH2Backend.open(file.toString(), oplogEntries, oplogBytes,
                oplogMemory, credentials);
        backend.enableOplog();
        EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("embedded-mongo-accept", true));
        EventLoopGroup io = new NioEventLoopGroup(0, new DefaultThreadFactory("embedded-mongo-io", true));
        EventExecutorGroup commands = new UnorderedThreadPoolEventExecutor(COMMAND_THREADS,
                new DefaultThreadFactory("embedded-mongo-command", true));
        ChannelGroup clients = new DefaultChannelGroup("embedded-mongo-clients", io.next());
        try {
            Channel listener = new ServerBootstrap().group(acceptor, io).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new MongoWireReplyEncoder(), new MongoWireMessageEncoder(),
                                    new MongoWireProtocolHandler());
                            channel.pipeline().addLast(commands, new MongoDatabaseHandler(backend, clients),
                                    new MongoExceptionHandler());
                        }
                    }).bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            EmbeddedMongoServer server = new EmbeddedMongoServer(backend, acceptor, io, commands, clients, listener,
                    credentials);
            server.dataFile = file;
            LOG.info("Embedded MongoDB-compatible server on {} with data in {} (clients log in with the account in {})",
                    server.address, file, dataDir.resolve(StoreCredentials.FILE).toAbsolutePath());
            return server;
        } catch (RuntimeException e) {
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            commands.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            backend.close();
            throw e;
        }
    }

    /** A connection string that logs in with the store's account (it holds the password: never log it). */
    public String connectionString() {
        return connectionString;
    }

    /** {@code host:port} the store listens on. */
    public String address() {
        return address;
    }

    /** The oplog's entries and bytes kept on disk, and its bytes held in memory. */
    long[] oplogFootprint() {
        return backend.oplogFootprint();
    }

    /** How many indexes came from the snapshot of the last clean stop when the store opened (see {@link IndexSnapshot}). */
    int restoredIndexes() {
        return backend.restoredIndexes();
    }

    /** The group commit that makes each write durable before its reply. */
    GroupCommit commits() {
        return backend.commits();
    }

    /**
     * The store's figures on /metrics: caravan_store_size_bytes (its data file), caravan_store_commit_seconds (each
     * commit and sync to disk), caravan_store_writes_total / caravan_store_syncs_total and the oplog's entries.
     */
    public void bindMetrics(MeterRegistry registry, Timer commitLatency) {
        Path file = dataFile;
        Gauge.builder("caravan.store.size", () -> {
            try {
                return file == null ? 0 : Files.size(file);
            } catch (IOException e) {
                return Double.NaN;
            }
        }).description("Bytes of the embedded store's data file").baseUnit("bytes").register(registry);
        Gauge.builder("caravan.store.oplog.entries", () -> oplogFootprint()[0])
                .description("Changes the embedded store's oplog keeps on disk").register(registry);
        GroupCommit commits = commits();
        FunctionCounter.builder("caravan.store.writes", commits, GroupCommit::writes)
                .description("Writes the embedded store acknowledged").register(registry);
        FunctionCounter.builder("caravan.store.syncs", commits, GroupCommit::syncs)
                .description("Commits of the embedded store synced to disk (one serves many grouped writes)")
                .register(registry);
        commits.onCommit(nanos -> commitLatency.record(nanos, TimeUnit.NANOSECONDS));
        FunctionCounter.builder("caravan.store.collection.scans", ScanReportingCollection.SCANS,
                        scans -> scans.values().stream().mapToLong(java.util.concurrent.atomic.LongAdder::sum).sum())
                .description("Queries of the embedded store that no index served, on collections of 1,000 documents or more"
                        + " (each shape is logged once)")
                .register(registry);
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        commands.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        backend.close();
    }
}
