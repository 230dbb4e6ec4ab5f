package chat.caravan.core.files;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of uploads and avatars live. Every implementation streams: a write copies from the given stream a
 * buffer at a time, a read hands back a stream positioned at an offset, so no whole file is ever held in memory.
 */
public interface FileStore {

    /** Rocket.Chat's store names ({@code GridFS:Uploads}) and the GridFS bucket each lives in. */
    enum Bucket {
        UPLOADS("Uploads", "rocketchat_uploads"),
        AVATARS("Avatars", "rocketchat_avatars");

        private final String storeName;
        private final String collection;

        Bucket(String storeName, String collection) {
            this.storeName = storeName;
            this.collection = collection;
        }

        public String storeName() {
            return storeName;
        }

        /** The GridFS bucket, and the collection of the records Rocket.Chat keeps beside it. */
        public String collection() {
            return collection;
        }
    }

    /** {@code GridFS} or {@code FileSystem}, as the setting {@code FileUpload_Storage_Type} names it. */
    String type();

    /**
     * Stores {@code content} as file {@code id}; answers the bytes written. A failed write leaves nothing behind.
     */
    long write(Bucket bucket, String id, String name, String contentType, InputStream content) throws IOException;

    /** The file's bytes from {@code offset} on, or null when it is not stored. */
    InputStream read(Bucket bucket, String id, long offset) throws IOException;

    /** Removes the file; a file that is not stored is not an error. */
    void delete(Bucket bucket, String id);
}
