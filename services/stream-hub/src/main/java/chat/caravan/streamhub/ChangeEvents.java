package chat.caravan.streamhub;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonValue;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Turns a MongoDB change event into the broadcast payload Rocket.Chat's services exchange:
 * {@code {eventId, clientAction: inserted|updated|removed, id, data?, diff?, unset?}}; strips secrets from user
 * events; attaches the trash copy of a removed document when core kept one.
 */
@Component("changeEvents")
public class ChangeEvents {

    private static final DocumentCodec DOCUMENTS = new DocumentCodec();

    private final MongoDatabase database;

    public ChangeEvents(MongoDatabase database) {
        this.database = database;
    }

    public Map<String, Object> toPayload(ChangeStreamDocument<Document> change, String eventId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("eventId", eventId);
        Object id = idOf(change.getDocumentKey() == null ? null : change.getDocumentKey().get("_id"));
        switch (change.getOperationType()) {
            case INSERT -> {
                payload.put("clientAction", "inserted");
                payload.put("id", id);
                payload.put("data", change.getFullDocument());
            }
            case UPDATE, REPLACE -> {
                payload.put("clientAction", "updated");
                payload.put("id", id);
                if (change.getUpdateDescription() != null) {
                    Document diff = new Document();
                    change.getUpdateDescription().getUpdatedFields().forEach((k, v) -> diff.put(k, toJava(v)));
                    payload.put("diff", diff);
                    Map<String, Integer> unset = new LinkedHashMap<>();
                    List<String> removed = change.getUpdateDescription().getRemovedFields();
                    if (removed != null) {
                        removed.forEach(field -> unset.put(field, 1));
                    }
                    payload.put("unset", unset);
                }
                if (change.getFullDocument() != null) {
                    payload.put("data", change.getFullDocument());
                }
            }
            case DELETE -> {
                payload.put("clientAction", "removed");
                payload.put("id", id);
            }
            default -> {
                return null;
            }
        }
        return payload;
    }

    /** Removes password hashes, login tokens and e2e keys from a users event, in the document and in the diff. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> withoutUserSecrets(Map<String, Object> payload) {
        if (payload.get("data") instanceof Document data) {
            UserFields.SECRETS.forEach(data::remove);
        }
        for (String part : List.of("diff", "unset")) {
            if (payload.get(part) instanceof Map<?, ?> fields) {
                ((Map<String, Object>) fields).keySet().removeIf(ChangeEvents::isSecretPath);
            }
        }
        return payload;
    }

    /** A removed document's last state, from the trash where core copied it before deleting. */
    public Map<String, Object> withTrashCopy(Map<String, Object> payload) {
        if ("removed".equals(payload.get("clientAction")) && payload.get("id") != null) {
            Document copy = database.getCollection(Collections.TRASH).find(Filters.eq("_id", payload.get("id"))).first();
            if (copy != null) {
                payload.put("data", copy);
            }
        }
        return payload;
    }

    private static boolean isSecretPath(String path) {
        for (String secret : UserFields.SECRETS) {
            if (path.equals(secret) || path.startsWith(secret + ".")) {
                return true;
            }
        }
        return false;
    }

    private static Object idOf(BsonValue id) {
        return id == null ? null : toJava(id);
    }

    /** A BSON value as the Java value a Document holds (dates stay dates), through the driver's own codec. */
    private static Object toJava(BsonValue value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return DOCUMENTS.decode(new BsonDocumentReader(new BsonDocument("v", value)), DecoderContext.builder().build())
                .get("v");
    }
}
