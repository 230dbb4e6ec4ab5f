package chat.caravan.core.integrations;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import chat.caravan.common.error.CaravanException;
import chat.caravan.core.Caller;
import chat.caravan.core.messages.ChatEndpoints;
import chat.caravan.core.messages.MessageService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Posts a webhook's payload as messages, as Rocket.Chat's processWebhookMessage: to each of its channels
 * ({@code #room}, joined when public, {@code @user} for a direct message, or a room id), as the integration's user,
 * with {@code text}, {@code attachments}, and the alias, emoji or avatar of the payload or else the integration's.
 * Each message goes through the message pipeline like any other.
 */
@Component
public class WebhookMessages {

    private final ChatEndpoints chat;
    private final MessageService messages;

    public WebhookMessages(ChatEndpoints chat, MessageService messages) {
        this.chat = chat;
        this.messages = messages;
    }

    /** The messages sent, one per channel. */
    public List<Document> post(JsonNode payload, Caller user, Document integration, List<String> defaultChannels) {
        Set<String> channels = new LinkedHashSet<>();
        JsonNode target = payload.hasNonNull("channel") ? payload.get("channel") : payload.get("roomId");
        if (target != null && target.isArray()) {
            target.forEach(c -> channels.add(c.asText()));
        } else if (target != null && target.isTextual() && !target.asText().isEmpty()) {
            channels.add(target.asText());
        } else {
            channels.addAll(defaultChannels);
        }
        List<Document> sent = new ArrayList<>();
        for (String channel : channels) {
            if (channel.isBlank()) {
                throw CaravanException.coded("invalid-channel", null);
            }
            Document room = chat.resolveTarget(user, channel);
            sent.add(messages.sendFromIntegration(user, room.getString("_id"), message(payload), fields(payload, integration)));
        }
        return sent;
    }

    private static JsonNode message(JsonNode payload) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        String text = payload.path("text").isTextual() && !payload.get("text").asText().isEmpty() ? payload.get("text").asText()
                : payload.path("msg").asText("");
        message.put("msg", text.strip());
        if (payload.path("attachments").isArray()) {
            ArrayNode attachments = message.putArray("attachments");
            for (JsonNode attachment : payload.get("attachments")) {
                if (attachment.isObject() && attachment.has("msg")) {
                    ObjectNode copy = attachment.deepCopy();
                    copy.put("text", copy.remove("msg").asText("").strip());
                    attachments.add(copy);
                } else {
                    attachments.add(attachment);
                }
            }
        }
        if (payload.path("tmid").isTextual()) {
            message.set("tmid", payload.get("tmid"));
        }
        if (payload.path("customFields").isObject()) {
            message.set("customFields", payload.get("customFields"));
        }
        return message;
    }

    private static Document fields(JsonNode payload, Document integration) {
        Document fields = new Document();
        String alias = first(payload, "username", "alias");
        if (alias == null) {
            alias = integration.getString("alias");
        }
        if (alias != null && !alias.isEmpty()) {
            fields.put("alias", alias);
        }
        String avatar = first(payload, "icon_url", "avatar");
        String emoji = first(payload, "icon_emoji", "emoji");
        if (avatar != null) {
            fields.put("avatar", avatar);
        } else if (emoji != null) {
            fields.put("emoji", emoji);
        } else if (notEmpty(integration.getString("avatar"))) {
            fields.put("avatar", integration.getString("avatar"));
        } else if (notEmpty(integration.getString("emoji"))) {
            fields.put("emoji", integration.getString("emoji"));
        }
        fields.put("bot", new Document("i", integration.getString("_id")));
        fields.put("groupable", payload.path("groupable").isBoolean() && payload.get("groupable").asBoolean());
        return fields;
    }

    private static String first(JsonNode payload, String... names) {
        for (String name : names) {
            if (payload.path(name).isTextual() && !payload.get(name).asText().isEmpty()) {
                return payload.get(name).asText();
            }
        }
        return null;
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }
}
