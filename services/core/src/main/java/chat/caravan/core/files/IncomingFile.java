package chat.caravan.core.files;

import java.nio.file.Path;

/** A file a client sent, already received into a temporary file by the HTTP server. */
public record IncomingFile(Path path, String name, String declaredType, long size) {
}
