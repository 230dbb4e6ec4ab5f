package chat.caravan.core.embed;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fetches a page for a link preview over HTTP/1.1: every URL, the first and each redirect's target (followed by hand,
 * a few at most), passes {@link EmbedAddressGuard} first; the whole exchange has a deadline; of a text body (HTML,
 * JSON) at most a bounded number of bytes is read, of any other type (an image, a video) none.
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

    private final EmbedAddressGuard guard;
    private final HttpClient client;
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
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
            try {
                guard.check(current, rules);
            } catch (EmbedAddressGuard.Refused refused) {
                LOG.info("Link preview of {} not fetched: {}", url, refused.getMessage());
                return Optional.empty();
            }
            HttpResponse<byte[]> response;
            try {
                response = send(current, request, deadline);
            } catch (TimeoutException e) {
                LOG.info("Link preview of {} not fetched: no answer within {}", url, timeout);
                return Optional.empty();
            } catch (Exception e) {
                LOG.info("Link preview of {} not fetched: {}", url, e.toString());
                return Optional.empty();
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && status != 304 && location.isPresent()) {
                try {
                    current = current.resolve(location.get().trim());
                } catch (IllegalArgumentException e) {
                    LOG.info("Link preview of {} not fetched: a redirect to a bad URL", url);
                    return Optional.empty();
                }
                continue;
            }
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            Long length = response.headers().firstValueAsLong("Content-Length").stream().boxed().findFirst().orElse(null);
            String body = LinkMetadata.decode(response.body(), contentType);
            return Optional.of(new Page(current, status, contentType, length, body));
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

    private HttpResponse<byte[]> send(URI uri, Request request, long deadline) throws Exception {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException();
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(left))
                .header("Accept", "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8")
                .header("Accept-Language", request.language() == null || request.language().isBlank() ? "en" : request.language());
        if (request.userAgent() != null && !request.userAgent().isBlank()) {
            builder.header("User-Agent", request.userAgent());
        }
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(builder.build(), this::bodyOf);
        try {
            return answer.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A text body is read up to the bound; any other (an image, a video, a download) is not read at all. */
    private HttpResponse.BodySubscriber<byte[]> bodyOf(HttpResponse.ResponseInfo info) {
        String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        boolean text = info.statusCode() == 200 && (type.isEmpty() || type.startsWith("text/") || type.contains("html")
                || type.contains("xml") || type.contains("json"));
        return new BoundedBody(text ? maxBytes : 0);
    }

    /** Collects at most {@code limit} bytes of a body, then stops the transfer (the connection is closed, not drained). */
    static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit <= 0) {
                subscription.cancel();
                result.complete(new byte[0]);
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                result.complete(bytes.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
