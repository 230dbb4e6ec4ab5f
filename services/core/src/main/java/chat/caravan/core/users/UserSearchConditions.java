package chat.caravan.core.users;

import java.util.Iterator;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.UserFields;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@code conditions} a client may add to a user search (users.autocomplete): field values combined with
 * {@code $and} / {@code $or}, nothing else, as Rocket.Chat's isValidQuery allows them. No other operator, and no
 * condition on secrets (services, e2e keys, invite tokens), so a search cannot probe what it cannot show.
 */
final class UserSearchConditions {

    private UserSearchConditions() {
    }

    static Bson parse(JsonNode conditions) {
        if (conditions == null || conditions.isNull()) {
            return new Document();
        }
        check(conditions);
        return new Document(CaravanJson.ejson().convertValue(conditions, Map.class));
    }

    private static void check(JsonNode node) {
        if (node.isArray()) {
            node.forEach(UserSearchConditions::check);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.startsWith("$")) {
                if (!key.equals("$and") && !key.equals("$or") || !field.getValue().isArray()) {
                    throw invalid();
                }
            } else if (UserFields.SECRETS.stream().anyMatch(secret -> key.equals(secret) || key.startsWith(secret + "."))) {
                throw invalid();
            }
            check(field.getValue());
        }
    }

    private static CaravanException invalid() {
        return CaravanException.plain("error-invalid-query");
    }
}
