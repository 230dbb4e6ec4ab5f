package chat.caravan.core.embed;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.pipeline.MessagePipeline;
import chat.caravan.core.pipeline.PipelineHeaders;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's link previews (its OEmbed module): after a message with links is saved, each link is fetched and
 * described in the message's {@code urls[i]} ({@code meta}: og:, twitter:, title, description, oEmbed fields;
 * {@code headers}: the content type and length; {@code parsedUrl}), and the message is updated in place, so clients
 * get the change on the message stream. Results are kept in {@code rocketchat_oembed_cache} for
 * {@code API_EmbedCacheExpirationDays}. Fetching goes through {@link PageFetcher}, hence {@link EmbedAddressGuard}.
 */
@Component("urlPreviews")
public class UrlPreviews {

    private static final Logger LOG = LoggerFactory.getLogger(UrlPreviews.class);
    private static final Pattern LINK = Pattern.compile("(?i)(https?)://([^/?#]*)(.*)", Pattern.DOTALL);

    /** As Rocket.Chat: a message with more outside links than this is not previewed at all. */
    static final int MAX_EXTERNAL_URL_PREVIEWS = 5;
    static final String DEFAULT_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/41.0.2227.0 Safari/537.36";

    private final Settings settings;
    private final PageFetcher fetcher;
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> cache;

    public UrlPreviews(Settings settings, PageFetcher fetcher, MongoDatabase database) {
        this.settings = settings;
        this.fetcher = fetcher;
        this.messages = database.getCollection(Collections.MESSAGES);
        this.cache = database.getCollection(Collections.OEMBED_CACHE);
        this.cache.createIndex(Indexes.ascending("updatedAt"));
    }

    /** A link's preview: what Rocket.Chat puts in {@code urls[i]} beside the url. */
    public record Preview(String url, Document meta, Document headers, Document parsedUrl) {

        /** The preview as chat.getURLPreview answers it. */
        public Document asUrlPreview() {
            Document preview = new Document("url", url).append("meta", meta);
            if (headers != null) {
                preview.append("headers", headers);
            }
            preview.append("parsedUrl", parsedUrl);
            return preview;
        }
    }

    /**
     * Pipeline step (message.afterSave, on the sender's thread, so cheap): whether the saved message has links to
     * preview. Rocket.Chat's rules: {@code API_Embed} on, a user's new or edited message without attachments, at most
     * five outside links, at least one link the sender did not exclude ({@code ignoreParse}).
     */
    public boolean wanted(Exchange exchange) {
        String event = exchange.getIn().getHeader(PipelineHeaders.EVENT, String.class);
        if (!PipelineHeaders.SEND.equals(event) && !PipelineHeaders.UPDATE.equals(event)) {
            return false;
        }
        Document message = MessagePipeline.asDocument(exchange.getIn().getBody());
        if (message == null || message.getString(MessageFields.ID) == null
                || !(message.get(MessageFields.URLS) instanceof List<?> links) || links.isEmpty()) {
            return false;
        }
        if (message.get(MessageFields.ATTACHMENTS) instanceof List<?> attachments && !attachments.isEmpty()) {
            return false;
        }
        List<Document> urls = urls(message);
        if (urls.isEmpty() || !settings.bool("API_Embed", true)) {
            return false;
        }
        String siteUrl = settings.string("Site_Url", "");
        long external = urls.stream().filter(u -> siteUrl.isEmpty() || !u.getString("url").contains(siteUrl)).count();
        return external <= MAX_EXTERNAL_URL_PREVIEWS && urls.stream().anyMatch(u -> !Boolean.TRUE.equals(u.get("ignoreParse")));
    }

    /**
     * Route step (message-url-preview, on its own thread): previews the message's links and stores what was found in
     * its {@code urls}, with a new {@code _updatedAt} (a preview is not an edit: no {@code editedAt}). Only entries
     * still holding the same link are written, so an edit made meanwhile is not overwritten.
     */
    public void previewMessage(Exchange exchange) {
        Document message = MessagePipeline.asDocument(exchange.getIn().getBody());
        if (message == null) {
            return;
        }
        String id = message.getString(MessageFields.ID);
        List<Document> urls = urls(message);
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(MessageFields.ID, id)));
        List<Bson> sets = new ArrayList<>();
        int described = 0;
        for (int i = 0; i < urls.size(); i++) {
            Document entry = urls.get(i);
            if (Boolean.TRUE.equals(entry.get("ignoreParse"))) {
                continue;
            }
            String url = entry.getString("url");
            Optional<Preview> preview = preview(url);
            if (preview.isEmpty()) {
                continue;
            }
            String at = MessageFields.URLS + "." + i;
            filter.add(Filters.eq(at + ".url", url));
            sets.add(Updates.set(at + ".meta", preview.get().meta()));
            if (preview.get().headers() != null) {
                sets.add(Updates.set(at + ".headers", preview.get().headers()));
            }
            sets.add(Updates.set(at + ".parsedUrl", preview.get().parsedUrl()));
            described++;
        }
        if (sets.isEmpty()) {
            return;
        }
        sets.add(Updates.set(MessageFields.UPDATED_AT, new Date()));
        long changed = messages.updateOne(Filters.and(filter), Updates.combine(sets)).getModifiedCount();
        LOG.debug("Link previews of message {}: {} link(s) described, message {}", id, described,
                changed == 1 ? "updated" : "changed meanwhile, left alone");
    }

    /**
     * The preview of {@code url}, from the cache or fetched now; empty when the link cannot be fetched (refused by
     * the address guard, unreachable, not answering 200).
     */
    public Optional<Preview> preview(String url) {
        if (url == null || !url.matches("(?i)^https?://.*")) {
            return Optional.empty();
        }
        URI uri = uri(url);
        // the settings of now decide, for a cached link too: an administrator who refuses a host refuses its previews
        if (uri == null || !fetcher.allowed(uri)) {
            return Optional.empty();
        }
        Document data = cached(url);
        if (data == null) {
            data = describe(url, uri);
            if (data == null) {
                return Optional.empty();
            }
            store(url, data);
        }
        Document meta = new Document(LinkMetadata.relevant(data.get("meta") instanceof Map<?, ?> m ? stringKeys(m) : Map.of()));
        Document headers = null;
        if (data.get("headers") instanceof Map<?, ?> stored) {
            Document kept = new Document();
            for (String name : List.of("contentLength", "contentType")) {
                if (stored.get(name) != null) {
                    kept.append(name, String.valueOf(stored.get(name)));
                }
            }
            headers = kept.isEmpty() ? null : kept;
        }
        return Optional.of(new Preview(url, meta, headers, parsedUrl(url)));
    }

    /** Fetches and reads {@code url}: its metadata and headers as Rocket.Chat caches them, or null. */
    private Document describe(String url, URI uri) {
        URI endpoint = OEmbedProviders.endpointFor(url);
        PageFetcher.Request request = new PageFetcher.Request(settings.string("API_Embed_UserAgent", DEFAULT_USER_AGENT),
                settings.string("Language", "en"));
        Optional<PageFetcher.Page> fetched = fetcher.fetch(endpoint != null ? endpoint : uri, request);
        if (fetched.isEmpty() || fetched.get().status() != 200) {
            return null;
        }
        PageFetcher.Page page = fetched.get();
        Document meta = new Document();
        if (endpoint != null) {
            meta.put("oembedUrl", url);
            meta.putAll(OEmbedProviders.metas(page.body(), true));
        } else if (!isJson(page.contentType())) {
            meta.putAll(LinkMetadata.parse(page.body()));
            URI discovered = LinkMetadata.oEmbedLink(page.body(), page.url());
            if (discovered != null) {
                fetcher.fetch(discovered, request).filter(answer -> answer.status() == 200)
                        .ifPresent(answer -> OEmbedProviders.metas(answer.body(), false).forEach(meta::putIfAbsent));
            }
        }
        Document headers = new Document();
        if (page.contentType() != null) {
            headers.append("contentType", page.contentType());
        }
        if (page.contentLength() != null) {
            headers.append("contentLength", String.valueOf(page.contentLength()));
        }
        return new Document("url", url).append("meta", meta).append("headers", headers);
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    }

    /** The cached data of {@code url}, unless older than {@code API_EmbedCacheExpirationDays}. */
    private Document cached(String url) {
        try {
            Document entry = cache.find(Filters.and(Filters.eq("_id", url), Filters.gt("updatedAt", expiry()))).first();
            return entry != null && entry.get("data") instanceof Document data ? data : null;
        } catch (MongoException e) {
            LOG.warn("Link preview cache not read for {}: {}", url, e.toString());
            return null;
        }
    }

    private void store(String url, Document data) {
        try {
            cache.replaceOne(Filters.eq("_id", url), new Document("_id", url).append("data", data).append("updatedAt", new Date()),
                    new ReplaceOptions().upsert(true));
        } catch (MongoException e) {
            // two fetches of one link at once: the other one's copy is as good
            LOG.debug("Link preview cache not written for {}: {}", url, e.toString());
        }
    }

    private Date expiry() {
        int days = settings.integer("API_EmbedCacheExpirationDays", 30);
        return new Date(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(Math.max(days, 0)));
    }

    /** Timer step: drops cache entries older than {@code API_EmbedCacheExpirationDays}, as Rocket.Chat's daily job. */
    public void removeExpired() {
        long removed = cache.deleteMany(Filters.lte("updatedAt", expiry())).getDeletedCount();
        if (removed > 0) {
            LOG.info("Link preview cache: {} expired entries removed", removed);
        }
    }

    /** The links of a message, as stored ({@code urls}: url, meta, ignoreParse). */
    private static List<Document> urls(Document message) {
        List<Document> urls = new ArrayList<>();
        if (message.get(MessageFields.URLS) instanceof List<?> list) {
            for (Object item : list) {
                Document entry = MessagePipeline.asDocument(item);
                if (entry == null || !(entry.get("url") instanceof String)) {
                    return List.of();
                }
                urls.add(entry);
            }
        }
        return urls;
    }

    /** The link's parts as Node's url.parse names them (Rocket.Chat's {@code parsedUrl}); absent parts left out. */
    static Document parsedUrl(String url) {
        Document parsed = new Document();
        URI uri = uri(url);
        if (uri == null) {
            return parsed;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        parsed.append("host", uri.getPort() >= 0 ? host + ":" + uri.getPort() : host);
        if (uri.getRawFragment() != null) {
            parsed.append("hash", "#" + uri.getRawFragment());
        }
        parsed.append("pathname", uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        parsed.append("protocol", uri.getScheme().toLowerCase(Locale.ROOT) + ":");
        if (uri.getPort() >= 0) {
            parsed.append("port", String.valueOf(uri.getPort()));
        }
        if (uri.getRawQuery() != null) {
            parsed.append("query", uri.getRawQuery()).append("search", "?" + uri.getRawQuery());
        }
        parsed.append("hostname", host);
        return parsed;
    }

    /**
     * A link as a URI: an international host name in its ASCII form, characters a URI may not hold elsewhere (spaces,
     * non-ASCII) percent-encoded as UTF-8; null when it still is not an absolute http(s) URI with a host.
     */
    static URI uri(String url) {
        Matcher parts = LINK.matcher(url.trim());
        if (!parts.matches()) {
            return null;
        }
        String authority = parts.group(2);
        int at = authority.lastIndexOf('@');
        String hostPort = authority.substring(at + 1);
        if (!hostPort.startsWith("[")) {
            int colon = hostPort.lastIndexOf(':');
            try {
                String host = IDN.toASCII(colon >= 0 ? hostPort.substring(0, colon) : hostPort, IDN.ALLOW_UNASSIGNED);
                hostPort = host + (colon >= 0 ? hostPort.substring(colon) : "");
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String text = parts.group(1) + "://" + escape(authority.substring(0, at + 1)) + hostPort + escape(parts.group(3));
        try {
            URI uri = new URI(text);
            return uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0) {
                escaped.append((char) c);
            } else {
                escaped.append('%').append(String.format("%02X", c));
            }
        }
        return escaped.toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }
}
