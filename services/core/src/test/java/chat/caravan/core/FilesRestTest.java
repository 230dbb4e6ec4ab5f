package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Files as a Rocket.Chat client uses them: an upload into a room becomes a file message with the file, its thumbnail
 * and attachment; the bytes come back whole, by range and revalidated; strangers and anonymous callers get 403; the
 * rules refuse what they should with nothing left behind; deleting the message deletes the bytes.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class FilesRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    Client owner;
    String rid;

    @BeforeEach
    void room() {
        setting("FileUpload_MaxFileSize", 104857600);
        setting("FileUpload_MediaTypeBlackList", "image/svg+xml");
        setting("FileUpload_ProtectFiles", true);
        owner = newUser("uploader");
        rid = owner.post("/api/v1/groups.create", Map.of("name", unique("files"))).json().path("group").path("_id").asText();
    }

    @Test
    void anUploadedImageBecomesAFileMessageWithAThumbnailAndIsServedToMembersOnly() throws Exception {
        byte[] png = png(1000, 800);
        Raw upload = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "photo.png", png, Map.of("msg", "look",
                "description", "a photo"));
        assertThat(upload.status()).as(upload.text()).isEqualTo(200);
        JsonNode message = JSON.readTree(upload.text()).path("message");
        assertThat(message.path("msg").asText()).isEqualTo("look");
        assertThat(message.path("file").path("type").asText()).isEqualTo("image/png");
        assertThat(message.path("files")).hasSize(2);
        assertThat(message.path("files").get(1).path("name").asText()).isEqualTo("thumb-photo.png");
        JsonNode attachment = message.path("attachments").get(0);
        assertThat(attachment.path("title").asText()).isEqualTo("photo.png");
        assertThat(attachment.path("description").asText()).isEqualTo("a photo");
        assertThat(attachment.path("image_dimensions").path("width").asInt()).isEqualTo(450);
        assertThat(attachment.path("image_preview").asText()).isNotEmpty();
        String fileId = message.path("file").path("_id").asText();
        String url = "/file-upload/" + fileId + "/photo.png";

        Raw whole = get(owner, url);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Content-Type")).isEqualTo("image/png");
        assertThat(whole.bytes()).isEqualTo(png);
        Raw range = get(owner, url, "Range", "bytes=100-199");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 100-199/" + png.length);
        assertThat(range.bytes()).isEqualTo(Arrays.copyOfRange(png, 100, 200));
        assertThat(get(owner, url, "If-None-Match", whole.header("ETag")).status()).isEqualTo(304);
        Raw thumb = get(owner, attachment.path("image_url").asText());
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(thumb.bytes())).getWidth()).isEqualTo(450);

        Client stranger = newUser("stranger");
        assertThat(get(stranger, url).status()).isEqualTo(403);
        assertThat(get(anonymous(), url).status()).isEqualTo(403);
        Raw byCookie = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url))
                .header("Cookie", "rc_uid=" + owner.userId() + "; rc_token=" + owner.token()).GET());
        assertThat(byCookie.status()).isEqualTo(200);

        Reply deleted = owner.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", message.path("_id").asText()));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(get(owner, url).status()).isEqualTo(404);
        assertThat(database.getCollection("rocketchat_uploads.chunks").countDocuments(Filters.eq("files_id", fileId))).isZero();
        assertThat(database.getCollection("rocketchat_uploads").countDocuments(Filters.eq("_id", fileId))).isZero();
    }

    @Test
    void aPhotoTakenSidewaysGetsAnUprightThumbnail() throws Exception {
        // a phone's photo: stored 800 x 400, with EXIF orientation 6 (turn 90 degrees clockwise to view)
        Raw upload = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "phone.jpg", jpegWithOrientation(800, 400, 6), Map.of());
        assertThat(upload.status()).as(upload.text()).isEqualTo(200);
        JsonNode attachment = JSON.readTree(upload.text()).path("message").path("attachments").get(0);
        Raw thumb = get(owner, attachment.path("image_url").asText());
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(thumb.bytes()));
        assertThat(image.getHeight()).isEqualTo(360);
        assertThat(image.getWidth()).isEqualTo(180);
        assertThat(attachment.path("image_dimensions").path("width").asInt()).isEqualTo(180);

        setting("FileUpload_RotateImages", false);
        try {
            Raw asStored = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "phone.jpg", jpegWithOrientation(800, 400, 6), Map.of());
            JsonNode unrotated = JSON.readTree(asStored.text()).path("message").path("attachments").get(0);
            assertThat(unrotated.path("image_dimensions").path("width").asInt()).isEqualTo(480);
        } finally {
            setting("FileUpload_RotateImages", true);
        }
    }

    @Test
    void anSvgGetsAPngThumbnailDrawnWithoutLoadingWhatItLinksTo() throws Exception {
        setting("FileUpload_MediaTypeBlackList", "");
        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer linked = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        linked.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        linked.start();
        try {
            String elsewhere = "http://127.0.0.1:" + linked.getAddress().getPort();
            // red left half, blue right half; an external entity, an external image and a script that must stay unused
            String svg = """
                    <?xml version="1.0"?>
                    <!DOCTYPE svg [<!ENTITY secret SYSTEM "%s/entity">]>
                    <svg width="768" height="221" viewBox="0 0 768 221" xmlns="http://www.w3.org/2000/svg"
                         xmlns:xlink="http://www.w3.org/1999/xlink">
                      <rect x="0" y="0" width="384" height="221" fill="#ff0000"/>
                      <rect x="384" y="0" width="384" height="221" fill="#0000ff"/>
                      <image x="0" y="0" width="10" height="10" xlink:href="%s/image.png"/>
                      <script type="text/ecmascript">new java.net.URL("%s/script").openStream();</script>
                      <text x="10" y="20">&secret;</text>
                    </svg>
                    """.formatted(elsewhere, elsewhere, elsewhere);
            Raw upload = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "logo.svg",
                    svg.getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(upload.status()).as(upload.text()).isEqualTo(200);
            JsonNode message = JSON.readTree(upload.text()).path("message");
            assertThat(message.path("file").path("type").asText()).isEqualTo("image/svg+xml");
            assertThat(message.path("files")).hasSize(2);
            assertThat(message.path("files").get(1).path("name").asText()).isEqualTo("thumb-logo.svg");
            assertThat(message.path("files").get(1).path("type").asText()).isEqualTo("image/png");
            JsonNode attachment = message.path("attachments").get(0);
            assertThat(attachment.path("title").asText()).isEqualTo("logo.svg");
            assertThat(attachment.path("image_type").asText()).isEqualTo("image/png");
            assertThat(attachment.path("image_dimensions").path("width").asInt()).isEqualTo(480);
            assertThat(attachment.path("image_dimensions").path("height").asInt()).isEqualTo(138);
            assertThat(attachment.path("image_preview").asText()).isNotEmpty();

            Raw thumb = get(owner, attachment.path("image_url").asText());
            assertThat(thumb.status()).isEqualTo(200);
            assertThat(thumb.header("Content-Type")).isEqualTo("image/png");
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(thumb.bytes()));
            assertThat(image.getWidth()).isEqualTo(480);
            assertThat(image.getHeight()).isEqualTo(138);
            assertThat(image.getRGB(100, 100) & 0xffffff).as("drawn: red on the left").isEqualTo(0xff0000);
            assertThat(image.getRGB(400, 100) & 0xffffff).as("blue on the right").isEqualTo(0x0000ff);
            assertThat(fetched.get()).as("nothing the SVG links to was fetched").isZero();

            Raw small = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "icon.svg", """
                    <svg width="24pt" height="24pt" xmlns="http://www.w3.org/2000/svg"><circle cx="16" cy="16" r="8"/></svg>
                    """.getBytes(StandardCharsets.UTF_8), Map.of());
            JsonNode icon = JSON.readTree(small.text()).path("message");
            assertThat(icon.path("files")).as("smaller than a thumbnail: none, as in Rocket.Chat").hasSize(1);
            assertThat(icon.path("attachments").get(0).path("image_dimensions").path("width").asInt()).isEqualTo(32);
            assertThat(icon.path("attachments").get(0).path("image_preview").asText()).isNotEmpty();
        } finally {
            linked.stop(0);
        }
    }

    /** A JPEG with an EXIF (APP1) segment holding only the orientation tag, as cameras write it. */
    static byte[] jpegWithOrientation(int width, int height, int orientation) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", jpeg);
        byte[] plain = jpeg.toByteArray();
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2);
        out.write(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length});
        out.write(header);
        out.write(tiff);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    @Test
    void aReadOnlyRoomTakesFilesFromItsOwnerOnly() throws Exception {
        Client reader = newUser("reader");
        owner.post("/api/v1/groups.invite", Map.of("roomId", rid, "userId", reader.userId()));
        Reply readOnly = owner.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "readOnly", true));
        assertThat(readOnly.status()).as(readOnly.body()).isEqualTo(200);
        long before = database.getCollection("rocketchat_uploads").countDocuments(Filters.eq("rid", rid));
        Raw refused = multipart(reader, "/api/v1/rooms.upload/" + rid, "file", "no.txt", "no".getBytes(), Map.of());
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(database.getCollection("rocketchat_uploads").countDocuments(Filters.eq("rid", rid)))
                .as("nothing left behind").isEqualTo(before);
        Raw allowed = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "yes.txt", "yes".getBytes(), Map.of());
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
    }

    @Test
    void theRulesRefuseWithRocketChatsErrorsAndLeaveNothingBehind() throws Exception {
        long before = database.getCollection("rocketchat_uploads").countDocuments();
        Raw wrongField = multipart(owner, "/api/v1/rooms.upload/" + rid, "other", "a.txt", "hi".getBytes(), Map.of());
        assertThat(wrongField.status()).isEqualTo(400);
        assertThat(wrongField.text()).contains("invalid-field");

        setting("FileUpload_MediaTypeBlackList", "text/plain");
        Raw blocked = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "a.txt", "hi".getBytes(), Map.of());
        assertThat(blocked.status()).isEqualTo(400);
        assertThat(blocked.text()).contains("error-invalid-file-type");

        setting("FileUpload_MaxFileSize", 10);
        Raw large = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "a.bin", new byte[100], Map.of());
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.text()).contains("error-file-too-large");

        Client stranger = newUser("outsider");
        Raw notMember = multipart(stranger, "/api/v1/rooms.upload/" + rid, "file", "a.bin", new byte[5], Map.of());
        assertThat(notMember.status()).isEqualTo(403);
        assertThat(database.getCollection("rocketchat_uploads").countDocuments()).isEqualTo(before);
    }

    @Test
    void mediaThenConfirmSendsTheFileMessage() throws Exception {
        Raw media = multipart(owner, "/api/v1/rooms.media/" + rid, "file", "notes.txt", "some notes".getBytes(), Map.of());
        assertThat(media.status()).as(media.text()).isEqualTo(200);
        String fileId = JSON.readTree(media.text()).path("file").path("_id").asText();
        Document record = database.getCollection("rocketchat_uploads").find(Filters.eq("_id", fileId)).first();
        assertThat(record.get("expiresAt")).isNotNull();

        Reply confirmed = owner.post("/api/v1/rooms.mediaConfirm/" + rid + "/" + fileId, Map.of("msg", "", "description", "d"));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        JsonNode attachment = confirmed.json().path("message").path("attachments").get(0);
        assertThat(attachment.path("format").asText()).isEqualTo("TXT");
        assertThat(attachment.path("description").asText()).isEqualTo("d");
        assertThat(database.getCollection("rocketchat_uploads").find(Filters.eq("_id", fileId)).first().get("expiresAt")).isNull();
        assertThat(new String(get(owner, "/file-upload/" + fileId + "/notes.txt").bytes(), StandardCharsets.UTF_8))
                .isEqualTo("some notes");
    }

    @Test
    void anUploadNeverConfirmedIsSweptWithItsBytes() throws Exception {
        Raw media = multipart(owner, "/api/v1/rooms.media/" + rid, "file", "draft.txt", "never sent".getBytes(), Map.of());
        assertThat(media.status()).as(media.text()).isEqualTo(200);
        String fileId = JSON.readTree(media.text()).path("file").path("_id").asText();
        Raw kept = multipart(owner, "/api/v1/rooms.media/" + rid, "file", "kept.txt", "still in its day".getBytes(), Map.of());
        String keptId = JSON.readTree(kept.text()).path("file").path("_id").asText();
        assertThat(database.getCollection("rocketchat_uploads.files").countDocuments(Filters.eq("_id", fileId))).isOne();
        // its day is over
        database.getCollection("rocketchat_uploads").updateOne(Filters.eq("_id", fileId),
                new Document("$set", new Document("expiresAt", new java.util.Date(System.currentTimeMillis() - 1000))));
        long deadline = System.currentTimeMillis() + 30_000;
        while (database.getCollection("rocketchat_uploads").countDocuments(Filters.eq("_id", fileId)) > 0
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(database.getCollection("rocketchat_uploads").countDocuments(Filters.eq("_id", fileId))).isZero();
        assertThat(database.getCollection("rocketchat_uploads.files").countDocuments(Filters.eq("_id", fileId))).isZero();
        assertThat(database.getCollection("rocketchat_uploads.chunks").countDocuments(Filters.eq("files_id", fileId))).isZero();
        assertThat(owner.post("/api/v1/rooms.mediaConfirm/" + rid + "/" + fileId, Map.of("msg", "")).status()).isEqualTo(400);
        assertThat(database.getCollection("rocketchat_uploads").countDocuments(Filters.eq("_id", keptId))).isOne();
    }

    @Test
    void aUserAvatarIsUploadedServedAndResetAndAnInternalAvatarUrlIsRefused() throws Exception {
        Client user = newUser("avatar");
        byte[] png = png(400, 300);
        Raw set = multipart(user, "/api/v1/users.setAvatar", "image", "me.png", png, Map.of());
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        Document stored = database.getCollection("users").find(Filters.eq("_id", user.userId())).first();
        assertThat(stored.getString("avatarOrigin")).isEqualTo("rest");
        assertThat(stored.getString("avatarETag")).isNotBlank();

        Raw avatar = get(user, "/avatar/" + user.username());
        assertThat(avatar.status()).isEqualTo(200);
        assertThat(avatar.header("Content-Type")).isEqualTo("image/png");
        // cropped to a square and scaled to Accounts_AvatarSize, as Rocket.Chat stores avatars
        BufferedImage served = ImageIO.read(new java.io.ByteArrayInputStream(avatar.bytes()));
        assertThat(served.getWidth()).isEqualTo(200);
        assertThat(served.getHeight()).isEqualTo(200);
        assertThat(get(user, "/avatar/" + user.username(), "If-Modified-Since", avatar.header("Last-Modified")).status())
                .isEqualTo(304);

        Reply refused = user.post("/api/v1/users.setAvatar", Map.of("avatarUrl", "http://127.0.0.1:" + port + "/avatar/x"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("error-avatar-invalid-url");

        Reply location = user.get("/api/v1/users.getAvatar?userId=" + user.userId());
        assertThat(location.status()).isEqualTo(307);
        assertThat(location.header("Location")).endsWith("/avatar/" + user.username());

        assertThat(user.post("/api/v1/users.resetAvatar", Map.of()).status()).isEqualTo(200);
        Raw initials = get(user, "/avatar/" + user.username() + "?size=40");
        assertThat(initials.header("Content-Type")).isEqualTo("image/svg+xml");
        String svg = initials.text();
        assertThat(svg).contains("viewBox=\"0 0 40 40\"").contains(">\nA\n<");
        String[] colors = {"#158D65", "#7F1B9F", "#B68D00", "#E26D0E", "#10529E", "#6C727A"};
        assertThat(svg).contains("fill=\"" + colors[user.username().length() % colors.length] + "\"");
        assertThat(database.getCollection("users").find(Filters.eq("_id", user.userId())).first().get("avatarETag")).isNull();
        assertThat(database.getCollection("rocketchat_avatars").countDocuments(Filters.eq("name", user.username()))).isZero();
    }

    @Test
    void theDdpMethodSetsTheAvatarFromADataUriAndTheInitialsService() throws Exception {
        Client user = newUser("ddpavatar");
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(50, 50));
        String frame = JSON.writeValueAsString(Map.of("msg", "method", "id", "1", "method", "setAvatarFromService",
                "params", java.util.List.of(dataUri, "image/png", "upload")));
        Reply set = user.post("/api/v1/method.call/setAvatarFromService", Map.of("message", frame));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).doesNotContain("\\\"error\\\"");
        Raw avatar = get(user, "/avatar/" + user.username());
        assertThat(avatar.header("Content-Type")).isEqualTo("image/png");
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(avatar.bytes())).getWidth()).isEqualTo(50);

        String initials = JSON.writeValueAsString(Map.of("msg", "method", "id", "2", "method", "setAvatarFromService",
                "params", java.util.List.of("", "", "initials")));
        assertThat(user.post("/api/v1/method.call/setAvatarFromService", Map.of("message", initials)).status()).isEqualTo(200);
        assertThat(get(user, "/avatar/" + user.username()).header("Content-Type")).isEqualTo("image/svg+xml");
    }

    @Test
    void aRoomAvatarIsKeptInTheFileStoreServedAndReset() throws Exception {
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(64, 64));
        Reply saved = owner.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "roomAvatar", dataUri));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        Document record = database.getCollection("rocketchat_avatars").find(Filters.eq("rid", rid)).first();
        assertThat(record.getString("store")).isEqualTo("GridFS:Avatars");
        assertThat(record.get("data")).isNull();
        assertThat(database.getCollection("rocketchat_avatars.files").countDocuments(Filters.eq("_id", record.getString("_id"))))
                .isOne();
        String etag = database.getCollection("rocketchat_room").find(Filters.eq("_id", rid)).first().getString("avatarETag");
        assertThat(etag).isEqualTo(record.getString("etag"));
        Raw avatar = get(owner, "/avatar/room/" + rid);
        assertThat(avatar.status()).isEqualTo(200);
        assertThat(avatar.header("Content-Type")).isEqualTo("image/png");
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(avatar.bytes())).getWidth()).isEqualTo(64);

        Reply replaced = owner.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "roomAvatar",
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(32, 32))));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(database.getCollection("rocketchat_avatars").countDocuments(Filters.eq("rid", rid))).isOne();
        assertThat(database.getCollection("rocketchat_avatars.files").countDocuments(Filters.eq("_id", record.getString("_id"))))
                .as("the replaced image's bytes are gone").isZero();

        assertThat(owner.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "roomAvatar", "data:image/png;base64,%%"))
                .body()).contains("error-invalid-image");
        assertThat(owner.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", rid, "roomAvatar", "")).status()).isEqualTo(200);
        assertThat(database.getCollection("rocketchat_avatars").countDocuments(Filters.eq("rid", rid))).isZero();
        assertThat(get(owner, "/avatar/room/" + rid).header("Content-Type")).isEqualTo("image/svg+xml");
    }

    @Test
    void aRoomsFilesAreListedWithoutThumbnailsToMembersOnly() throws Exception {
        multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "big.png", png(800, 800), Map.of());
        multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "notes.txt", "n".getBytes(), Map.of());
        Reply listed = owner.get("/api/v1/groups.files?roomId=" + rid + "&count=1");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().path("files")).hasSize(1);
        assertThat(listed.json().path("total").asInt()).isEqualTo(2);
        Reply all = owner.get("/api/v1/groups.files?roomId=" + rid);
        java.util.List<String> names = new java.util.ArrayList<>();
        all.json().path("files").forEach(file -> names.add(file.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("big.png", "notes.txt");
        assertThat(all.json().path("files").get(0).path("user").path("username").asText()).isEqualTo(owner.username());
        assertThat(newUser("peeker").get("/api/v1/groups.files?roomId=" + rid).status()).isEqualTo(400);
    }

    @Test
    void theFileSystemStoreKeepsNewUploadsAndServesThem() throws Exception {
        setting("FileUpload_Storage_Type", "FileSystem");
        try {
            Raw upload = multipart(owner, "/api/v1/rooms.upload/" + rid, "file", "disk.txt", "on disk".getBytes(), Map.of());
            assertThat(upload.status()).as(upload.text()).isEqualTo(200);
            String fileId = JSON.readTree(upload.text()).path("message").path("file").path("_id").asText();
            assertThat(database.getCollection("rocketchat_uploads").find(Filters.eq("_id", fileId)).first().getString("store"))
                    .isEqualTo("FileSystem:Uploads");
            assertThat(database.getCollection("rocketchat_uploads.files").countDocuments(Filters.eq("_id", fileId))).isZero();
            assertThat(get(owner, "/file-upload/" + fileId + "/disk.txt").text()).isEqualTo("on disk");
        } finally {
            setting("FileUpload_Storage_Type", "GridFS");
        }
    }

    record Raw(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x += 10) {
            image.setRGB(x, x * height / width, 0xff0000);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static Raw multipart(Client client, String path, String field, String fileName, byte[] content, Map<String, String> fields) {
        String boundary = "----caravan" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-User-Id", client.userId()).header("X-Auth-Token", client.token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return send(request);
    }

    static Raw get(Client client, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (client.userId() != null) {
            request.header("X-User-Id", client.userId()).header("X-Auth-Token", client.token());
        }
        return send(request);
    }

    static Raw send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Raw(response.statusCode(), response.body(), response.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
