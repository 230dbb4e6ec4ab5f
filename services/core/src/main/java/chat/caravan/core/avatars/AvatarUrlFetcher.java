package chat.caravan.core.avatars;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.settings.Settings;
import org.springframework.stereotype.Component;

/**
 * Fetches an {@code avatarUrl} without letting a caller make the server reach inside its network: http and https
 * only, no loopback, link-local (cloud metadata), private or otherwise internal address unless
 * {@code Accounts_Avatar_Fetch_AllowInternal} says so, no redirects, a time limit and a size limit, an image type.
 */
@Component
public class AvatarUrlFetcher {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final long MAX_BYTES = 20L * 1024 * 1024;

    private final Settings settings;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public AvatarUrlFetcher(Settings settings) {
        this.settings = settings;
    }

    /** A fetched image: its type and the temporary file holding it (the caller deletes it). */
    public record Fetched(String type, Path file, long size) {
    }

    public Fetched fetch(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw invalid(url);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw invalid(url);
        }
        // every address the name has, not only the first: a name that also points inside is refused
        if (!settings.bool("Accounts_Avatar_Fetch_AllowInternal", false)
                && java.util.Arrays.stream(addresses).anyMatch(AvatarUrlFetcher::internal)) {
            throw invalid(url);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        Path file = null;
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
                if (response.statusCode() != 200 || !type.startsWith("image/")) {
                    throw invalid(url);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > MAX_BYTES) {
                    throw invalid(url);
                }
                file = Files.createTempFile("caravan-avatar", ".img");
                long size = Files.copy(new java.io.BufferedInputStream(new LimitedStream(body, MAX_BYTES + 1)), file,
                        StandardCopyOption.REPLACE_EXISTING);
                if (size > MAX_BYTES || size == 0) {
                    throw invalid(url);
                }
                return new Fetched(type, file, size);
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw invalid(url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(file);
            throw invalid(url);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** Loopback, link-local, site-local (private), any-local, multicast, carrier-grade NAT and unique-local IPv6. */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        return (bytes[0] & 0xfe) == 0xfc;
    }

    private static CaravanException invalid(String url) {
        return CaravanException.coded("error-avatar-invalid-url", "Invalid avatar URL: " + url,
                java.util.Map.of("url", url));
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file; the OS clears its temp folder
            }
        }
    }

    /** Stops reading after {@code max} bytes. */
    private static final class LimitedStream extends java.io.FilterInputStream {
        private long remaining;

        LimitedStream(InputStream in, long max) {
            super(in);
            this.remaining = max;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
