package chat.caravan.common.mongo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's in-memory indexes, saved to a file beside the store at a clean stop and loaded at the next open
 * instead of being rebuilt from every document (with a million messages stored the rebuild was most of the start: each
 * document read from disk, decoded and its keys extracted once per index).
 *
 * <p>A snapshot is only ever loaded on the exact data it was taken from. At a clean stop, after the last write, the
 * indexes are written to the file under a fresh token, and the token is put in the store itself, committed with the
 * store's final state. At open the token is read and at once removed from the store: that removal is part of the
 * store's next commit, so it is on disk before, or together with, any write made after the open. A store that saw a
 * write after its snapshot therefore never holds the snapshot's token again, however the process ended; its indexes
 * are rebuilt from the documents, as they always were. So is a store whose file is missing, unreadable, from another
 * version of this format or fails its checksum.
 */
final class IndexSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSnapshot.class);
    /** The store map holding the token of the snapshot taken with its current data, if any. */
    static final String TOKEN_MAP = "caravan.indexSnapshot";
    private static final String TOKEN_KEY = "token";
    private static final int MAGIC = 0x43_49_44_58;
    /** 2: the oplog's entry sizes follow the collections. */
    private static final int FORMAT = 2;

    /** Index contents by collection namespace, then by index signature; empty when nothing was loaded. */
    private final Map<String, Section> sections;
    /** The sizes of the oplog's entries on disk at the stop, or null when nothing was loaded. */
    private final MongoShapedOplog.Sizes oplogSizes;

    private record Section(long documents, Map<String, Object> indexes) {
    }

    private record Contents(Map<String, Section> sections, MongoShapedOplog.Sizes oplogSizes) {
    }

    private IndexSnapshot(Map<String, Section> sections, MongoShapedOplog.Sizes oplogSizes) {
        this.sections = sections;
        this.oplogSizes = oplogSizes;
    }

    /** The sizes of the oplog's entries as the store holds them, or null when the snapshot has none. */
    MongoShapedOplog.Sizes oplogSizes() {
        return oplogSizes;
    }

    /** The file beside the store file {@code dataFile} that holds its snapshot. */
    static Path fileFor(Path dataFile) {
        String name = dataFile.getFileName().toString();
        return dataFile.resolveSibling(name.replaceFirst("\\.mv$", "") + ".indexes");
    }

    /**
     * The snapshot taken with {@code store}'s current data, or an empty one. Either way the store's token is removed
     * and the file deleted: from here on the store may change, and the snapshot would no longer describe it.
     */
    static IndexSnapshot load(MVStore store, Path file) {
        MVMap<String, String> tokens = store.openMap(TOKEN_MAP);
        String token = tokens.remove(TOKEN_KEY);
        Contents contents = null;
        if (token != null && Files.isRegularFile(file)) {
            long started = System.nanoTime();
            try {
                contents = read(file, token);
                if (contents != null) {
                    LOG.info("Embedded store: indexes of {} collections loaded from {} in {} ms",
                            contents.sections().size(), file.getFileName(), (System.nanoTime() - started) / 1_000_000);
                } else {
                    LOG.info("Embedded store: {} was taken from other data; the indexes are rebuilt", file.getFileName());
                }
            } catch (IOException | RuntimeException unreadable) {
                LOG.warn("Embedded store: {} cannot be read ({}); the indexes are rebuilt", file.getFileName(),
                        unreadable.toString());
                contents = null;
            }
        } else if (Files.exists(file)) {
            LOG.info("Embedded store: {} does not match the data (the store was not stopped cleanly after it was taken);"
                    + " the indexes are rebuilt", file.getFileName());
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Embedded store: cannot delete {} ({}); its token is gone from the store, so it will not be used",
                    file, e.toString());
        }
        return contents == null ? empty() : new IndexSnapshot(contents.sections(), contents.oplogSizes());
    }

    static IndexSnapshot empty() {
        return new IndexSnapshot(Map.of(), null);
    }

    /**
     * The loaded contents of {@code index} of the collection {@code namespace} holding {@code documents} documents, or
     * null when the snapshot has none for it (a new index, another collection size: then it is built from the documents).
     */
    Object contentsOf(String namespace, long documents, Index<Object> index) {
        Section section = sections.get(namespace);
        if (section == null || section.documents() != documents || !(index instanceof Snapshotted)) {
            return null;
        }
        return section.indexes().get(signature(index));
    }

    /**
     * Writes the indexes of {@code collections} to {@code file} and puts its token in {@code store}, whose close then
     * commits it, with the sizes of the oplog's entries. Called at a clean stop, when no command runs any more.
     * {@code writeStamp} counts the writes begun, -1 while one runs. Returns false, leaving no token, when a write ran or
     * began while it was taken or the file could not be written.
     */
    static boolean save(MVStore store, Path file, List<ScanReportingCollection> collections,
                        java.util.function.Supplier<MongoShapedOplog.Sizes> oplogSizes,
                        java.util.function.LongSupplier writeStamp) {
        long started = System.nanoTime();
        long writes = writeStamp.getAsLong();
        if (writes < 0) {
            LOG.warn("Embedded store: a write was still running at the stop; the next start rebuilds the indexes");
            return false;
        }
        store.commit();
        String token = UUID.randomUUID().toString();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        int saved = 0;
        try (OutputStream raw = Files.newOutputStream(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 20));
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(token);
            Map<String, Long> named = new HashMap<>();
            for (ScanReportingCollection collection : collections) {
                if (!collection.isClosed()) {
                    named.merge(collection.getFullName(), 1L, Long::sum);
                }
            }
            for (ScanReportingCollection collection : collections) {
                // a name two open collections answer to (never seen) would be ambiguous: both are rebuilt
                if (!collection.isClosed() && named.get(collection.getFullName()) == 1L) {
                    saved += writeSection(out, collection) ? 1 : 0;
                }
            }
            out.writeBoolean(false);
            // -1: no oplog ran, so its entries' sizes are not known (the next open reads them back)
            MongoShapedOplog.Sizes sizes = oplogSizes.get();
            out.writeInt(sizes == null ? -1 : sizes.positions().length);
            for (int i = 0; sizes != null && i < sizes.positions().length; i++) {
                out.writeLong(sizes.positions()[i]);
                out.writeInt(sizes.bytes()[i]);
            }
            out.flush();
            out.writeLong(crc.getValue());
            out.flush();
        } catch (Unkeepable unkeepable) {
            return notSaved(partial, unkeepable.getMessage());
        } catch (IOException | RuntimeException failed) {
            return notSaved(partial, failed.toString());
        }
        try (var channel = java.nio.channels.FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException failed) {
            return notSaved(partial, failed.toString());
        }
        if (writeStamp.getAsLong() != writes) {
            // a write raced the snapshot: it may be missing from it (the store's own compaction, which changes no
            // data, may commit meanwhile: the writes are counted, not the store's versions)
            return notSaved(partial, "a write arrived while it was taken");
        }
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            return notSaved(partial, failed.toString());
        }
        store.<String, String>openMap(TOKEN_MAP).put(TOKEN_KEY, token);
        LOG.info("Embedded store: indexes of {} collections saved to {} in {} ms", saved, file.getFileName(),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** Says why no snapshot was saved and removes what was written of it; false, for {@link #save} to return. */
    private static boolean notSaved(Path partial, String why) {
        LOG.warn("Embedded store: the index snapshot was not saved ({}); the next start rebuilds the indexes", why);
        deleteQuietly(partial);
        return false;
    }

    /** A collection's section, unless it has no index to keep. */
    private static boolean writeSection(DataOutputStream out, ScanReportingCollection collection) throws IOException {
        List<Index<Object>> indexes = new ArrayList<>();
        for (Index<Object> index : collection.getIndexes()) {
            if (index instanceof Snapshotted) {
                indexes.add(index);
            }
        }
        if (indexes.isEmpty()) {
            return false;
        }
        out.writeBoolean(true);
        out.writeUTF(collection.getFullName());
        out.writeLong(collection.count());
        out.writeInt(indexes.size());
        Out writer = new Out(out);
        for (Index<Object> index : indexes) {
            out.writeUTF(signature(index));
            ((Snapshotted) index).writeTo(writer);
        }
        return true;
    }

    private static Contents read(Path file, String token) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            CRC32 crc = new CRC32();
            CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 20), crc);
            DataInputStream in = new DataInputStream(checked);
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not an index snapshot of this version");
            }
            if (!token.equals(in.readUTF())) {
                return null;
            }
            Map<String, Section> sections = new HashMap<>();
            In reader = new In(in);
            while (in.readBoolean()) {
                reader.newSection();
                String namespace = in.readUTF();
                long documents = in.readLong();
                int count = in.readInt();
                Map<String, Object> indexes = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    String signature = in.readUTF();
                    indexes.put(signature, readContents(signature, reader));
                }
                sections.put(namespace, new Section(documents, indexes));
            }
            int entries = in.readInt();
            long[] positions = new long[Math.max(entries, 0)];
            int[] bytes = new int[positions.length];
            for (int i = 0; i < entries; i++) {
                positions[i] = in.readLong();
                bytes[i] = in.readInt();
            }
            long computed = crc.getValue();
            if (in.readLong() != computed) {
                throw new IOException("checksum mismatch");
            }
            return new Contents(sections, entries < 0 ? null : new MongoShapedOplog.Sizes(positions, bytes));
        }
    }

    private static Object readContents(String signature, In in) throws IOException {
        String kind = signature.substring(0, signature.indexOf(' '));
        return switch (kind) {
            case "unique" -> MemoryUniqueIndex.readFrom(in);
            case "secondary", "sparse" -> SecondaryIndex.readFrom(in);
            case "prefixed" -> PrefixedUniqueIndex.readFrom(in);
            default -> throw new IOException("unknown index kind " + kind);
        };
    }

    /** What identifies an index across a restart: its kind, name, keys and sparseness. */
    static String signature(Index<Object> index) {
        StringBuilder out = new StringBuilder(((Snapshotted) index).snapshotKind()).append(' ').append(index.getName());
        for (IndexKey key : index.getKeys()) {
            out.append(' ').append(key.getKey()).append(key.isAscending() ? ":1" : ":-1");
        }
        return out.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // left behind; without the token it is never used
        }
    }

    /** An index that can write its contents to a snapshot and take them back from one. */
    interface Snapshotted {

        /** unique, secondary, sparse or prefixed: which {@code readFrom} reads it back. */
        String snapshotKind();

        void writeTo(Out out) throws IOException;

        /** Takes contents read by its kind's {@code readFrom}, in place of building them from the documents. */
        void restore(Object contents);
    }

    /** A value this format cannot write so that it reads back equal: no snapshot is saved then. */
    static final class Unkeepable extends RuntimeException {
        Unkeepable(String message) {
            super(message, null, false, false);
        }
    }

    /** Writes keys and positions, each value as exactly the type it is in memory. */
    static final class Out {
        private final DataOutputStream out;
        private final ByteBuf scratch = Unpooled.buffer(256);

        Out(DataOutputStream out) {
            this.out = out;
        }

        void writeInt(int value) throws IOException {
            out.writeInt(value);
        }

        void writeLong(long value) throws IOException {
            out.writeLong(value);
        }

        void writeKey(KeyValue key) throws IOException {
            out.writeInt(key.size());
            for (Object value : key) {
                writeValue(value);
            }
        }

        void writeValue(Object value) throws IOException {
            if (value == null) {
                out.writeByte(0);
            } else if (value instanceof String string) {
                byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
                if (!new String(utf8, StandardCharsets.UTF_8).equals(string)) {
                    throw new Unkeepable("a string that is not valid UTF-16");
                }
                out.writeByte(1);
                out.writeInt(utf8.length);
                out.write(utf8);
            } else if (value instanceof Double number) {
                out.writeByte(2);
                out.writeLong(Double.doubleToRawLongBits(number));
            } else if (value instanceof Long number) {
                out.writeByte(3);
                out.writeLong(number);
            } else if (value instanceof Integer number) {
                out.writeByte(4);
                out.writeInt(number);
            } else if (value instanceof Boolean flag) {
                out.writeByte(flag ? 5 : 6);
            } else if (value instanceof Instant instant) {
                out.writeByte(7);
                out.writeLong(instant.getEpochSecond());
                out.writeInt(instant.getNano());
            } else if (value instanceof ObjectId id) {
                out.writeByte(8);
                out.write(id.toByteArray());
            } else {
                // anything else (a sub-document, an array, binary data) as BSON, kept only if it reads back equal
                Document wrapped = new Document("v", value);
                scratch.clear();
                try {
                    BsonEncoder.encodeDocument(wrapped, scratch);
                } catch (RuntimeException notBson) {
                    throw new Unkeepable("a value of type " + value.getClass().getName());
                }
                byte[] bson = new byte[scratch.readableBytes()];
                scratch.getBytes(scratch.readerIndex(), bson);
                Object back = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson)).get("v");
                if (!value.equals(back) || back.getClass() != value.getClass()) {
                    throw new Unkeepable("a value of type " + value.getClass().getName());
                }
                out.writeByte(9);
                out.writeInt(bson.length);
                out.write(bson);
            }
        }
    }

    /** Reads what {@link Out} wrote. */
    static final class In {
        private final DataInputStream in;
        private byte[] buffer = new byte[256];
        /** The positions read in the current collection's section, each kept once however many indexes name it. */
        private Map<Object, Object> positions = new HashMap<>();

        In(DataInputStream in) {
            this.in = in;
        }

        /** A new collection's section begins: its positions are its own. */
        void newSection() {
            positions = new HashMap<>();
        }

        /**
         * The one instance of {@code position} in this section: a collection's indexes name the same documents, and
         * read back apart each would hold its own copy of every id (with a million messages, 64 MB per index).
         */
        Object position(Object position) {
            return intern(positions, position);
        }

        /** The instance of {@code value} that {@code seen} holds, {@code value} itself when it is the first. */
        private static Object intern(Map<Object, Object> seen, Object value) {
            if (value == null) {
                return null;
            }
            Object known = seen.putIfAbsent(value, value);
            return known != null ? known : value;
        }

        int readInt() throws IOException {
            return in.readInt();
        }

        long readLong() throws IOException {
            return in.readLong();
        }

        KeyValue readKey() throws IOException {
            return readKey(null);
        }

        /** A key; with {@code firstValues}, a compound key's first value is the one instance of it those hold. */
        KeyValue readKey(Map<Object, Object> firstValues) throws IOException {
            int size = in.readInt();
            if (size == 1) {
                return new KeyValue(readValue());
            }
            List<Object> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(readValue());
            }
            if (firstValues != null) {
                values.set(0, intern(firstValues, values.get(0)));
            }
            return new KeyValue(values);
        }

        Object readValue() throws IOException {
            int tag = in.readByte();
            return switch (tag) {
                case 0 -> null;
                case 1 -> {
                    int length = in.readInt();
                    byte[] utf8 = bytes(length);
                    yield new String(utf8, 0, length, StandardCharsets.UTF_8);
                }
                case 2 -> Double.longBitsToDouble(in.readLong());
                case 3 -> in.readLong();
                case 4 -> in.readInt();
                case 5 -> Boolean.TRUE;
                case 6 -> Boolean.FALSE;
                case 7 -> Instant.ofEpochSecond(in.readLong(), in.readInt());
                case 8 -> {
                    byte[] id = new byte[12];
                    in.readFully(id);
                    yield new ObjectId(id);
                }
                case 9 -> {
                    int length = in.readInt();
                    byte[] bson = new byte[length];
                    in.readFully(bson);
                    yield BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson)).get("v");
                }
                default -> throw new IOException("unknown value tag " + tag);
            };
        }

        private byte[] bytes(int length) throws IOException {
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            in.readFully(buffer, 0, length);
            return buffer;
        }
    }
}
