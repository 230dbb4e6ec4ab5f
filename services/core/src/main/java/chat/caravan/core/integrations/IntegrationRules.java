package chat.caravan.core.integrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.Caller;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * What an incoming or outgoing webhook may be, as Rocket.Chat validates it (addIncomingIntegration,
 * validateOutgoingIntegration): its channels, the user it posts as, its event, URLs, trigger words and retries.
 * Instead of Rocket.Chat's JavaScript {@code script}, a webhook may name a {@code transformRoute}: the
 * {@code direct:} endpoint of a route (YAML) that transforms its payload.
 */
@Component
public class IntegrationRules {

    /** Rocket.Chat's outgoing events, and whether each is filtered by channel and by trigger words. */
    static final Map<String, boolean[]> EVENTS = Map.of(
            "sendMessage", new boolean[] {true, true},
            "fileUploaded", new boolean[] {true, false},
            "roomArchived", new boolean[] {false, false},
            "roomCreated", new boolean[] {false, false},
            "roomJoined", new boolean[] {true, false},
            "roomLeft", new boolean[] {true, false},
            "userCreated", new boolean[] {false, false});
    static final List<String> SCOPES = List.of("all_public_channels", "all_private_groups", "all_direct_messages");
    private static final Pattern TRANSFORM_ROUTE = Pattern.compile("direct:[A-Za-z0-9._-]{1,100}");
    private static final List<String> RETRY_DELAYS = List.of("powers-of-ten", "powers-of-two", "increments-of-two");

    private final RoomStore store;
    private final Authorization authorization;

    public IntegrationRules(RoomStore store, Authorization authorization) {
        this.store = store;
        this.authorization = authorization;
    }

    public Document newIncoming(Caller caller, JsonNode body) {
        requireTypes(body, "name", "username", "channel");
        requireBooleans(body, "enabled", "scriptEnabled");
        if (!authorization.hasPermission(caller.id(), "manage-incoming-integrations")
                && !authorization.hasPermission(caller.id(), "manage-own-incoming-integrations")) {
            throw CaravanException.coded("not_authorized", "Unauthorized", Map.of("method", "addIncomingIntegration"));
        }
        String channel = body.get("channel").asText();
        if (channel.isBlank()) {
            throw CaravanException.coded("error-invalid-channel", "Invalid channel");
        }
        List<String> channels = csv(channel);
        for (String entry : channels) {
            if (entry.isEmpty() || (entry.charAt(0) != '@' && entry.charAt(0) != '#')) {
                throw CaravanException.coded("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #");
            }
        }
        Document user = postAs(body.get("username").asText());
        requireChannels(caller, channels, "incoming");
        Document integration = common(body, IntegrationStore.INCOMING, user);
        integration.put("channel", channels);
        integration.put("overrideDestinationChannelEnabled", body.path("overrideDestinationChannelEnabled").asBoolean(false));
        integration.put("token", Ids.random() + Ids.random() + Ids.random().substring(0, 14));
        return integration;
    }

    public Document newOutgoing(Caller caller, JsonNode body) {
        requireTypes(body, "name", "username");
        requireBooleans(body, "enabled", "scriptEnabled");
        if (!authorization.hasPermission(caller.id(), "manage-outgoing-integrations")
                && !authorization.hasPermission(caller.id(), "manage-own-outgoing-integrations")) {
            throw CaravanException.coded("not_authorized", null);
        }
        String event = body.path("event").asText("");
        boolean[] use = EVENTS.get(event);
        if (use == null) {
            throw CaravanException.coded("error-invalid-event-type", "Invalid event type");
        }
        if (body.get("username").asText().isBlank()) {
            throw CaravanException.coded("error-invalid-username", "Invalid username");
        }
        if ("userCreated".equals(event) && !body.path("targetRoom").isTextual()) {
            throw CaravanException.coded("error-invalid-targetRoom", "Invalid Target Room");
        }
        List<String> urls = new ArrayList<>();
        if (!body.path("urls").isArray()) {
            throw CaravanException.coded("error-invalid-urls", "Invalid URLs");
        }
        for (JsonNode url : body.get("urls")) {
            if (!url.isTextual()) {
                throw CaravanException.coded("error-invalid-urls", "Invalid URLs");
            }
            String value = url.asText().trim();
            if (!value.isEmpty()) {
                if (!value.startsWith("http://") && !value.startsWith("https://")) {
                    throw CaravanException.coded("error-invalid-urls", "Invalid URLs");
                }
                urls.add(value);
            }
        }
        if (urls.isEmpty()) {
            throw CaravanException.coded("error-invalid-urls", "Invalid URLs");
        }
        List<String> channels = List.of();
        if (use[0]) {
            if (!body.path("channel").isTextual()) {
                throw CaravanException.coded("error-invalid-channel", "Invalid Channel");
            }
            channels = csv(body.get("channel").asText());
            for (String entry : channels) {
                if (!SCOPES.contains(entry.toLowerCase(java.util.Locale.ROOT))
                        && (entry.isEmpty() || (entry.charAt(0) != '@' && entry.charAt(0) != '#'))) {
                    throw CaravanException.coded("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #");
                }
            }
        } else if (!authorization.hasPermission(caller.id(), "manage-outgoing-integrations")) {
            throw CaravanException.coded("error-invalid-permissions", "Invalid permission for required Integration creation.");
        }
        Document user = store.users().find(Filters.eq(UserFields.USERNAME, body.get("username").asText())).first();
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)");
        }
        Document integration = common(body, IntegrationStore.OUTGOING, user);
        integration.put("event", event);
        integration.put("urls", urls);
        integration.put("channel", channels);
        if (use[1] && body.path("triggerWords").isArray()) {
            List<String> words = new ArrayList<>();
            for (JsonNode word : body.get("triggerWords")) {
                if (!word.isTextual()) {
                    throw CaravanException.coded("error-invalid-triggerWords", "Invalid triggerWords");
                }
                if (!word.asText().trim().isEmpty()) {
                    words.add(word.asText());
                }
            }
            integration.put("triggerWords", words);
        }
        for (String flag : List.of("impersonateUser", "runOnEdits", "triggerWordAnywhere", "retryFailedCalls")) {
            if (body.path(flag).isBoolean()) {
                integration.put(flag, body.get(flag).asBoolean());
            }
        }
        for (String text : List.of("token", "targetRoom")) {
            if (body.path(text).isTextual()) {
                integration.put(text, body.get(text).asText());
            }
        }
        if (Boolean.TRUE.equals(integration.getBoolean("retryFailedCalls"))) {
            int count = body.path("retryCount").asInt(0);
            integration.put("retryCount", count > 0 ? count : 4);
            String delay = body.path("retryDelay").asText("").trim().toLowerCase(java.util.Locale.ROOT);
            if (!delay.isEmpty() && !RETRY_DELAYS.contains(delay)) {
                throw CaravanException.coded("error-invalid-retryDelay", "Invalid retry delay");
            }
            integration.put("retryDelay", delay.isEmpty() ? "powers-of-ten" : delay);
        }
        requireChannels(caller, channels.stream().filter(c -> !SCOPES.contains(c.toLowerCase(java.util.Locale.ROOT))).toList(), "outgoing");
        if (channels.stream().anyMatch(c -> c.equalsIgnoreCase("all_private_groups") || c.equalsIgnoreCase("all_direct_messages"))
                && !authorization.hasPermission(caller.id(), "manage-outgoing-integrations")) {
            throw CaravanException.coded("error-invalid-channel", "Invalid Channel");
        }
        return integration;
    }

    /** The fields both kinds share. */
    private static Document common(JsonNode body, String type, Document user) {
        Document integration = new Document("type", type)
                .append("name", body.get("name").asText())
                .append("enabled", body.get("enabled").asBoolean())
                .append("username", user.getString(UserFields.USERNAME))
                .append("userId", user.getString(UserFields.ID))
                .append("scriptEnabled", body.get("scriptEnabled").asBoolean())
                .append("scriptEngine", "isolated-vm");
        for (String text : List.of("alias", "emoji", "avatar", "script")) {
            if (body.path(text).isTextual()) {
                integration.put(text, body.get(text).asText());
            }
        }
        if (body.hasNonNull("transformRoute")) {
            String route = body.get("transformRoute").asText("");
            if (!TRANSFORM_ROUTE.matcher(route).matches()) {
                throw CaravanException.coded("error-invalid-transform-route",
                        "transformRoute must name a direct: endpoint, e.g. direct:my-transform");
            }
            integration.put("transformRoute", route);
        }
        return integration;
    }

    /** The user an incoming webhook posts as; like Rocket.Chat, it gets the bot role. */
    private Document postAs(String username) {
        if (username.isBlank()) {
            throw CaravanException.coded("error-invalid-username", "Invalid username");
        }
        Document user = store.users().find(Filters.eq(UserFields.USERNAME, username)).first();
        if (user == null) {
            throw CaravanException.coded("error-invalid-user", "Invalid user");
        }
        store.users().updateOne(Filters.eq("_id", user.getString("_id")), Updates.addToSet(UserFields.ROLES, "bot"));
        return user;
    }

    /** Each {@code #room} or {@code @user} exists, and one who may not manage all webhooks is in it. */
    private void requireChannels(Caller caller, List<String> channels, String kind) {
        boolean manager = authorization.hasAllPermission(caller.id(),
                List.of("manage-" + kind + "-integrations", "manage-own-" + kind + "-integrations"), null);
        for (String channel : channels) {
            String name = channel.substring(1);
            Document record = channel.charAt(0) == '#'
                    ? store.rooms().find(Filters.or(Filters.eq("_id", name), Filters.eq("name", name))).first()
                    : store.users().find(Filters.or(Filters.eq("_id", name), Filters.eq(UserFields.USERNAME, name))).first();
            if (record == null) {
                throw CaravanException.coded("error-invalid-room", "Invalid room");
            }
            if (!manager && store.subscription(record.getString("_id"), caller.id()) == null) {
                throw CaravanException.coded("error-invalid-channel", "Invalid Channel");
            }
        }
    }

    private static List<String> csv(String value) {
        List<String> entries = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (!entry.trim().isEmpty()) {
                entries.add(entry.trim());
            }
        }
        return entries;
    }

    private static void requireTypes(JsonNode body, String... names) {
        for (String name : names) {
            if (!body.has(name)) {
                throw CaravanException.invalidParams("must have required property '" + name + "'");
            }
            if (!body.get(name).isTextual()) {
                throw CaravanException.invalidParams("must be string '" + name + "'");
            }
        }
    }

    private static void requireBooleans(JsonNode body, String... names) {
        for (String name : names) {
            if (!body.has(name)) {
                throw CaravanException.invalidParams("must have required property '" + name + "'");
            }
            if (!body.get(name).isBoolean()) {
                throw CaravanException.invalidParams("must be boolean '" + name + "'");
            }
        }
    }
}
