package chat.caravan.core.users;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.BlockedUsernames;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** users.checkUsernameAvailability and users.getUsernameSuggestion, as Rocket.Chat answers them. */
@Component("usernameEndpoints")
public class UsernameEndpoints {

    private final UserLookup users;
    private final Settings settings;
    private final BlockedUsernames blockedUsernames;
    private final MongoCollection<Document> teams;

    public UsernameEndpoints(UserLookup users, Settings settings, BlockedUsernames blockedUsernames, MongoDatabase database) {
        this.users = users;
        this.settings = settings;
        this.blockedUsernames = blockedUsernames;
        this.teams = database.getCollection(Collections.TEAMS);
    }

    /** {@code {result: true}} when the caller could take the username (their own counts as available). */
    public void checkAvailability(Exchange exchange) {
        String username = RestRequest.query(exchange, "username");
        if (username == null || username.isEmpty()) {
            throw CaravanException.invalidParams("must have required property 'username'");
        }
        Document me = users.byId(RestAuth.userId(exchange));
        if (me.getString(UserFields.USERNAME) != null && !settings.bool("Accounts_AllowUsernameChange", true)) {
            throw CaravanException.coded("error-not-allowed", "Not allowed", Map.of("method", "setUsername"));
        }
        boolean available = username.equals(me.getString(UserFields.USERNAME)) || available(username, true);
        RestReplies.ok(exchange, Map.of("result", available));
    }

    /** {@code {result: "<free username>"}} from the caller's name and verified e-mail, else the default prefix. */
    public void suggest(Exchange exchange) {
        Document me = users.byId(RestAuth.userId(exchange));
        List<String> candidates = new ArrayList<>();
        String name = me.getString(UserFields.NAME);
        if (name != null && !name.isBlank()) {
            candidates.add(slug(name));
            String[] parts = name.trim().split("\\s+");
            if (parts.length > 1) {
                String first = parts[0];
                String last = parts[parts.length - 1];
                candidates.add(slug(first.charAt(0) + last));
                candidates.add(slug(first + last.charAt(0)));
            }
        }
        for (Document email : me.getList(UserFields.EMAILS, Document.class, List.of())) {
            if (Boolean.TRUE.equals(email.getBoolean("verified")) && email.getString("address") != null) {
                candidates.add(slug(email.getString("address").replaceAll("@.+$", "")));
            }
        }
        for (String candidate : candidates) {
            if (!candidate.isEmpty() && available(candidate, false)) {
                RestReplies.ok(exchange, Map.of("result", candidate));
                return;
            }
        }
        String base = candidates.stream().filter(c -> !c.isEmpty()).findFirst()
                .orElse(settings.string("Accounts_DefaultUsernamePrefixSuggestion", "user"));
        long index = users.collection().countDocuments(Filters.regex(UserFields.USERNAME, "^" + Pattern.quote(base) + "-[0-9]+"));
        while (!available(base + "-" + index, false)) {
            index++;
        }
        RestReplies.ok(exchange, Map.of("result", base + "-" + index));
    }

    private boolean available(String username, boolean refuseBlocked) {
        if (refuseBlocked) {
            blockedUsernames.check(username);
        } else if (blockedUsernames.isBlocked(username)) {
            return false;
        }
        Pattern exact = Pattern.compile("^" + Pattern.quote(username.trim()) + "$", Pattern.CASE_INSENSITIVE);
        return users.collection().countDocuments(Filters.regex(UserFields.USERNAME, exact)) == 0
                && teams.countDocuments(Filters.regex("name", exact)) == 0;
    }

    private static String slug(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return ascii.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", ".").replaceAll("[^0-9a-z-_.]", "");
    }
}
