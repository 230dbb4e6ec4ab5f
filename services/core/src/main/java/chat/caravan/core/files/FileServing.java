package chat.caravan.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.caravan.common.rest.RestRequest;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GET /file-upload/:fileId/:name} (and the older {@code /ufs/GridFS:Uploads/...}): the stored bytes streamed
 * from the store, with access control, a single byte range, ETag / Last-Modified revalidation and the headers
 * Rocket.Chat sends.
 */
@Component("fileServing")
public class FileServing {

    private static final Logger LOG = LoggerFactory.getLogger(FileServing.class);
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private final UploadRecords records;
    private final FileStores stores;
    private final FileAccess access;

    public FileServing(UploadRecords records, FileStores stores, FileAccess access) {
        this.records = records;
        this.stores = stores;
        this.access = access;
    }

    public void serve(Exchange exchange) throws IOException {
        Document record = records.find(RestRequest.query(exchange, "fileId"));
        String store = RestRequest.query(exchange, "store");
        if (store != null && !store.endsWith(":" + FileStore.Bucket.UPLOADS.storeName())) {
            record = null;
        }
        if (record == null || !Boolean.TRUE.equals(record.getBoolean(UploadRecords.COMPLETE))) {
            status(exchange, 404);
            return;
        }
        if (!access.canRead(exchange, record)) {
            status(exchange, 403);
            return;
        }
        String etag = "\"" + record.getString(UploadRecords.ETAG) + "\"";
        Date uploadedAt = record.getDate(UploadRecords.UPLOADED_AT);
        Instant modified = uploadedAt == null ? Instant.EPOCH : uploadedAt.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String ifNoneMatch = RestRequest.query(exchange, "If-None-Match");
        String ifModifiedSince = RestRequest.query(exchange, "If-Modified-Since");
        String range = RestRequest.query(exchange, "Range");
        boolean download = RestRequest.query(exchange, "download") != null;
        long size = ((Number) record.get(UploadRecords.SIZE, 0L)).longValue();
        String type = record.getString(UploadRecords.TYPE);
        String name = record.getString(UploadRecords.NAME);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader("ETag", etag);
        exchange.getMessage().setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC)));
        cacheControl(exchange, "max-age=31536000");
        exchange.getMessage().setHeader("Content-Security-Policy", "default-src 'none'");
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        if (notModified(ifNoneMatch, ifModifiedSince, etag, modified)) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            exchange.getMessage().setBody("");
            return;
        }
        exchange.getMessage().setHeader("Accept-Ranges", "bytes");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type == null ? MediaTypes.OCTET_STREAM : type);
        exchange.getMessage().setHeader("Content-Disposition",
                (download ? "attachment" : "inline") + "; filename=\"" + UploadService.encodeUri(name) + "\"");
        long start = 0;
        long end = size - 1;
        int status = 200;
        if (range != null) {
            Matcher matcher = RANGE.matcher(range.trim());
            long[] bounds = matcher.matches() ? bounds(matcher, size) : null;
            if (bounds == null) {
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 416);
                exchange.getMessage().setHeader("Content-Range", "bytes */" + size);
                exchange.getMessage().setBody("");
                return;
            }
            start = bounds[0];
            end = bounds[1];
            status = 206;
            exchange.getMessage().setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        InputStream in = stores.of(record.getString(UploadRecords.STORE)).read(FileStore.Bucket.UPLOADS,
                record.getString("_id"), start);
        if (in == null) {
            LOG.warn("upload {} has a record but no stored bytes", record.getString("_id"));
            exchange.getMessage().removeHeaders("*");
            status(exchange, 404);
            return;
        }
        long length = Math.max(0, end - start + 1);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_LENGTH, length);
        exchange.getMessage().setBody(new RangedStream(in, length));
    }

    /** One range: {@code a-b}, {@code a-} or the last {@code -n} bytes; null when it cannot be satisfied. */
    static long[] bounds(Matcher matcher, long size) {
        String first = matcher.group(1);
        String last = matcher.group(2);
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                return suffix == 0 || size == 0 ? null : new long[] {Math.max(0, size - suffix), size - 1};
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            return start >= size || end < start ? null : new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, Instant modified) {
        if (ifNoneMatch != null) {
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.trim();
                if (tag.startsWith("W/")) {
                    tag = tag.substring(2);
                }
                if (tag.equals(etag) || tag.equals("*")) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null) {
            try {
                Instant since = DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince.trim(), Instant::from);
                return !modified.isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /** platform-http drops a Cache-Control header of the reply message, so it goes onto the HTTP response itself. */
    static void cacheControl(Exchange exchange, String value) {
        if (exchange.getIn() instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http) {
            http.getResponse().putHeader("Cache-Control", value);
        }
    }

    private static void status(Exchange exchange, int status) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
        exchange.getMessage().setBody("");
    }
}
