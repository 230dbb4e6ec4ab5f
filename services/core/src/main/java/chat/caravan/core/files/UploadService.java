package chat.caravan.core.files;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.messages.MessageService;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Uploads as Rocket.Chat handles them: the rules ({@code FileUpload_*} settings, room access), the bytes into the
 * configured store and the record into {@code rocketchat_uploads}, an image's size, thumbnail and preview, and the
 * file message with {@code file}, {@code files} and {@code attachments}, sent as any message is.
 */
@Component
public class UploadService {

    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
    static final long DEFAULT_MAX_FILE_SIZE = 104_857_600L;
    private static final java.util.Set<String> THUMBNAIL_FORMATS = java.util.Set.of("png", "jpeg", "gif", "bmp");

    private final FileStores stores;
    private final UploadRecords records;
    private final MediaTypes mediaTypes;
    private final Settings settings;
    private final Authorization authorization;
    private final RoomStore rooms;
    private final MessageService messages;
    private final CaravanProperties properties;
    private final StoredFiles storedFiles;

    public UploadService(FileStores stores, UploadRecords records, MediaTypes mediaTypes, Settings settings,
            Authorization authorization, RoomStore rooms, MessageService messages, CaravanProperties properties,
            StoredFiles storedFiles) {
        this.storedFiles = storedFiles;
        this.stores = stores;
        this.records = records;
        this.mediaTypes = mediaTypes;
        this.settings = settings;
        this.authorization = authorization;
        this.rooms = rooms;
        this.messages = messages;
        this.properties = properties;
    }

    /** {@code FileUpload_MaxFileSize}; negative: no limit. */
    public long maxFileSize() {
        Object value = settings.value("FileUpload_MaxFileSize");
        return value instanceof Number n ? n.longValue() : DEFAULT_MAX_FILE_SIZE;
    }

    /** Rocket.Chat's validateFileUpload, before a byte is stored. */
    public void validate(Caller caller, Document room, String type, long size, boolean encrypted) {
        if (!settings.bool("FileUpload_Enabled", true)) {
            throw CaravanException.coded("error-file-upload-disabled", "File upload is disabled");
        }
        if ("d".equals(room.getString(RoomFields.TYPE)) && !settings.bool("FileUpload_Enabled_Direct", true)) {
            throw CaravanException.coded("error-direct-message-file-upload-not-allowed",
                    "File sharing not allowed in direct messages");
        }
        long max = maxFileSize();
        if (max > -1 && size > max) {
            throw tooLarge(max);
        }
        if (encrypted && !settings.bool("E2E_Enable_Encrypt_Files", true)) {
            throw CaravanException.coded("error-invalid-file-type", "Encrypted files are not allowed.");
        }
        if (!mediaTypes.accepted(type, encrypted ? MediaTypes.OCTET_STREAM : null)) {
            throw CaravanException.coded("error-invalid-file-type", "File type is not accepted.");
        }
    }

    public static CaravanException tooLarge(long max) {
        return new CaravanException(413, "error-file-too-large",
                "File exceeds allowed size of " + max + " bytes.", null);
    }

    /**
     * Validates and stores {@code file} for room {@code room}; answers its record. {@code temporary}: a
     * {@code rooms.media} upload, removed unless confirmed within 24 hours.
     */
    public Document store(Caller caller, Document room, IncomingFile file, boolean temporary) {
        // an encrypted file's type says nothing of its content
        String type = file.encrypted() ? MediaTypes.OCTET_STREAM : MediaTypes.of(file.declaredType(), file.name());
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.forbidden("unauthorized");
        }
        validate(caller, room, type, file.size(), file.encrypted());
        Document record = newRecord(caller.id(), room.getString("_id"), file.name(), type);
        if (file.content() != null) {
            record.put("content", file.content());
        }
        if (temporary) {
            record.put(UploadRecords.EXPIRES_AT, new Date(System.currentTimeMillis() + 24L * 3600 * 1000));
        }
        if (type.startsWith("image/")) {
            try (InputStream in = Files.newInputStream(file.path())) {
                Images.Identity identity = SvgImages.MEDIA_TYPE.equals(type) ? SvgImages.identify(in) : Images.identify(in);
                if (identity != null) {
                    record.put(UploadRecords.IDENTIFY, new Document("format", identity.format())
                            .append("size", new Document("width", identity.width()).append("height", identity.height())));
                }
            } catch (IOException e) {
                LOG.debug("cannot read the size of upload {}: {}", record.getString("_id"), e.getMessage());
            }
        }
        try (InputStream in = Files.newInputStream(file.path())) {
            write(record, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return record;
    }

    private Document newRecord(String userId, String rid, String name, String type) {
        Date now = new Date();
        String id = Ids.random();
        FileStore store = stores.current();
        String path = path(id, name);
        return new Document(UploadRecords.ID, id)
                .append(UploadRecords.NAME, name)
                .append(UploadRecords.TYPE, type)
                .append(UploadRecords.ROOM_ID, rid)
                .append(UploadRecords.USER_ID, userId)
                .append(UploadRecords.STORE, store.type() + ":" + FileStore.Bucket.UPLOADS.storeName())
                .append("extension", MediaTypes.extension(name))
                .append(UploadRecords.TYPE_GROUP, type.contains("/") ? type.substring(0, type.indexOf('/')) : type)
                .append(UploadRecords.ETAG, Ids.random(6))
                .append("path", path)
                .append("url", siteUrl() + path)
                .append(UploadRecords.UPLOADED_AT, now)
                .append(UploadRecords.UPDATED_AT, now);
    }

    /** Writes the bytes, then the record marked complete; a failed write leaves neither. */
    private void write(Document record, InputStream content) throws IOException {
        FileStore store = stores.of(record.getString(UploadRecords.STORE));
        long size = store.write(FileStore.Bucket.UPLOADS, record.getString("_id"), record.getString(UploadRecords.NAME),
                record.getString(UploadRecords.TYPE), content);
        record.append(UploadRecords.SIZE, size).append(UploadRecords.COMPLETE, true).append("uploading", false)
                .append("progress", 1);
        try {
            records.insert(record);
        } catch (RuntimeException e) {
            store.delete(FileStore.Bucket.UPLOADS, record.getString("_id"));
            throw e;
        }
    }

    /** Removes an upload's bytes and record (and its thumbnails'). */
    public void delete(String fileId) {
        storedFiles.delete(fileId);
    }

    /**
     * Sends the file message for {@code record} in room {@code rid} ({@code msgData}: msg, tmid, alias, emoji, ...),
     * as Rocket.Chat's sendFileMessage: the message carries {@code file}, {@code files} and {@code attachments}.
     */
    public Document sendFileMessage(Caller caller, String rid, Document record, JsonNode msgData) {
        Document fields = fileFields(caller, rid, record);
        return messages.sendFiles(caller, rid, msgData, fields);
    }

    private Document fileFields(Caller caller, String rid, Document record) {
        String id = record.getString("_id");
        String name = record.getString(UploadRecords.NAME);
        String type = record.getString(UploadRecords.TYPE);
        long size = ((Number) record.get(UploadRecords.SIZE, 0L)).longValue();
        String url = path(id, name);
        Document identify = record.get(UploadRecords.IDENTIFY, Document.class);
        List<Document> files = new ArrayList<>();
        files.add(fileEntry(record));
        Document attachment = new Document("title", name).append("type", "file");
        String description = record.getString(UploadRecords.DESCRIPTION);
        if (description != null) {
            attachment.append("description", description);
        }
        attachment.append("title_link", url).append("title_link_download", true);
        if (type.startsWith("image/")) {
            attachment.append("image_url", url).append("image_type", type).append("image_size", size);
            if (identify != null && identify.get("size") != null) {
                attachment.append("image_dimensions", identify.get("size"));
            }
            addThumbnail(caller, rid, record, attachment, files);
        } else if (type.startsWith("audio/")) {
            attachment.append("audio_url", url).append("audio_type", type).append("audio_size", size);
        } else if (type.startsWith("video/")) {
            attachment.append("video_url", url).append("video_type", type).append("video_size", size);
        } else {
            attachment.append("format", MediaTypes.extension(name).toUpperCase(java.util.Locale.ROOT))
                    .append("size", size);
        }
        return new Document("file", files.get(0)).append("files", files).append(MessageFields.ATTACHMENTS, List.of(attachment))
                .append(MessageFields.GROUPABLE, false);
    }

    private static Document fileEntry(Document record) {
        Document identify = record.get(UploadRecords.IDENTIFY, Document.class);
        return new Document("_id", record.getString("_id")).append("name", record.getString(UploadRecords.NAME))
                .append("type", record.getString(UploadRecords.TYPE))
                .append("size", record.get(UploadRecords.SIZE))
                .append("format", identify != null && identify.getString("format") != null ? identify.getString("format") : "");
    }

    /** Rocket.Chat's image_preview and thumbnail; an image that cannot be decoded is sent without them. */
    private void addThumbnail(Caller caller, String rid, Document record, Document attachment, List<Document> files) {
        Document identify = record.get(UploadRecords.IDENTIFY, Document.class);
        Document size = identify == null ? null : identify.get("size", Document.class);
        String format = identify == null ? null : identify.getString("format");
        boolean svg = "svg".equals(format);
        if (size == null || format == null || !(svg || THUMBNAIL_FORMATS.contains(format))
                || (!svg && (long) size.getInteger("width") * size.getInteger("height") > Images.MAX_DECODED_PIXELS)) {
            return;
        }
        int maxWidth = settings.integer("Message_Attachments_Thumbnails_Width", 480);
        int maxHeight = settings.integer("Message_Attachments_Thumbnails_Height", 360);
        FileStore store = stores.of(record.getString(UploadRecords.STORE));
        try (InputStream in = store.read(FileStore.Bucket.UPLOADS, record.getString("_id"), 0)) {
            if (in == null) {
                return;
            }
            // an SVG is drawn straight at the thumbnail's size: a PNG, as Rocket.Chat's thumbnail of an SVG is
            BufferedImage image = svg
                    ? SvgImages.render(in, new Images.Identity(format, size.getInteger("width"), size.getInteger("height")),
                            maxWidth, maxHeight)
                    : Images.decode(in, settings.bool("FileUpload_RotateImages", true));
            if (image == null) {
                return;
            }
            attachment.append("image_preview", Images.preview(image));
            if (!settings.bool("Message_Attachments_Thumbnails_Enabled", true)
                    || (size.getInteger("width") < maxWidth && size.getInteger("height") < maxHeight)) {
                return;
            }
            BufferedImage thumb = Images.scale(image, maxWidth, maxHeight);
            String thumbFormat = svg || "gif".equals(format) || "bmp".equals(format) ? "png" : format;
            byte[] bytes = Images.encode(thumb, thumbFormat);
            String thumbType = "jpeg".equals(thumbFormat) ? "image/jpeg" : "image/png";
            String name = record.getString(UploadRecords.NAME);
            Document thumbRecord = newRecord(caller.id(), rid, "thumb-" + name, thumbType);
            thumbRecord.append(UploadRecords.TYPE_GROUP, "thumb").append(UploadRecords.ORIGINAL_FILE_ID, record.getString("_id"))
                    .append(UploadRecords.IDENTIFY, new Document("format", thumbFormat).append("size",
                            new Document("width", thumb.getWidth()).append("height", thumb.getHeight())));
            write(thumbRecord, new ByteArrayInputStream(bytes));
            attachment.append("image_url", path(thumbRecord.getString("_id"), name)).append("image_type", thumbType)
                    .append("image_dimensions", new Document("width", thumb.getWidth()).append("height", thumb.getHeight()));
            files.add(fileEntry(thumbRecord));
        } catch (IOException | RuntimeException e) {
            LOG.warn("no thumbnail for upload {}: {}", record.getString("_id"), e.toString());
        }
    }

    /** {@code /file-upload/<id>/<name>}, the name encoded as JavaScript's encodeURI does. */
    public static String path(String id, String name) {
        return "/file-upload/" + id + "/" + encodeUri(name == null ? "" : name);
    }

    static String encodeUri(String text) {
        try {
            return new URI(null, null, text, null).getRawPath();
        } catch (URISyntaxException e) {
            return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    private String siteUrl() {
        String url = settings.string("Site_Url", properties.getRootUrl());
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The room, or Rocket.Chat's answer for an unknown one. */
    public Document room(String rid) {
        Document room = rid == null ? null : rooms.room(rid);
        if (room == null) {
            throw CaravanException.forbidden("unauthorized");
        }
        return room;
    }

    static Map<String, Object> mediaReply(Document record) {
        return Map.of("file", Map.of("_id", record.getString("_id"), "url", record.getString("path")));
    }
}
