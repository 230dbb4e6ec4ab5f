package chat.caravan.common.presence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * A short fingerprint of the connections one ddp-streamer instance holds (each {@code connectionId:status}, in any
 * order): the instance sends it with its heartbeat, presence computes it from what it has stored, and a difference
 * means they disagree and the instance re-announces its connections.
 */
public final class ConnectionDigest {

    private ConnectionDigest() {
    }

    /** The digest of {@code connectionId:status} entries; the same for the same set in any order. */
    public static String of(Collection<String> entries) {
        List<String> sorted = new ArrayList<>(entries);
        java.util.Collections.sort(sorted);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String entry : sorted) {
                sha.update(entry.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String entry(String connectionId, String status) {
        return connectionId + ":" + status;
    }
}
