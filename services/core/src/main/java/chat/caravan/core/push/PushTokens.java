package chat.caravan.core.push;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.LoginTokenHash;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The devices' push tokens, one document per device in Rocket.Chat's {@code _raix_push_app_tokens}:
 * {@code {_id: device id, token: {apn|gcm: value}, voipToken?, appName, userId, authToken (hashed), enabled}}.
 * A token moves to the device that registers it last. Sending pushes (through a gateway) is not done yet.
 */
@Component
public class PushTokens {

    static final String ID = "_id";
    static final String TOKEN = "token";
    static final String VOIP_TOKEN = "voipToken";
    static final String APP_NAME = "appName";
    static final String USER_ID = "userId";
    static final String AUTH_TOKEN = "authToken";

    private final MongoCollection<Document> tokens;

    public PushTokens(MongoDatabase database) {
        this.tokens = database.getCollection(Collections.PUSH_TOKENS);
    }

    /** What a device registers: its id (a new one when the client sends none), the token and the app. */
    public record Registration(String deviceId, String type, String value, String appName, String voipToken) {
    }

    /**
     * Stores the device's token for the user logged in with {@code authToken}: the device's own document when it has
     * one, else the document already holding this token for this app, else a new one.
     */
    public Document register(String userId, String authToken, Registration registration) {
        Document token = new Document(registration.type(), registration.value());
        Document existing = registration.deviceId() != null ? tokens.find(Filters.eq(ID, registration.deviceId())).first() : null;
        if (existing == null) {
            existing = tokens.find(Filters.and(Filters.eq(TOKEN, token), Filters.eq(APP_NAME, registration.appName()))).first();
        }
        Date now = new Date();
        String id = existing != null ? existing.getString(ID) : registration.deviceId() != null ? registration.deviceId() : Ids.random();
        Document stored = existing != null ? existing : new Document(ID, id).append("createdAt", now).append("enabled", true);
        stored.put(TOKEN, token);
        stored.put(APP_NAME, registration.appName());
        stored.put(USER_ID, userId);
        stored.put(AUTH_TOKEN, authToken == null ? null : LoginTokenHash.of(authToken));
        if (registration.voipToken() != null) {
            stored.put(VOIP_TOKEN, registration.voipToken());
        }
        stored.put("updatedAt", now);
        tokens.replaceOne(Filters.eq(ID, id), stored, new com.mongodb.client.model.ReplaceOptions().upsert(true));
        // one device per token: an older document holding it (the app reinstalled, a new device id) goes
        tokens.deleteMany(Filters.and(Filters.eq(TOKEN, token), Filters.ne(ID, id)));
        Document reply = new Document(stored);
        reply.remove(AUTH_TOKEN);
        return reply;
    }

    /** Removes the caller's devices holding {@code token} (a push or a VoIP token); false when none did. */
    public boolean remove(String userId, String token) {
        Bson holding = Filters.or(Filters.eq(TOKEN + ".apn", token), Filters.eq(TOKEN + ".gcm", token), Filters.eq(VOIP_TOKEN, token));
        return tokens.deleteMany(Filters.and(holding, Filters.eq(USER_ID, userId))).getDeletedCount() > 0;
    }

    /** The user's registered devices (tokens and app), for tests and the later push sender. */
    public List<Document> devicesOf(String userId) {
        return tokens.find(Filters.eq(USER_ID, userId)).projection(new Document(AUTH_TOKEN, 0)).into(new ArrayList<>());
    }
}
