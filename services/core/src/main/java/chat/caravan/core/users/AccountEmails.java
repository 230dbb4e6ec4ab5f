package chat.caravan.core.users;

import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The e-mails about an account: resending the one that verifies an address ({@code users.sendConfirmationEmail}, 8.0
 * and later, and the DDP {@code sendConfirmationEmail} before) and the password reset ({@code users.forgotPassword}).
 * This server has no mail sender configured, so for a known address the answer is Rocket.Chat's send failure with
 * that reason, never a pretended success.
 */
@Component("accountEmails")
public class AccountEmails {

    static final String NO_MAIL_SERVER = "Error trying to send email: no mail server is configured";

    private final UserLookup users;
    private final RestAuth auth;
    private final chat.caravan.common.settings.Settings settings;

    public AccountEmails(UserLookup users, RestAuth auth, chat.caravan.common.settings.Settings settings) {
        this.users = users;
        this.auth = auth;
        this.settings = settings;
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
        String address = to.trim();
        Document user = users.collection().find(Filters.regex("emails.address",
                Pattern.compile("^" + Pattern.quote(address) + "$", Pattern.CASE_INSENSITIVE))).first();
        if (user == null) {
            return false;
        }
        throw CaravanException.coded("error-email-send-failed", NO_MAIL_SERVER,
                Map.of("method", "registerUser", "message", "no mail server is configured"));
    }
}
