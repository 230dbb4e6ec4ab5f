package chat.caravan.core.mail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import chat.caravan.common.settings.Settings;
import chat.caravan.core.LazyProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * E-mails the server sends by itself (Rocket.Chat's Mailer): the mail server is the one the SMTP_* settings name
 * (SMTP_Protocol, SMTP_Host, SMTP_Port, SMTP_Username, SMTP_Password; From_Email is the sender). A mail is handed to
 * {@code seda:mail.outbox} (route {@code mail-outbox}, routes/core/mail.yaml) and sent from there, so the caller never
 * waits on the mail server and a failed send is logged, as Rocket.Chat does.
 */
@Component("mailOutbox")
public class MailOutbox {

    /** Where mails wait to be sent. */
    public static final String OUTBOX = "seda:mail.outbox?discardIfNoConsumers=true";
    static final String SMTP_URI = "caravanSmtpUri";

    private final Settings settings;
    private final LazyProducer producer;

    public MailOutbox(Settings settings, CamelContext camel) {
        this.settings = settings;
        this.producer = new LazyProducer(camel);
    }

    /** Rocket.Chat's isSMTPConfigured: a mail server is named. */
    public boolean configured() {
        return !settings.string("SMTP_Host", "").isBlank();
    }

    /** Queues one HTML mail to {@code to}; the caller checked {@link #configured()}. */
    public void send(String to, String subject, String html) {
        send(to, subject, html, null);
    }

    /** Queues one HTML mail to {@code to} (comma-separated addresses), answered to {@code replyTo} when given. */
    public void send(String to, String subject, String html, String replyTo) {
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("replyTo", replyTo);
        mail.put("to", to);
        mail.put("from", settings.string("From_Email", "").isBlank() ? "no-reply@localhost" : settings.string("From_Email", ""));
        mail.put("subject", subject);
        mail.put("html", html);
        mail.put("uri", smtpUri());
        producer.get().sendBody(OUTBOX, mail);
    }

    /** Route step: turns a queued mail into the exchange camel-mail sends (its headers become the mail's headers). */
    @SuppressWarnings("unchecked")
    public void prepare(Exchange exchange) {
        Map<String, Object> mail = exchange.getIn().getBody(Map.class);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader("To", mail.get("to"));
        exchange.getIn().setHeader("From", mail.get("from"));
        exchange.getIn().setHeader("Subject", mail.get("subject"));
        if (mail.get("replyTo") != null) {
            exchange.getIn().setHeader("Reply-To", mail.get("replyTo"));
        }
        exchange.getIn().setHeader("Content-Type", "text/html; charset=UTF-8");
        exchange.setProperty(SMTP_URI, mail.get("uri"));
        exchange.getIn().setBody(mail.get("html"));
    }

    /** The camel-mail endpoint for the mail server the settings name now. */
    String smtpUri() {
        String protocol = "smtps".equalsIgnoreCase(settings.string("SMTP_Protocol", "smtp").trim()) ? "smtps" : "smtp";
        String host = settings.string("SMTP_Host", "").trim();
        String port = settings.string("SMTP_Port", "").trim();
        StringBuilder uri = new StringBuilder(protocol).append("://").append(host);
        if (!port.isEmpty()) {
            uri.append(':').append(port);
        }
        String username = settings.string("SMTP_Username", "").trim();
        uri.append("?connectionTimeout=10000");
        if (!username.isEmpty()) {
            uri.append("&username=").append(URLEncoder.encode(username, StandardCharsets.UTF_8))
                    .append(rawPassword(settings.string("SMTP_Password", "")));
        }
        return uri.toString();
    }

    private static String rawPassword(String password) {
        // Camel takes a RAW(...) value as is; RAW{...} when the password itself holds a ')'
        return password.indexOf(')') < 0 ? "&password=RAW(" + password + ")" : "&password=RAW{" + password + "}";
    }

}
