package chat.caravan.core;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * As {@link #of}, the user taken from the token check instead of read again: the user as accounts validated it
     * (without secrets, remembered with the token until the user changes or a few seconds pass). For the paths that
     * need only who the caller is (a message's author), run once per message.
     */
    public static Caller authenticated(Exchange exchange, RestAuth auth, MongoDatabase database) {
        auth.authenticate(exchange);
        String userId = RestAuth.userId(exchange);
        JsonNode user = RestAuth.user(exchange);
        if (user == null || !user.isObject() || !userId.equals(user.path(UserFields.ID).asText(null))
                || !user.path(UserFields.USERNAME).isTextual()) {
            return byId(userId, database);
        }
        return new Caller(userId, user.get(UserFields.USERNAME).asText(), Document.parse(user.toString()));
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
