package chat.caravan.core.users;

import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.mail.MailOutbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The e-mails about an account: resending the one that verifies an address ({@code users.sendConfirmationEmail}, 8.0
 * and later, and the DDP {@code sendConfirmationEmail} before) and the password reset ({@code users.forgotPassword}).
 * Those two have no mail sender wired here, so for a known address the answer is Rocket.Chat's send failure with
 * that reason, never a pretended success. The welcome e-mail ({@code users.sendWelcomeEmail}) goes through the
 * {@link MailOutbox} to the mail server the SMTP_* settings name.
 */
@Component("accountEmails")
public class AccountEmails {

    static final String NO_MAIL_SERVER = "Error trying to send email: no mail server is configured";

    private final UserLookup users;
    private final RestAuth auth;
    private final chat.caravan.common.settings.Settings settings;
    private final Authorization authorization;
    private final MailOutbox mail;

    public AccountEmails(UserLookup users, RestAuth auth, chat.caravan.common.settings.Settings settings,
            Authorization authorization, MailOutbox mail) {
        this.users = users;
        this.auth = auth;
        this.settings = settings;
        this.authorization = authorization;
        this.mail = mail;
    }

    /**
     * {@code users.sendWelcomeEmail} (permission send-mail), body {@code {email}}: the welcome e-mail
     * (Accounts_UserAddedEmail_Subject / _Email) to a user's address, queued for the mail server the SMTP_* settings
     * name; refused while none is named, as Rocket.Chat does.
     */
    public void sendWelcome(Exchange exchange) {
        if (!authorization.hasPermission(RestAuth.userId(exchange), "send-mail")) {
            throw new CaravanException(403, "error-unauthorized", "User does not have the permissions required for this action", null);
        }
        JsonNode email = RestRequest.body(exchange).get("email");
        if (email == null || email.isNull()) {
            throw CaravanException.invalidParams("must have required property 'email'");
        }
        if (!email.isTextual()) {
            throw CaravanException.invalidParams("must be string 'email'");
        }
        if (!mail.configured()) {
            throw CaravanException.coded("error-email-send-failed", "SMTP is not configured",
                    Map.of("method", "sendWelcomeEmail"));
        }
        String address = email.asText().trim();
        Document user = byAddress(address);
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user", Map.of("method", "sendWelcomeEmail"));
        }
        mail.send(address, fill(settings.string("Accounts_UserAddedEmail_Subject", "{Welcome_to}")),
                fill(settings.string("Accounts_UserAddedEmail_Email", "")));
        RestReplies.ok(exchange, Map.of());
    }

    /** The template's words ({Key}, Rocket.Chat's English strings) and site placeholders ([Site_Name], [Site_URL]). */
    private String fill(String template) {
        String siteName = settings.string("Site_Name", "Rocket.Chat");
        String text = template;
        for (Map.Entry<String, String> word : WORDS.entrySet()) {
            text = text.replace("{" + word.getKey() + "}", word.getValue());
        }
        return text.replace("[Site_Name]", siteName).replace("[Site_URL]", settings.string("Site_Url", ""));
    }

    private static final Map<String, String> WORDS = Map.of(
            "Welcome_to", "Welcome to [Site_Name]",
            "Visit_Site_Url_and_try_the_best_open_source_chat_solution_available_today",
            "Visit [Site_URL] and try the best open source chat solution available today!",
            "Login", "Login");

    private Document byAddress(String address) {
        return users.collection().find(Filters.regex("emails.address",
                Pattern.compile("^" + Pattern.quote(address) + "$", Pattern.CASE_INSENSITIVE))).first();
    }

    /** Body {@code {email}}: an unknown address is a success, as Rocket.Chat reveals nothing about it. */
    public void forgotPassword(Exchange exchange) {
        if (!settings.bool("Accounts_PasswordReset", true)) {
            throw CaravanException.plain("Password reset is not enabled");
        }
        JsonNode email = RestRequest.body(exchange).get("email");
        if (email == null || !email.isTextual() || email.asText().isBlank()) {
            throw CaravanException.plain("The 'email' param is required");
        }
        send(email.asText());
        RestReplies.ok(exchange, Map.of());
    }

    /** Body {@code {email}}; open to a caller not logged in, as the app resends from its login screen. */
    public void send(Exchange exchange) {
        auth.tryAuthenticate(exchange);
        JsonNode email = RestRequest.body(exchange).get("email");
        if (email == null || !email.isTextual() || email.asText().isBlank()) {
            throw CaravanException.invalidParams("must have required property 'email'");
        }
        if (!send(email.asText())) {
            throw CaravanException.plain("No user has this e-mail address");
        }
        RestReplies.ok(exchange, Map.of());
    }

    /** False for an address no user has; otherwise the send, which fails while no mail server is configured. */
    public boolean send(String to) {
        Document user = byAddress(to.trim());
        if (user == null) {
            return false;
        }
        throw CaravanException.coded("error-email-send-failed", NO_MAIL_SERVER,
                Map.of("method", "registerUser", "message", "no mail server is configured"));
    }
}
