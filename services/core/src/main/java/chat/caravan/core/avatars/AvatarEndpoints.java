package chat.caravan.core.avatars;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.files.FileAccess;
import chat.caravan.core.files.Images;
import chat.caravan.core.files.MediaTypes;
import chat.caravan.core.rooms.RoomStore;
import chat.caravan.core.users.UserLookup;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Collation;
import com.mongodb.client.model.CollationStrength;
import com.mongodb.client.model.Filters;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** {@code users.setAvatar}, {@code users.resetAvatar}, and the avatar images: {@code /avatar/:username}, {@code /avatar/room/:rid}. */
@Component("avatarEndpoints")
public class AvatarEndpoints {

    static final String FALLBACK_LAST_MODIFIED = "Thu, 01 Jan 2015 00:00:00 GMT";

    private final AvatarService avatars;
    private final AvatarUrlFetcher fetcher;
    private final UserLookup users;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;
    private final FileAccess access;
    private final RoomStore rooms;

    public AvatarEndpoints(AvatarService avatars, AvatarUrlFetcher fetcher, UserLookup users, Authorization authorization,
            Settings settings, RestAuth auth, MongoDatabase database, FileAccess access, RoomStore rooms) {
        this.avatars = avatars;
        this.fetcher = fetcher;
        this.users = users;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
        this.access = access;
        this.rooms = rooms;
    }

    public void setAvatar(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        boolean canEditOthers = authorization.hasPermission(caller.id(), "edit-other-user-avatar");
        if (!settings.bool("Accounts_AllowUserAvatarChange", true) && !canEditOthers) {
            throw CaravanException.coded("error-not-allowed", "Change avatar is not allowed", Map.of("method", "users.setAvatar"));
        }
        AttachmentMessage form = exchange.getMessage(AttachmentMessage.class);
        boolean multipart = form.hasAttachments();
        JsonNode body = multipart ? null : RestRequest.body(exchange);
        String userId = multipart ? RestRequest.query(exchange, "userId") : text(body, "userId");
        String username = multipart ? RestRequest.query(exchange, "username") : text(body, "username");
        Document target;
        if (userId == null && username == null) {
            target = caller.user();
        } else {
            target = userId != null ? users.byId(userId) : byUsername(username);
            if (target == null) {
                throw CaravanException.coded("error-invalid-user",
                        "The optional \"userId\" or \"username\" param provided does not match any users");
            }
            if (!caller.id().equals(target.getString("_id")) && !canEditOthers) {
                throw CaravanException.coded("error-not-allowed", "Not allowed");
            }
        }
        if (!multipart) {
            String avatarUrl = text(body, "avatarUrl");
            if (avatarUrl == null) {
                throw CaravanException.plain("The 'image' param is required");
            }
            AvatarUrlFetcher.Fetched fetched = fetcher.fetch(avatarUrl);
            try {
                avatars.setUserAvatar(target, fetched.file(), fetched.type(), "url");
            } finally {
                AvatarUrlFetcher.deleteQuietly(fetched.file());
            }
            RestReplies.ok(exchange, Map.of());
            return;
        }
        DataHandler image = form.getAttachment("image");
        if (image == null || !(image.getDataSource() instanceof FileDataSource source)) {
            throw CaravanException.coded("invalid-field", null);
        }
        File file = source.getFile();
        Object max = settings.value("FileUpload_MaxFileSize");
        long limit = max instanceof Number n ? n.longValue() : 104_857_600L;
        if (limit > -1 && file.length() > limit) {
            throw new CaravanException(413, "error-file-too-large", null, null);
        }
        String type = MediaTypes.of(form.getHeader("CamelFileContentType", String.class), image.getName());
        avatars.setUserAvatar(target, file.toPath(), type, "rest");
        RestReplies.ok(exchange, Map.of());
    }

    public void resetAvatar(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        JsonNode body = RestRequest.body(exchange);
        Document target = text(body, "userId") == null && text(body, "username") == null
                ? caller.user() : users.fromParams(text(body, "userId"), text(body, "username"), null);
        boolean own = caller.id().equals(target.getString(UserFields.ID)) && settings.bool("Accounts_AllowUserAvatarChange", true);
        if (!own && !authorization.hasPermission(caller.id(), "edit-other-user-avatar")
                && !authorization.hasPermission(caller.id(), "manage-moderation-actions")) {
            throw CaravanException.coded("error-not-allowed", "Reset avatar is not allowed", Map.of("method", "users.resetAvatar"));
        }
        avatars.resetUserAvatar(target);
        RestReplies.ok(exchange, Map.of());
    }

    /**
     * DDP {@code setAvatarFromService(dataURI, contentType, service, targetUserId?)}: {@code initials} resets,
     * {@code url} fetches {@code dataURI} as an avatarUrl, any other service sends the image as a data URI.
     */
    public Object setAvatarFromService(Caller caller, JsonNode params) {
        boolean canEditOthers = authorization.hasPermission(caller.id(), "edit-other-user-avatar");
        if (!settings.bool("Accounts_AllowUserAvatarChange", true) && !canEditOthers) {
            throw CaravanException.coded("error-not-allowed", "Change avatar is not allowed", Map.of("method", "setAvatarFromService"));
        }
        String data = params.path(0).asText("");
        String contentType = params.path(1).asText("");
        String service = params.path(2).asText("");
        String targetId = params.path(3).isTextual() ? params.get(3).asText() : caller.id();
        Document target = caller.id().equals(targetId) ? caller.user() : users.byId(targetId);
        if (!caller.id().equals(targetId) && !canEditOthers) {
            throw CaravanException.coded("error-unauthorized", "Unauthorized", Map.of("method", "setAvatarFromService"));
        }
        if (target == null) {
            throw CaravanException.coded("error-invalid-desired-user", "Invalid desired user", Map.of("method", "setAvatarFromService"));
        }
        if ("initials".equals(service)) {
            avatars.resetUserAvatar(target);
            return null;
        }
        if ("url".equals(service)) {
            AvatarUrlFetcher.Fetched fetched = fetcher.fetch(data);
            try {
                avatars.setUserAvatar(target, fetched.file(), fetched.type(), "url");
            } finally {
                AvatarUrlFetcher.deleteQuietly(fetched.file());
            }
            return null;
        }
        java.util.regex.Matcher uri = java.util.regex.Pattern.compile("^data:([\\w/.+-]+)?(;[^,]*)?;base64,(.*)$",
                java.util.regex.Pattern.DOTALL).matcher(data);
        byte[] bytes;
        try {
            bytes = uri.matches() ? java.util.Base64.getMimeDecoder().decode(uri.group(3)) : null;
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length == 0) {
            throw CaravanException.coded("error-invalid-image", "Invalid image", Map.of("method", "setAvatarFromService"));
        }
        String type = uri.group(1) != null ? uri.group(1) : contentType;
        java.nio.file.Path file = null;
        try {
            file = java.nio.file.Files.createTempFile("caravan-avatar", ".img");
            java.nio.file.Files.write(file, bytes);
            avatars.setUserAvatar(target, file, type, service.isEmpty() ? "upload" : service);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            AvatarUrlFetcher.deleteQuietly(file);
        }
        return null;
    }

    /** DDP {@code resetAvatar(userId?)}. */
    public Object resetAvatar(Caller caller, JsonNode params) {
        String targetId = params.path(0).isTextual() ? params.get(0).asText() : caller.id();
        boolean own = caller.id().equals(targetId) && settings.bool("Accounts_AllowUserAvatarChange", true);
        if (!own && !authorization.hasPermission(caller.id(), "edit-other-user-avatar")
                && !authorization.hasPermission(caller.id(), "manage-moderation-actions")) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "resetAvatar"));
        }
        Document target = users.byId(targetId);
        if (target == null) {
            throw CaravanException.coded("error-invalid-desired-user", "Invalid desired user", Map.of("method", "resetAvatar"));
        }
        avatars.resetUserAvatar(target);
        return null;
    }

    /** {@code users.getAvatar}: a 307 to the user's avatar URL. */
    public void getAvatar(Exchange exchange) {
        Caller.of(exchange, auth, database);
        Document user = users.fromParams(RestRequest.query(exchange, "userId"), RestRequest.query(exchange, "username"),
                RestRequest.query(exchange, "user"));
        String siteUrl = settings.string("Site_Url", "");
        String url = (siteUrl.endsWith("/") ? siteUrl.substring(0, siteUrl.length() - 1) : siteUrl) + "/avatar/"
                + user.getString(UserFields.USERNAME);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 307);
        exchange.getMessage().setHeader("Location", url);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
        exchange.getMessage().setBody(url);
    }

    /** {@code users.getAvatarSuggestion}: the pictures of the caller's linked accounts, by service. */
    public void getAvatarSuggestion(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        RestReplies.ok(exchange, Map.of("suggestions", suggestions(caller)));
    }

    /** The caller's suggested avatars by service (the DDP {@code getAvatarSuggestion} answers these as they are). */
    public Map<String, Object> suggestions(Caller caller) {
        Map<String, Object> suggestions = new java.util.LinkedHashMap<>();
        Document services = caller.user().get("services", Document.class);
        if (services != null) {
            suggest(suggestions, "google", services, "picture");
            suggest(suggestions, "gitlab", services, "avatar_url");
            if (services.get("facebook") instanceof Document facebook && facebook.getString("id") != null) {
                suggestions.put("facebook", Map.of("service", "facebook",
                        "url", "https://graph.facebook.com/" + facebook.getString("id") + "/picture?type=large"));
            }
            if (services.get("github") instanceof Document github && github.getString("username") != null) {
                suggestions.put("github", Map.of("service", "github",
                        "url", "https://avatars.githubusercontent.com/" + github.getString("username") + "?s=200"));
            }
        }
        return suggestions;
    }

    private static void suggest(Map<String, Object> suggestions, String service, Document services, String field) {
        if (services.get(service) instanceof Document linked && linked.getString(field) != null) {
            suggestions.put(service, Map.of("service", service, "url", linked.getString(field)));
        }
    }

    /** {@code /avatar/:username}: the uploaded image, else the initials ({@code @name} always the initials). */
    public void user(Exchange exchange) throws IOException {
        if (!mayView(exchange)) {
            return;
        }
        String requested = RestRequest.query(exchange, "username");
        if (requested == null || requested.isBlank()) {
            status(exchange, 404);
            return;
        }
        int size = size(exchange);
        if (requested.startsWith("@")) {
            initials(exchange, requested.substring(1), size);
            return;
        }
        String username = requested.replaceFirst("\\.(png|jpe?g|svg|gif)$", "");
        Document record = avatars.ofUser(username);
        if (record != null && uploaded(exchange, record)) {
            return;
        }
        String name = username;
        if (settings.bool("UI_Use_Name_Avatar", false)) {
            Document user = byUsername(username);
            if (user != null && user.getString("name") != null) {
                name = user.getString("name");
            }
        }
        initials(exchange, name, size);
    }

    /** {@code /avatar/room/:rid}: the room's image, else the initials of its name. */
    public void room(Exchange exchange) throws IOException {
        if (!mayView(exchange)) {
            return;
        }
        String rid = RestRequest.query(exchange, "rid");
        Document record = rid == null ? null : avatars.ofRoom(rid);
        if (record != null && uploaded(exchange, record)) {
            return;
        }
        Document room = rid == null ? null : rooms.room(rid);
        String name = room == null ? "?" : room.getString("fname") != null ? room.getString("fname")
                : room.getString("name") != null ? room.getString("name") : "?";
        initials(exchange, name, size(exchange));
    }

    private boolean mayView(Exchange exchange) {
        if (settings.bool("Accounts_AvatarBlockUnauthenticatedAccess", true) && access.user(exchange) == null) {
            status(exchange, 403);
            return false;
        }
        return true;
    }

    private boolean uploaded(Exchange exchange, Document record) throws IOException {
        InputStream in = avatars.bytes(record);
        if (in == null) {
            return false;
        }
        Date uploadedAt = record.getDate("uploadedAt");
        String modified = DateTimeFormatter.RFC_1123_DATE_TIME.format((uploadedAt == null ? new Date(0) : uploadedAt)
                .toInstant().atOffset(ZoneOffset.UTC));
        String since = RestRequest.query(exchange, "If-Modified-Since");
        String etag = record.getString("etag");
        String ifNoneMatch = RestRequest.query(exchange, "If-None-Match");
        headers(exchange);
        exchange.getMessage().setHeader("Content-Security-Policy", "default-src 'none'");
        exchange.getMessage().setHeader("Last-Modified", modified);
        if (etag != null) {
            exchange.getMessage().setHeader("ETag", "\"" + etag + "\"");
        }
        if (modified.equals(since) || (etag != null && ("\"" + etag + "\"").equals(ifNoneMatch))) {
            in.close();
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            exchange.getMessage().setBody("");
            return true;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, record.getString("type"));
        exchange.getMessage().setBody(in);
        return true;
    }

    private void initials(Exchange exchange, String name, int size) throws IOException {
        String format = RestRequest.query(exchange, "format");
        boolean unchanged = FALLBACK_LAST_MODIFIED.equals(RestRequest.query(exchange, "If-Modified-Since"));
        headers(exchange);
        exchange.getMessage().setHeader("Last-Modified", FALLBACK_LAST_MODIFIED);
        if (unchanged) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            exchange.getMessage().setBody("");
            return;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        if ("png".equals(format) || "jpg".equals(format) || "jpeg".equals(format)) {
            String imageFormat = "png".equals(format) ? "png" : "jpeg";
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "image/" + format);
            exchange.getMessage().setBody(Images.encode(InitialsAvatar.image(name, size), imageFormat));
            return;
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "image/svg+xml");
        exchange.getMessage().setBody(InitialsAvatar.svg(name, size).getBytes(StandardCharsets.UTF_8));
    }

    private void headers(Exchange exchange) {
        String cacheTime = RestRequest.query(exchange, "cacheTime");
        String seconds = cacheTime != null && cacheTime.matches("\\d{1,9}") ? cacheTime
                : String.valueOf(settings.integer("Accounts_AvatarCacheTime", 3600));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader("Content-Disposition", "inline");
        if (exchange.getIn() instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http) {
            http.getResponse().putHeader("Cache-Control", "public, max-age=" + seconds);
        }
    }

    /** {@code ?size=} bounded to 16..1024, Rocket.Chat's 200 otherwise. */
    private static int size(Exchange exchange) {
        String size = RestRequest.query(exchange, "size");
        try {
            return size == null ? 200 : Math.min(Math.max(Integer.parseInt(size.trim()), 16), 1024);
        } catch (NumberFormatException e) {
            return 200;
        }
    }

    private Document byUsername(String username) {
        return users.collection().find(Filters.eq(UserFields.USERNAME, username))
                .collation(Collation.builder().locale("en").collationStrength(CollationStrength.SECONDARY).build()).first();
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static void status(Exchange exchange, int status) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody("");
    }
}
