package chat.caravan.core.files;

import java.nio.file.Path;

/** A file a client sent, already received into a temporary file by the HTTP server. */
public record IncomingFile(Path path, String name, String declaredType, long size, org.bson.Document content) {

    /** An end-to-end encrypted upload: its {@code content} names the algorithm and carries the ciphertext. */
    public boolean encrypted() {
        return content != null && content.get("algorithm") != null && content.get("ciphertext") != null;
    }
}
