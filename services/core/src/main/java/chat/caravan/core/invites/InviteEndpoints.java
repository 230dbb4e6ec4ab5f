package chat.caravan.core.invites;

import java.util.Map;
import java.util.Set;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.mongodb.client.MongoDatabase;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * findOrCreateInvite, listInvites, removeInvite/:_id, useInviteToken and validateInviteToken (the one route that
 * needs no login). Their bodies are checked as Rocket.Chat's schemas check them.
 */
@Component("inviteEndpoints")
public class InviteEndpoints {

    private final InviteService invites;
    private final RestAuth auth;
    private final MongoDatabase database;

    public InviteEndpoints(InviteService invites, RestAuth auth, MongoDatabase database) {
        this.invites = invites;
        this.auth = auth;
        this.database = database;
    }

    public void findOrCreate(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        onlyProperties(params, Set.of("rid", "days", "maxUses"));
        String rid = params.requiredText("rid");
        int days = integer(params, "days");
        int maxUses = integer(params, "maxUses");
        RestReplies.ok(exchange, invites.findOrCreate(caller.id(), rid, days, maxUses));
    }

    /** The invites themselves as the body: Rocket.Chat answers this one with a bare array. */
    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        RestReplies.write(exchange, 200, CaravanJson.ejson().valueToTree(invites.list(caller.id())));
    }

    /** Answers a bare {@code true}, as Rocket.Chat does. */
    public void remove(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        invites.remove(caller.id(), exchange.getIn().getHeader("inviteId", String.class));
        RestReplies.write(exchange, 200, BooleanNode.TRUE);
    }

    public void use(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        onlyProperties(params, Set.of("token"));
        String token = params.requiredText("token");
        RestReplies.ok(exchange, invites.use(caller.user(), token));
    }

    /** Whether a token is usable now; any failure is just {@code valid: false}. */
    public void validate(Exchange exchange) {
        Params params = Params.of(exchange);
        onlyProperties(params, Set.of("token"));
        String token = params.requiredText("token");
        boolean valid;
        try {
            Document[] found = invites.validate(token);
            valid = found != null;
        } catch (CaravanException e) {
            valid = false;
        }
        RestReplies.ok(exchange, Map.of("valid", valid));
    }

    private static void onlyProperties(Params params, Set<String> allowed) {
        JsonNode body = params.body();
        if (body == null) {
            return;
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw CaravanException.invalidParams("must NOT have additional properties");
            }
        });
    }

    /** An integer, or a string of one (the schema coerces types). */
    private static int integer(Params params, String name) {
        JsonNode value = params.node(name);
        if (value == null || value.isNull()) {
            throw CaravanException.invalidParams("must have required property '" + name + "'");
        }
        if (value.isIntegralNumber()) {
            return value.asInt();
        }
        if (value.isTextual() && value.asText().matches("-?\\d{1,9}")) {
            return Integer.parseInt(value.asText());
        }
        throw CaravanException.invalidParams("must be integer");
    }
}
