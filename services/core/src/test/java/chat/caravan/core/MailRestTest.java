package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * users.sendWelcomeEmail: the welcome e-mail reaches the mail server the SMTP_* settings name (a GreenMail server on
 * loopback here), and is refused while none is named, for an unknown address, without the address, or without
 * the send-mail permission.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MailRestTest extends CoreRestTestBase {

    private GreenMail smtp;

    @BeforeEach
    void startMailServer() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stopMailServer() {
        setting("SMTP_Host", "");
        setting("SMTP_Port", "");
        smtp.stop();
    }

    @Test
    void theWelcomeEmailGoesToTheConfiguredMailServer() throws Exception {
        Client user = newUser("welcome");
        setting("SMTP_Host", "127.0.0.1");
        setting("SMTP_Port", String.valueOf(smtp.getSmtp().getPort()));
        setting("From_Email", "caravan@core.test");
        setting("Site_Name", "Caravan Test");

        Reply sent = admin().post("/api/v1/users.sendWelcomeEmail", Map.of("email", user.username() + "@core.test"));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().path("success").asBoolean()).isTrue();

        assertThat(smtp.waitForIncomingEmail(20_000, 1)).as("the mail arrives").isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(user.username() + "@core.test");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("caravan@core.test");
        assertThat(mail.getSubject()).isEqualTo("Welcome to Caravan Test");
        assertThat(GreenMailUtil.getBody(mail)).contains("<h2>Welcome to Caravan Test</h2>");
    }

    @Test
    void aRoomExportByEmailSendsTheChosenMessages() throws Exception {
        Client reader = newUser("export");
        Client owner = admin(); // mail-messages is the administrators' permission by default
        Reply created = owner.post("/api/v1/channels.create", Map.of("name", unique("export")));
        String rid = created.json().path("channel").path("_id").asText();
        String chosen = owner.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "chosen <line>")))
                .json().path("message").path("_id").asText();
        owner.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "left out")));
        Map<String, Object> request = Map.of("rid", rid, "type", "email", "toUsers", java.util.List.of(reader.username(), "no-such-user"),
                "toEmails", java.util.List.of("archive@core.test"), "subject", "The export", "messages", java.util.List.of(chosen));

        setting("SMTP_Host", "");
        Reply refused = owner.post("/api/v1/rooms.export", request);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errorType").asText()).isEqualTo("error-email-send-failed");

        setting("SMTP_Host", "127.0.0.1");
        setting("SMTP_Port", String.valueOf(smtp.getSmtp().getPort()));
        Reply sent = owner.post("/api/v1/rooms.export", request);
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().path("missing").toString()).isEqualTo("[\"no-such-user\"]");
        assertThat(smtp.waitForIncomingEmail(20_000, 1)).as("the mail arrives").isTrue();
        assertThat(smtp.getReceivedMessages()).as("one copy per address").hasSize(2);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("The export");
        assertThat(GreenMailUtil.getBody(mail)).contains("chosen &lt;line&gt;").doesNotContain("left out");
        assertThat(java.util.Arrays.stream(mail.getAllRecipients()).map(Object::toString))
                .containsExactlyInAnyOrder("archive@core.test", reader.username() + "@core.test");
        assertThat(reader.post("/api/v1/rooms.export", request).json().path("errorType").asText())
                .as("without mail-messages").isEqualTo("error-action-not-allowed");
    }

    @Test
    void theWelcomeEmailIsRefusedWithoutAMailServerAUserOrThePermission() {
        Client user = newUser("welcome");
        Client admin = admin();
        setting("SMTP_Host", "");
        Reply noServer = admin.post("/api/v1/users.sendWelcomeEmail", Map.of("email", user.username() + "@core.test"));
        assertThat(noServer.status()).isEqualTo(400);
        assertThat(noServer.json().path("error").asText()).isEqualTo("SMTP is not configured [error-email-send-failed]");

        Reply noEmail = admin.post("/api/v1/users.sendWelcomeEmail", Map.of());
        assertThat(noEmail.status()).isEqualTo(400);
        assertThat(noEmail.json().path("error").asText()).isEqualTo("must have required property 'email' [invalid-params]");

        setting("SMTP_Host", "127.0.0.1");
        setting("SMTP_Port", String.valueOf(smtp.getSmtp().getPort()));
        Reply unknown = admin.post("/api/v1/users.sendWelcomeEmail", Map.of("email", "nobody-" + unique("x") + "@core.test"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errorType").asText()).isEqualTo("error-invalid-user");
        assertThat(unknown.json().path("error").asText()).isEqualTo("Invalid user [error-invalid-user]");

        Reply notAllowed = user.post("/api/v1/users.sendWelcomeEmail", Map.of("email", user.username() + "@core.test"));
        assertThat(notAllowed.status()).isEqualTo(403);
        assertThat(anonymous().post("/api/v1/users.sendWelcomeEmail", Map.of("email", user.username() + "@core.test"))
                .status()).isEqualTo(401);
        assertThat(smtp.getReceivedMessages()).as("nothing was sent").isEmpty();
    }
}
