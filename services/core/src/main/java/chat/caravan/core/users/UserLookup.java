package chat.caravan.core.users;

import java.util.regex.Pattern;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Rocket.Chat's getUserFromParams: {@code userId} wins, then {@code username}, then {@code user}. */
@Component
public class UserLookup {

    private final MongoCollection<Document> users;

    public UserLookup(MongoDatabase database) {
        this.users = database.getCollection(Collections.USERS);
    }

    public MongoCollection<Document> collection() {
        return users;
    }

    /** The user the params name; 400 when none is named or none matches. */
    public Document fromParams(String userId, String username, String user) {
        Document found = find(userId, username, user);
        if (found == null) {
            if (blank(userId) && blank(username) && blank(user)) {
                throw CaravanException.coded("error-user-param-not-provided",
                        "The required \"userId\" or \"username\" param was not provided");
            }
            throw CaravanException.coded("error-invalid-user",
                    "The required \"userId\" or \"username\" param provided does not match any users");
        }
        return found;
    }

    /** The user the params name, or null. */
    public Document find(String userId, String username, String user) {
        if (!blank(userId)) {
            return users.find(Filters.eq(UserFields.ID, userId)).first();
        }
        String name = !blank(username) ? username : user;
        if (blank(name)) {
            return null;
        }
        Document exact = users.find(Filters.eq(UserFields.USERNAME, name)).first();
        return exact != null ? exact : users.find(Filters.regex(UserFields.USERNAME,
                Pattern.compile("^" + Pattern.quote(name) + "$", Pattern.CASE_INSENSITIVE))).first();
    }

    public Document byId(String id) {
        return users.find(Filters.eq(UserFields.ID, id)).first();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
