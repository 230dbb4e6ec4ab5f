package chat.caravan.it.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import chat.caravan.it.harness.NodeClients;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.RestClient.Download;
import chat.caravan.it.harness.RestClient.Response;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Files and avatars as people use them, over the all-in-one and over the microservices behind nginx (uploads and
 * downloads stream through the ingress to core, the bytes live in GridFS in the shared MongoDB): an image upload becomes
 * a file message with a thumbnail, members download it whole, by range and revalidated, strangers and anonymous callers
 * get 403, the rules refuse what they should, deleting the message deletes the bytes; avatars are set, served and
 * revalidated; and Rocket.Chat's own client library sees the file message arrive on its stream.
 */
class FilesAndAvatarsIT {

    @Test
    void filesAndAvatarsWorkOnTheAllInOne() throws Exception {
        try (Topology topology = Topology.allInOne("files-aio").start()) {
            filesAndAvatars(topology.baseUrl());
        }
    }

    @Test
    void filesAndAvatarsWorkOnTheMicroservicesBehindNginx() throws Exception {
        try (Topology topology = Topology.microservices("files-ms").start()) {
            filesAndAvatars(topology.baseUrl());
        }
    }

    private static void filesAndAvatars(String base) throws Exception {
        RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        RestClient ann = Users.create(admin, base, "ann");
        RestClient ben = Users.create(admin, base, "ben");
        RestClient eve = Users.create(admin, base, "eve");
        String group = ann.post("/api/v1/groups.create", Map.of("name", "photos-" + System.nanoTime(),
                "members", List.of(ben.username()))).json().path("group").path("_id").asText();

        // an image becomes a file message: the file, its thumbnail, Rocket.Chat's attachment
        byte[] photo = png(1200, 900);
        Response upload = ann.upload("/api/v1/rooms.upload/" + group, "file", "photo.png", "image/png", photo,
                Map.of("msg", "the view", "description", "from the hill"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        JsonNode message = upload.json().path("message");
        assertThat(message.path("msg").asText()).isEqualTo("the view");
        assertThat(message.path("file").path("type").asText()).isEqualTo("image/png");
        assertThat(message.path("files")).hasSize(2);
        JsonNode attachment = message.path("attachments").get(0);
        assertThat(attachment.path("type").asText()).isEqualTo("file");
        assertThat(attachment.path("description").asText()).isEqualTo("from the hill");
        assertThat(attachment.path("image_preview").asText()).isNotBlank();
        String link = attachment.path("title_link").asText();
        String thumbLink = attachment.path("image_url").asText();
        assertThat(link).startsWith("/file-upload/").endsWith("/photo.png");
        assertThat(thumbLink).startsWith("/file-upload/").isNotEqualTo(link);

        // members download it whole, by range, and revalidate it
        Download whole = ben.download(link, true);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.bytes()).isEqualTo(photo);
        assertThat(whole.header("Content-Type")).isEqualTo("image/png");
        assertThat(whole.header("Content-Disposition")).contains("photo.png");
        String etag = whole.header("ETag");
        assertThat(etag).isNotBlank();
        Download range = ben.download(link, true, "Range", "bytes=100-1099");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 100-1099/" + photo.length);
        assertThat(range.bytes()).isEqualTo(Arrays.copyOfRange(photo, 100, 1100));
        assertThat(ben.download(link, true, "If-None-Match", etag).status()).isEqualTo(304);
        // the web's way: the rc_uid / rc_token cookies instead of headers
        Download byCookie = ben.download(link, false, "Cookie", "rc_uid=" + ben.userId() + "; rc_token=" + ben.authToken());
        assertThat(byCookie.status()).isEqualTo(200);
        assertThat(byCookie.bytes()).isEqualTo(photo);

        // the thumbnail fits Rocket.Chat's 480 x 360 box
        Download thumb = ben.download(thumbLink, true);
        assertThat(thumb.status()).isEqualTo(200);
        BufferedImage thumbImage = ImageIO.read(new ByteArrayInputStream(thumb.bytes()));
        assertThat(thumbImage.getWidth()).isEqualTo(480);
        assertThat(thumbImage.getHeight()).isEqualTo(360);

        // a stranger and an anonymous caller get 403, never the bytes
        Download stranger = eve.download(link, true);
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(new String(stranger.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("IHDR");
        assertThat(eve.download(link, false).status()).isEqualTo(403);
        assertThat(eve.upload("/api/v1/rooms.upload/" + group, "file", "x.txt", "text/plain", "x".getBytes(), Map.of())
                .status()).isEqualTo(403);

        // the two-step upload of the clients since 6.10, and the room's file list
        Response media = ben.upload("/api/v1/rooms.media/" + group, "file", "notes.txt", "text/plain",
                "minutes of the meeting".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(media.status()).as(media.body()).isEqualTo(200);
        String notesId = media.json().path("file").path("_id").asText();
        Response confirmed = ben.post("/api/v1/rooms.mediaConfirm/" + group + "/" + notesId, Map.of("msg", "notes"));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().path("message").path("attachments").get(0).path("format").asText()).isEqualTo("TXT");
        Response files = ann.get("/api/v1/groups.files?roomId=" + group);
        assertThat(files.status()).as(files.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        files.json().path("files").forEach(file -> names.add(file.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("photo.png", "notes.txt");
        assertThat(eve.get("/api/v1/groups.files?roomId=" + group).status()).isNotEqualTo(200);

        // the rules: the size limit answers 413 and stores nothing; a blocked type is refused
        setting(admin, "FileUpload_MaxFileSize", 1000);
        Response tooBig = ann.upload("/api/v1/rooms.upload/" + group, "file", "big.bin", "application/octet-stream",
                new byte[5000], Map.of());
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().path("success").asBoolean()).isFalse();
        setting(admin, "FileUpload_MaxFileSize", 104857600);
        setting(admin, "FileUpload_MediaTypeBlackList", "application/x-msdownload");
        Response blocked = ann.upload("/api/v1/rooms.upload/" + group, "file", "setup.exe", "application/x-msdownload",
                "MZ".getBytes(), Map.of());
        assertThat(blocked.status()).isEqualTo(400);
        assertThat(blocked.body()).contains("error-invalid-file-type");
        assertThat(ann.get("/api/v1/groups.files?roomId=" + group).json().path("total").asInt()).isEqualTo(2);

        // deleting the message deletes the file and its thumbnail
        Response deleted = ann.post("/api/v1/chat.delete", Map.of("roomId", group, "msgId", message.path("_id").asText()));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(ben.download(link, true).status()).isEqualTo(404);
        assertThat(ben.download(thumbLink, true).status()).isEqualTo(404);
        assertThat(ann.get("/api/v1/groups.files?roomId=" + group).json().path("total").asInt()).isEqualTo(1);

        // avatars: initials until an image is set; the image is served, cached and revalidated; reset brings initials back
        // Rocket.Chat's default (Accounts_AvatarBlockUnauthenticatedAccess) serves avatars to signed-in people only
        assertThat(eve.download("/avatar/" + ann.username(), false).status()).isEqualTo(403);
        Download initials = eve.download("/avatar/" + ann.username(), true);
        assertThat(initials.status()).isEqualTo(200);
        assertThat(initials.header("Content-Type")).startsWith("image/svg+xml");
        Response set = ann.upload("/api/v1/users.setAvatar", "image", "me.png", "image/png", png(400, 300), Map.of());
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        Download avatar = eve.download("/avatar/" + ann.username(), true);
        assertThat(avatar.status()).isEqualTo(200);
        assertThat(avatar.header("Content-Type")).isEqualTo("image/png");
        BufferedImage avatarImage = ImageIO.read(new ByteArrayInputStream(avatar.bytes()));
        assertThat(avatarImage.getWidth()).isEqualTo(avatarImage.getHeight());
        assertThat(avatar.header("ETag")).isNotBlank();
        assertThat(avatar.header("Cache-Control")).isNotBlank();
        assertThat(eve.download("/avatar/" + ann.username(), true, "If-None-Match", avatar.header("ETag")).status())
                .isEqualTo(304);
        JsonNode info = ann.get("/api/v1/users.info?userId=" + ann.userId()).json().path("user");
        assertThat(info.path("avatarETag").asText()).isNotBlank();
        // a member who is not the owner may not change the room's avatar (Rocket.Chat's method error: 400)
        Response notOwner = ben.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", group, "roomAvatar",
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(64, 64))));
        assertThat(notOwner.status()).isEqualTo(400);
        assertThat(notOwner.body()).contains("error-action-not-allowed");
        assertThat(ben.download("/avatar/room/" + group, true).header("Content-Type")).startsWith("image/svg+xml");
        assertThat(ann.post("/api/v1/rooms.saveRoomSettings", Map.of("rid", group, "roomAvatar",
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(64, 64)))).status()).isEqualTo(200);
        assertThat(ben.download("/avatar/room/" + group, true).header("Content-Type")).isEqualTo("image/png");
        assertThat(ann.post("/api/v1/users.resetAvatar", Map.of()).status()).isEqualTo(200);
        assertThat(eve.download("/avatar/" + ann.username(), true).header("Content-Type")).startsWith("image/svg+xml");

        // Rocket.Chat's own client library: a file sent by one user arrives as a file message on another's stream
        NodeClients.Result result = NodeClients.run("files.mjs", 120, base, Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ok file-message-on-stream", "ok file-downloaded", "ok avatar-event",
                "all passed");
    }

    private static void setting(RestClient admin, String id, Object value) {
        Response changed = admin.post("/api/v1/settings/" + id, Map.of("value", value));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, (int) ((long) x * (height - 1) / width), 0x3366cc);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
