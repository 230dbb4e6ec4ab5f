package chat.caravan.accounts.users;

import java.util.List;
import java.util.regex.Pattern;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Finds users the way Meteor's accounts do: username exact, then case-insensitive when unique; email any case. */
@Component
public class UserDirectory {

    private final MongoCollection<Document> users;

    public UserDirectory(MongoDatabase database) {
        this.users = database.getCollection(Collections.USERS);
        users.createIndex(Indexes.ascending(UserFields.USERNAME), new IndexOptions().unique(true).sparse(true));
        users.createIndex(Indexes.ascending(UserFields.LOGIN_TOKEN_HASH));
    }

    public MongoCollection<Document> collection() {
        return users;
    }

    public Document byId(String id) {
        return id == null ? null : users.find(Filters.eq(UserFields.ID, id)).first();
    }

    public Document byUsername(String username) {
        if (username == null || username.isEmpty()) {
            return null;
        }
        Document exact = users.find(Filters.eq(UserFields.USERNAME, username)).first();
        if (exact != null) {
            return exact;
        }
        List<Document> matches = users.find(Filters.regex(UserFields.USERNAME, caseInsensitive(username)))
                .limit(2).into(new java.util.ArrayList<>());
        return matches.size() == 1 ? matches.get(0) : null;
    }

    public Document byEmail(String email) {
        if (email == null || email.isEmpty()) {
            return null;
        }
        return users.find(Filters.regex(UserFields.EMAIL_ADDRESS, caseInsensitive(email))).first();
    }

    public boolean usernameTaken(String username, String exceptId) {
        return users.find(Filters.and(Filters.regex(UserFields.USERNAME, caseInsensitive(username)),
                Filters.ne(UserFields.ID, exceptId == null ? "" : exceptId))).first() != null;
    }

    public boolean emailTaken(String email, String exceptId) {
        return users.find(Filters.and(Filters.regex(UserFields.EMAIL_ADDRESS, caseInsensitive(email)),
                Filters.ne(UserFields.ID, exceptId == null ? "" : exceptId))).first() != null;
    }

    private static Pattern caseInsensitive(String value) {
        return Pattern.compile("^" + Pattern.quote(value) + "$", Pattern.CASE_INSENSITIVE);
    }
}
