package chat.caravan.core.avatars;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.files.FileStore;
import chat.caravan.core.files.FileStores;
import chat.caravan.core.files.Images;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Users' avatars as Rocket.Chat keeps them: the image in the Avatars store (GridFS {@code rocketchat_avatars.*} by
 * default), a record in {@code rocketchat_avatars} named by the username, the user's {@code avatarOrigin} and
 * {@code avatarETag}, and {@code updateAvatar} on {@code stream-notify-logged} so open clients reload it.
 */
@Component
public class AvatarService {

    private static final Logger LOG = LoggerFactory.getLogger(AvatarService.class);
    public static final String COLLECTION = FileStore.Bucket.AVATARS.collection();

    private final MongoDatabase database;
    private final FileStores stores;
    private final BusClient bus;
    private final chat.caravan.common.settings.Settings settings;

    public AvatarService(MongoDatabase database, FileStores stores, BusClient bus, chat.caravan.common.settings.Settings settings) {
        this.settings = settings;
        this.database = database;
        this.stores = stores;
        this.bus = bus;
    }

    public MongoCollection<Document> records() {
        return database.getCollection(COLLECTION);
    }

    /** The avatar record of a user (by username), or null. */
    public Document ofUser(String username) {
        return username == null ? null : records().find(Filters.and(Filters.eq("name", username), Filters.exists("rid", false))).first();
    }

    public Document ofRoom(String rid) {
        return records().find(Filters.eq("rid", rid)).first();
    }

    /** The stored bytes of an avatar record: in the store it names, or inline ({@code data}) for older records. */
    public InputStream bytes(Document record) throws IOException {
        if (record.get("data") instanceof org.bson.types.Binary binary) {
            return new java.io.ByteArrayInputStream(binary.getData());
        }
        return stores.of(record.getString("store")).read(FileStore.Bucket.AVATARS, record.getString("_id"), 0);
    }

    /** Stores {@code file} (an image of {@code type}) as {@code user}'s avatar; {@code origin}: rest, upload or url. */
    public void setUserAvatar(Document user, Path file, String type, String origin) {
        if (type == null || !type.startsWith("image/")) {
            throw CaravanException.coded("error-invalid-file-type", "File type is not accepted.");
        }
        String username = user.getString(UserFields.USERNAME);
        FileStore store = stores.current();
        String id = Ids.random();
        String etag = Ids.random();
        long size;
        try {
            byte[] resized = resized(file, type);
            try (InputStream in = resized != null ? new java.io.ByteArrayInputStream(resized) : Files.newInputStream(file)) {
                size = store.write(FileStore.Bucket.AVATARS, id, username, type, in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Date now = new Date();
        removeUserAvatarFiles(username);
        records().insertOne(new Document("_id", id).append("name", username).append("userId", user.getString("_id"))
                .append("type", type).append("size", size).append("store", store.type() + ":" + FileStore.Bucket.AVATARS.storeName())
                .append("complete", true).append("uploading", false).append("etag", etag)
                .append("uploadedAt", now).append("_updatedAt", now));
        database.getCollection(Collections.USERS).updateOne(Filters.eq("_id", user.getString("_id")),
                Updates.combine(Updates.set("avatarOrigin", origin), Updates.set("avatarETag", etag),
                        Updates.set("_updatedAt", now)));
        announce(username, etag);
        LOG.info("avatar of user {} set ({})", user.getString("_id"), origin);
    }

    /**
     * Rocket.Chat's {@code Accounts_AvatarResize}: a PNG, JPEG, GIF or BMP cropped to a square and scaled to
     * {@code Accounts_AvatarSize}, in its own format (GIF and BMP as PNG are not: they keep their bytes); null to keep
     * the image as sent.
     */
    private byte[] resized(Path file, String type) throws IOException {
        String format = switch (type) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpeg";
            default -> null;
        };
        if (format == null || !settings.bool("Accounts_AvatarResize", true)) {
            return null;
        }
        int target = Math.max(16, Math.min(settings.integer("Accounts_AvatarSize", 200), 1024));
        Images.Identity identity;
        try (InputStream in = Files.newInputStream(file)) {
            identity = Images.identify(in);
        }
        if (identity == null || (long) identity.width() * identity.height() > 40_000_000L) {
            return null;
        }
        java.awt.image.BufferedImage image;
        try (InputStream in = Files.newInputStream(file)) {
            image = Images.decode(in, settings.bool("FileUpload_RotateImages", true));
        }
        if (image == null) {
            return null;
        }
        int side = Math.min(image.getWidth(), image.getHeight());
        java.awt.image.BufferedImage square = image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
        java.awt.image.BufferedImage scaled = side <= target ? square : Images.scale(square, target, target);
        return Images.encode(scaled, format);
    }

    /** Back to the initials: the stored image goes, and the user's avatar fields. */
    public void resetUserAvatar(Document user) {
        String username = user.getString(UserFields.USERNAME);
        removeUserAvatarFiles(username);
        database.getCollection(Collections.USERS).updateOne(Filters.eq("_id", user.getString("_id")),
                Updates.combine(Updates.unset("avatarOrigin"), Updates.unset("avatarETag"), Updates.set("_updatedAt", new Date())));
        announce(username, null);
        LOG.info("avatar of user {} reset", user.getString("_id"));
    }

    /**
     * Stores {@code image} (of {@code type}) as the avatar of room {@code rid} in the current file store, as user
     * avatars are, and answers its new ETag; the room's old image goes. Open clients hear {@code updateAvatar}.
     */
    public String setRoomAvatar(String rid, byte[] image, String type) {
        if (type == null || !type.startsWith("image/")) {
            throw CaravanException.coded("error-invalid-file-type", "File type is not accepted.");
        }
        FileStore store = stores.current();
        String id = Ids.random();
        String etag = Ids.random();
        long size;
        try (InputStream in = new java.io.ByteArrayInputStream(image)) {
            size = store.write(FileStore.Bucket.AVATARS, id, rid, type, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        removeRoomAvatarFiles(rid);
        Date now = new Date();
        records().insertOne(new Document("_id", id).append("rid", rid).append("name", rid).append("type", type)
                .append("size", size).append("store", store.type() + ":" + FileStore.Bucket.AVATARS.storeName())
                .append("complete", true).append("uploading", false).append("etag", etag)
                .append("uploadedAt", now).append("_updatedAt", now));
        announceRoom(rid, etag);
        return etag;
    }

    /** Removes room {@code rid}'s avatar image (its initials show again). */
    public void resetRoomAvatar(String rid) {
        removeRoomAvatarFiles(rid);
        announceRoom(rid, null);
    }

    private void removeRoomAvatarFiles(String rid) {
        removeAvatarFiles(Filters.eq("rid", rid));
    }

    private void announceRoom(String rid, String etag) {
        announceAvatar("rid", rid, etag);
    }

    private void removeUserAvatarFiles(String username) {
        removeAvatarFiles(Filters.and(Filters.eq("name", username), Filters.exists("rid", false)));
    }

    /** The avatar records matching {@code filter}, with their bytes in whichever store holds them. */
    private void removeAvatarFiles(org.bson.conversions.Bson filter) {
        for (Document old : records().find(filter)) {
            if (old.get("data") == null && old.getString("store") != null) {
                stores.of(old.getString("store")).delete(FileStore.Bucket.AVATARS, old.getString("_id"));
            }
            records().deleteOne(Filters.eq("_id", old.getString("_id")));
        }
    }

    /** {@code updateAvatar} on stream-notify-logged: {@code key} (username or rid) and the new ETag, null when reset. */
    private void announceAvatar(String key, String value, String etag) {
        Map<String, Object> event = new HashMap<>();
        event.put(key, value);
        event.put("avatarETag", etag);
        bus.publish("stream.notify", Map.of("stream", "notify-logged", "eventName", "updateAvatar", "args", List.of(event)));
    }

    private void announce(String username, String etag) {
        announceAvatar("username", username, etag);
    }
}
