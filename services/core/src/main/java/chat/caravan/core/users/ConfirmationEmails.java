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
 * Resending the e-mail that verifies an address: {@code users.sendConfirmationEmail} (8.0 and later) and the DDP
 * {@code sendConfirmationEmail} before. This server has no mail sender configured, so for a known address the answer
 * is Rocket.Chat's send failure with that reason, never a pretended success.
 */
@Component("confirmationEmails")
public class ConfirmationEmails {

    static final String NO_MAIL_SERVER = "Error trying to send email: no mail server is configured";

    private final UserLookup users;
    private final RestAuth auth;

    public ConfirmationEmails(UserLookup users, RestAuth auth) {
        this.users = users;
        this.auth = auth;
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
