package chat.caravan.core;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.auth.RestAuth;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;

/** Who is asking: the authenticated user's id, username and document, for REST and DDP alike. */
public record Caller(String id, String username, Document user) {

    /** The caller of an authenticated REST request. */
    public static Caller of(Exchange exchange, RestAuth auth, MongoDatabase database) {
        auth.authenticate(exchange);
        return byId(RestAuth.userId(exchange), database);
    }

    public static Caller byId(String userId, MongoDatabase database) {
        Document user = userId == null ? null
                : database.getCollection(Collections.USERS).find(Filters.eq(UserFields.ID, userId)).first();
        if (user == null) {
            throw CaravanException.notLoggedIn();
        }
        return new Caller(userId, user.getString(UserFields.USERNAME), user);
    }
}
