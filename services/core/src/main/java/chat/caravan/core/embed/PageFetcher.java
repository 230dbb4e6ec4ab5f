package chat.caravan.core.embed;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fetches a page for a link preview over HTTP/1.1: every URL, the first and each redirect's target (followed by hand,
 * a few at most), passes {@link EmbedAddressGuard} first, and the connection goes to the addresses the guard checked,
 * never to a second lookup of the name; the whole exchange has a deadline; of a text body (HTML, JSON) at most a
 * bounded number of bytes is read, of any other type (an image, a video) none. Each fetch has a connection of its own.
 */
@Component
public class PageFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);

    /** A fetched page: the URL it was finally read from, the status, the response headers and the text read. */
    public record Page(URI url, int status, String contentType, Long contentLength, String body) {
    }

    /** What to send beside the URL: the User-Agent and Accept-Language. */
    public record Request(String userAgent, String language) {
    }

    /** The addresses the guard checked for the fetch this thread is making: all the client's lookups may answer. */
    private static final ThreadLocal<Checked> CHECKED = new ThreadLocal<>();

    private record Checked(String host, InetAddress[] addresses) {
    }

    private final EmbedAddressGuard guard;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private final Duration timeout;
    private final int maxBytes;
    private final int maxRedirects;

    public PageFetcher(EmbedAddressGuard guard, @Value("${caravan.embed.connect-timeout:3s}") Duration connectTimeout,
            @Value("${caravan.embed.timeout:5s}") Duration timeout, @Value("${caravan.embed.max-bytes:262144}") int maxBytes,
            @Value("${caravan.embed.max-redirects:5}") int maxRedirects) {
        this.guard = guard;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedAddresses())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(timeout)).build())
                        .setMaxConnTotal(64).setMaxConnPerRoute(8).build())
                // never a pooled connection: it was made to the addresses of an earlier check
                .setConnectionReuseStrategy((request, response, context) -> false)
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                // no proxy (a proxy would look the name up itself) and no decompression (bodies are read as sent)
                .disableContentCompression().build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "link-preview-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void close() throws java.io.IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /**
     * The page at {@code url}, or empty when the guard refuses it or any hop of its redirects, or it cannot be read in
     * time. The answer's status may be any but a redirect.
     */
    public Optional<Page> fetch(URI url, Request request) {
        EmbedAddressGuard.Rules rules = guard.rules();
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = url;
        for (int hop = 0; hop <= maxRedirects; hop++) {
            InetAddress[] addresses;
            try {
                addresses = guard.check(current, rules);
            } catch (EmbedAddressGuard.Refused refused) {
                LOG.info("Link preview of {} not fetched: {}", url, refused.getMessage());
                return Optional.empty();
            }
            Answer answer;
            try {
                answer = send(current, addresses, request, deadline);
            } catch (Exception e) {
                if (System.nanoTime() - deadline >= 0) {
                    LOG.info("Link preview of {} not fetched: no answer within {}", url, timeout);
                } else {
                    LOG.info("Link preview of {} not fetched: {}", url, e.toString());
                }
                return Optional.empty();
            }
            if (answer.status() >= 300 && answer.status() < 400 && answer.status() != 304 && answer.location() != null) {
                try {
                    current = current.resolve(answer.location().trim());
                } catch (IllegalArgumentException e) {
                    LOG.info("Link preview of {} not fetched: a redirect to a bad URL", url);
                    return Optional.empty();
                }
                continue;
            }
            String body = LinkMetadata.decode(answer.body(), answer.contentType());
            return Optional.of(new Page(current, answer.status(), answer.contentType(), answer.contentLength(), body));
        }
        LOG.info("Link preview of {} not fetched: more than {} redirects", url, maxRedirects);
        return Optional.empty();
    }

    /** Whether the guard lets {@code url} be fetched now (a cached preview of it is only answered while it does). */
    public boolean allowed(URI url) {
        try {
            guard.check(url, guard.rules());
            return true;
        } catch (EmbedAddressGuard.Refused refused) {
            LOG.debug("Link preview of {} not given: {}", url, refused.getMessage());
            return false;
        }
    }

    /** One hop's answer: its status, the headers a preview reads, and the text read of its body. */
    private record Answer(int status, String location, String contentType, Long contentLength, byte[] body) {
    }

    private Answer send(URI uri, InetAddress[] addresses, Request request, long deadline) throws Exception {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new java.util.concurrent.TimeoutException();
        }
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8");
        get.setHeader("Accept-Language", request.language() == null || request.language().isBlank() ? "en" : request.language());
        if (request.userAgent() != null && !request.userAgent().isBlank()) {
            get.setHeader("User-Agent", request.userAgent());
        }
        // the deadline covers the connection, the headers and the body: past it the exchange is aborted
        ScheduledFuture<?> cutoff = deadlines.schedule(get::cancel, left, TimeUnit.NANOSECONDS);
        CHECKED.set(new Checked(EmbedAddressGuard.host(uri), addresses));
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, get, null);
            int status = response.getCode();
            String contentType = value(response.getFirstHeader("Content-Type"));
            Long length = null;
            try {
                String declared = value(response.getFirstHeader("Content-Length"));
                length = declared == null ? null : Long.valueOf(declared.trim());
            } catch (NumberFormatException e) {
                // no length, as when none is sent
            }
            byte[] body = bodyOf(status, contentType, response.getEntity());
            return new Answer(status, value(response.getFirstHeader("Location")), contentType, length, body);
        } finally {
            CHECKED.remove();
            cutoff.cancel(false);
            // whatever is left of the body is not read: the connection is closed, not drained
            get.cancel();
            if (response != null) {
                try {
                    response.close();
                } catch (java.io.IOException e) {
                    // closed by the cancel already
                }
            }
        }
    }

    /** A text body is read up to the bound; any other (an image, a video, a download) is not read at all. */
    private byte[] bodyOf(int status, String contentType, HttpEntity entity) throws java.io.IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean text = status == 200 && (type.isEmpty() || type.startsWith("text/") || type.contains("html")
                || type.contains("xml") || type.contains("json"));
        if (!text || entity == null || maxBytes <= 0) {
            return new byte[0];
        }
        return entity.getContent().readNBytes(maxBytes);
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }

    /** The client's only lookup: the addresses the guard checked for this thread's fetch, for that name alone. */
    private static final class CheckedAddresses implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            Checked checked = CHECKED.get();
            if (checked == null || !checked.host().equals(EmbedAddressGuard.normalized(host))) {
                throw new UnknownHostException(host + " was not checked by the link preview address guard");
            }
            return checked.addresses().clone();
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
