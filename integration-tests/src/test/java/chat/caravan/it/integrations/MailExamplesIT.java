package chat.caravan.it.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;

import chat.caravan.it.harness.Eventually;
import chat.caravan.it.harness.Ports;
import chat.caravan.it.harness.RestClient;
import chat.caravan.it.harness.RouteFiles;
import chat.caravan.it.harness.Topology;
import chat.caravan.it.harness.Users;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail examples of routes/examples, copied into CARAVAN_ROUTES_DIR/core/ as routes/README.md tells an integrator,
 * over a real all-in-one process and a real mail server on loopback (GreenMail: SMTP and IMAP): messages sent in a
 * room arrive as digest e-mails (by size, and by time for the rest), and mails delivered to a mailbox are posted to a
 * room through the message pipeline, then removed from the mailbox.
 */
class MailExamplesIT {

    private static final String DIGEST_TO = "team@caravan.test";
    private static final String MAILBOX = "chat@caravan.test";
    /** characters that would break an endpoint URI's query unless the route keeps them raw */
    private static final String SENDER_PASSWORD = "s&cret+1%";

    @TempDir
    Path work;

    @Test
    void aRoomIsMailedAsDigestsAndMailIsPostedToARoom() throws Exception {
        Path routes = RouteFiles.copyWith(work, "room-to-email-digest.yaml", "email-to-room.yaml");
        ServerSetup smtp = new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        GreenMail mail = new GreenMail(new ServerSetup[] {smtp, imap});
        mail.start();
        try {
            mail.setUser(DIGEST_TO, "team", "team-pw");
            mail.setUser("caravan@caravan.test", "caravan", SENDER_PASSWORD);
            GreenMailUser mailbox = mail.setUser(MAILBOX, "chat", "chat-pw");
            try (Topology topology = Topology.allInOne("mail").env("CARAVAN_ROUTES_DIR", routes.toString())
                    .env("CARAVAN_EXAMPLE_SMTP_HOST", "127.0.0.1")
                    .env("CARAVAN_EXAMPLE_SMTP_PORT", String.valueOf(smtp.getPort()))
                    .env("CARAVAN_EXAMPLE_SMTP_USER", "caravan")
                    .env("CARAVAN_EXAMPLE_SMTP_PASSWORD", SENDER_PASSWORD)
                    .env("CARAVAN_EXAMPLE_DIGEST_ROOM", "digested")
                    .env("CARAVAN_EXAMPLE_DIGEST_FROM", "caravan@caravan.test")
                    .env("CARAVAN_EXAMPLE_DIGEST_TO", DIGEST_TO)
                    .env("CARAVAN_EXAMPLE_DIGEST_INTERVAL", "2s")
                    .env("CARAVAN_EXAMPLE_DIGEST_SIZE", "3")
                    .env("CARAVAN_EXAMPLE_MAIL_HOST", "127.0.0.1")
                    .env("CARAVAN_EXAMPLE_MAIL_PORT", String.valueOf(imap.getPort()))
                    .env("CARAVAN_EXAMPLE_MAIL_USER", "chat")
                    .env("CARAVAN_EXAMPLE_MAIL_PASSWORD", "chat-pw")
                    .env("CARAVAN_EXAMPLE_MAIL_DELAY", "1s")
                    .env("CARAVAN_EXAMPLE_MAIL_ROOM", "from-mail")
                    .env("CARAVAN_EXAMPLE_MAIL_POST_AS", Topology.ADMIN_USERNAME)
                    .start()) {
                String base = topology.baseUrl();
                RestClient admin = new RestClient(base).login(Topology.ADMIN_USERNAME, Topology.ADMIN_PASSWORD);
                RestClient ann = Users.create(admin, base, "ann");

                // room to e-mail digest: three messages complete a digest by size, the fourth is sent by time
                String digested = admin.post("/api/v1/channels.create", Map.of("name", "digested", "members",
                        List.of(ann.username()))).json().path("channel").path("_id").asText();
                String other = admin.post("/api/v1/channels.create", Map.of("name", "not-digested", "members",
                        List.of(ann.username()))).json().path("channel").path("_id").asText();
                List<String> texts = List.of("first of the day", "second thought", "third time lucky", "fourth and last");
                for (String text : texts) {
                    assertThat(ann.post("/api/v1/chat.postMessage", Map.of("roomId", digested, "text", text)).status()).isEqualTo(200);
                    ann.post("/api/v1/chat.postMessage", Map.of("roomId", other, "text", "elsewhere: " + text));
                }
                List<String> lines = new ArrayList<>();
                await(() -> {
                    lines.clear();
                    for (MimeMessage digest : received(mail, DIGEST_TO)) {
                        lines.addAll(linesOf(digest));
                    }
                    return lines.size() >= texts.size() ? lines : null;
                }, "digests holding the four messages");
                assertThat(lines).hasSize(texts.size());
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(lines.get(i)).as("in the order they were sent").matches("\\d\\d:\\d\\d " + ann.username() + ": " + texts.get(i));
                }
                List<MimeMessage> digests = received(mail, DIGEST_TO);
                assertThat(digests.size()).as("at most three messages a digest").isBetween(2, 4);
                for (MimeMessage digest : digests) {
                    assertThat(digest.getSubject()).isEqualTo("#digested: " + linesOf(digest).size() + " new messages");
                    assertThat(digest.getFrom()).extracting(Object::toString).containsExactly("caravan@caravan.test");
                    assertThat(GreenMailUtil.getBody(digest)).doesNotContain("elsewhere");
                }

                // e-mail to room: a plain mail and a multipart one (text and HTML) are posted, then leave the mailbox
                String fromMail = admin.post("/api/v1/channels.create", Map.of("name", "from-mail")).json()
                        .path("channel").path("_id").asText();
                GreenMailUtil.sendTextEmail(MAILBOX, "alice@example.org", "Build broken", "The nightly build failed.\n", smtp);
                JsonNode posted = await(() -> historyWith(admin, fromMail, "*Build broken*\nThe nightly build failed."),
                        "the mail posted to the room");
                assertThat(posted.path("alias").asText()).isEqualTo("alice@example.org");
                assertThat(posted.path("u").path("username").asText()).isEqualTo(Topology.ADMIN_USERNAME);
                assertThat(posted.path("bot").path("i").asText()).isEqualTo("example-email-to-room");

                mailbox.deliver(multipart(smtp, "bob@example.org", "Release 1.2", "Shipped today.", "<p>Shipped <b>today</b>.</p>"));
                await(() -> historyWith(admin, fromMail, "*Release 1.2*\nShipped today."), "the multipart mail's text posted");
                await(() -> inboxSize(mail, mailbox) == 0 ? "" : null,
                        "the posted mails deleted from the mailbox");
                Thread.sleep(2_500);
                assertThat(admin.get("/api/v1/channels.history?roomId=" + fromMail + "&count=50").json().path("messages")
                        .findValuesAsText("msg")).as("each mail posted once")
                        .containsOnlyOnce("*Build broken*\nThe nightly build failed.", "*Release 1.2*\nShipped today.");
            }
        } finally {
            mail.stop();
        }
    }

    private static List<MimeMessage> received(GreenMail mail, String to) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            try {
                if (Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(to))) {
                    found.add(message);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    private static int inboxSize(GreenMail mail, GreenMailUser user) {
        try {
            return mail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> linesOf(MimeMessage digest) {
        return GreenMailUtil.getBody(digest).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static MimeMessage multipart(ServerSetup smtp, String from, String subject, String text, String html) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        message.setSubject(subject);
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setContent(html, "text/html; charset=UTF-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(rich);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    private static JsonNode historyWith(RestClient client, String rid, String text) {
        for (JsonNode message : client.get("/api/v1/channels.history?roomId=" + rid + "&count=50").json().path("messages")) {
            if (text.equals(message.path("msg").asText())) {
                return message;
            }
        }
        return null;
    }

    private static <T> T await(Supplier<T> probe, String what) {
        return Eventually.value(what, Duration.ofSeconds(45), probe);
    }
}
