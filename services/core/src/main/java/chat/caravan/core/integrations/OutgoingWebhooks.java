package chat.caravan.core.integrations;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.Ids;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.LazyProducer;
import chat.caravan.core.pipeline.MessagePipeline;
import chat.caravan.core.pipeline.PipelineHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's outgoing webhooks. As pipeline steps ({@link #messageSaved}, {@link #roomEvent}, {@link #userCreated})
 * it picks the enabled webhooks of the event whose channels and trigger words match, builds Rocket.Chat's payload
 * and queues one call per URL on {@value #QUEUE}; the route there (routes/core/integrations.yaml) POSTs it with
 * camel-http off the sender's thread ({@link #prepareCall}), posts the reply's {@code text} or {@code attachments} back
 * to the room ({@link #replied}), and retries a failed call with the webhook's backoff ({@link #failed}). Each call
 * is recorded in {@code rocketchat_integration_history}.
 */
@Component("outgoingWebhooks")
public class OutgoingWebhooks {

    public static final String QUEUE = "seda:integrations.outgoing";
    /** Header on a queued call: how long to wait before it (a retry's backoff), in milliseconds. */
    public static final String RETRY_DELAY = "caravanRetryDelay";
    /** Exchange property: the URL to call, set by {@link #prepareCall} when the call goes ahead. */
    public static final String URL = "caravanWebhookUrl";
    private static final String JOB = "caravanWebhookJob";
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingWebhooks.class);
    private static final List<String> JSON_TYPES = List.of("application/json", "text/javascript", "application/javascript",
            "application/x-javascript");

    private final IntegrationStore store;
    private final WebhookMessages messages;
    private final TransformRoutes transforms;
    private final Settings settings;
    private final MongoDatabase database;
    private final LazyProducer producer;

    public OutgoingWebhooks(IntegrationStore store, WebhookMessages messages, TransformRoutes transforms, Settings settings,
            MongoDatabase database, CamelContext camel) {
        this.store = store;
        this.messages = messages;
        this.transforms = transforms;
        this.settings = settings;
        this.database = database;
        this.producer = new LazyProducer(camel);
    }

    /** message.afterSave step: event {@code sendMessage} for a user's new or edited message (and fileUploaded). */
    public void messageSaved(Exchange exchange) {
        String event = exchange.getIn().getHeader(PipelineHeaders.EVENT, String.class);
        if (!PipelineHeaders.SEND.equals(event) && !PipelineHeaders.UPDATE.equals(event)) {
            return;
        }
        List<Document> sendMessage = store.outgoing("sendMessage");
        boolean file = PipelineHeaders.SEND.equals(event) && exchange.getIn().getBody(Document.class) != null
                && exchange.getIn().getBody(Document.class).get("file") != null;
        List<Document> fileUploaded = file ? store.outgoing("fileUploaded") : List.of();
        if (sendMessage.isEmpty() && fileUploaded.isEmpty()) {
            return;
        }
        Document message = exchange.getIn().getBody(Document.class);
        Document room = header(exchange, PipelineHeaders.ROOM);
        if (message == null || room == null) {
            return;
        }
        String text = message.getString("msg") == null ? "" : message.getString("msg");
        for (Document integration : sendMessage) {
            if (!listens(integration, room, message) || postedBy(integration, message)) {
                continue;
            }
            String word = triggerWord(integration, text);
            if (word == null) {
                continue;
            }
            if (message.get("editedAt") != null && !Boolean.TRUE.equals(integration.getBoolean("runOnEdits"))) {
                continue;
            }
            Map<String, Object> data = messageData(integration, message, room);
            if (!word.isEmpty()) {
                data.put("trigger_word", word);
            }
            queue(integration, "sendMessage", data, room.getString("_id"), word);
        }
        for (Document integration : fileUploaded) {
            if (listens(integration, room, message) && !postedBy(integration, message)) {
                Map<String, Object> data = messageData(integration, message, room);
                data.put("user", header(exchange, PipelineHeaders.USER));
                data.put("room", room);
                data.put("message", message);
                queue(integration, "fileUploaded", data, room.getString("_id"), "");
            }
        }
    }

    /** room.after* step: roomCreated, roomJoined, roomLeft, roomArchived. */
    public void roomEvent(Exchange exchange) {
        String event = exchange.getIn().getHeader(PipelineHeaders.EVENT, String.class);
        List<Document> integrations = event == null ? List.of() : store.outgoing(event);
        if (integrations.isEmpty()) {
            return;
        }
        Document room = header(exchange, PipelineHeaders.ROOM);
        Document user = header(exchange, PipelineHeaders.USER);
        if (room == null || user == null) {
            return;
        }
        boolean byChannel = IntegrationRules.EVENTS.get(event)[0];
        for (Document integration : integrations) {
            if (byChannel && !listens(integration, room, null)) {
                continue;
            }
            Map<String, Object> data = base(integration);
            data.put("channel_id", room.getString("_id"));
            data.put("channel_name", room.getString("name"));
            data.put("timestamp", "roomCreated".equals(event) ? room.get("ts") : new Date());
            data.put("user_id", user.getString("_id"));
            data.put("user_name", user.getString("username"));
            if ("roomCreated".equals(event)) {
                data.put("owner", user);
            } else {
                data.put("user", user);
                if ("bot".equals(user.getString("type"))) {
                    data.put("bot", true);
                }
            }
            data.put("room", room);
            queue(integration, event, data, room.getString("_id"), "");
        }
    }

    /** user.afterCreate step: userCreated. */
    public void userCreated(Exchange exchange) {
        List<Document> integrations = store.outgoing("userCreated");
        Document user = exchange.getIn().getBody(Document.class);
        if (integrations.isEmpty() || user == null) {
            return;
        }
        for (Document integration : integrations) {
            Map<String, Object> data = base(integration);
            data.put("timestamp", user.get("createdAt"));
            data.put("user_id", user.getString("_id"));
            data.put("user_name", user.getString("username"));
            data.put("user", user);
            if ("bot".equals(user.getString("type"))) {
                data.put("bot", true);
            }
            queue(integration, "userCreated", data, null, "");
        }
    }

    /**
     * First step of a queued call: the payload (through the webhook's transformRoute, if it names one) as the JSON
     * body of a POST to the URL. A webhook disabled or removed meanwhile, or a payload the route dropped, is not sent.
     */
    @SuppressWarnings("unchecked")
    public void prepareCall(Exchange exchange) {
        Map<String, Object> job = exchange.getIn().getBody(Map.class);
        exchange.setProperty(JOB, job);
        exchange.removeProperty(URL);
        Document integration = store.byId((String) job.get("integrationId"));
        String historyId = (String) job.get("historyId");
        if (integration == null || !Boolean.TRUE.equals(integration.getBoolean("enabled"))) {
            LOG.info("Outgoing webhook {} no longer enabled: call to {} dropped", job.get("integrationId"), job.get("url"));
            history(historyId, new Document("step", "trigger-no-longer-enabled").append("finished", true));
            return;
        }
        JsonNode data = CaravanJson.ejson().valueToTree(job.get("data"));
        if (integration.getString("transformRoute") != null) {
            try {
                data = transforms.transform(integration, data);
            } catch (RuntimeException e) {
                history(historyId, new Document("step", "after-maybe-ran-prepare").append("error", true)
                        .append("errorStack", e.getMessage()).append("finished", true));
                return;
            }
            if (data == null) {
                history(historyId, new Document("step", "after-prepare-no-opts").append("finished", true));
                return;
            }
        }
        String url = (String) job.get("url");
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getIn().setHeader(Exchange.HTTP_URI, url);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setBody(CaravanJson.toRestJson(data));
        exchange.setProperty(URL, url);
        history(historyId, new Document("step", "pre-http-call").append("url", url)
                .append("httpCallData", CaravanJson.ejson().convertValue(data, Map.class)));
    }

    /** The webhook answered: a reply with text or attachments is posted back; a failure is retried. */
    @SuppressWarnings("unchecked")
    public void replied(Exchange exchange) {
        Map<String, Object> job = exchange.getProperty(JOB, Map.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String content = exchange.getMessage().getBody(String.class);
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).split(";")[0].trim();
        String historyId = (String) job.get("historyId");
        Document integration = store.byId((String) job.get("integrationId"));
        history(historyId, new Document("step", "after-http-call").append("httpResult", content).append("httpError", null));
        if (integration == null) {
            return;
        }
        boolean success = status >= 200 && status < 300;
        if (!success || content == null || content.isEmpty()) {
            if (content != null && !content.isEmpty() && status == 410) {
                LOG.warn("Outgoing webhook {} disabled: {} answered 410 Gone", integration.getString("_id"), job.get("url"));
                store.disable(integration.getString("_id"));
                history(historyId, new Document("step", "after-process-http-status-410").append("error", true));
                return;
            }
            if (content != null && !content.isEmpty() && status == 500) {
                history(historyId, new Document("step", "after-process-http-status-500").append("error", true));
                return;
            }
            if (success) {
                history(historyId, new Document("step", "after-http-call").append("finished", true));
                return;
            }
            retry(job, integration, "HTTP " + status);
            return;
        }
        JsonNode reply = null;
        if (JSON_TYPES.contains(type)) {
            try {
                reply = CaravanJson.ejson().readTree(content);
            } catch (java.io.IOException e) {
                reply = null;
            }
        }
        if (reply == null || !reply.isObject() || (!reply.hasNonNull("text") && !reply.hasNonNull("attachments"))) {
            history(historyId, new Document("step", "after-http-call").append("finished", true));
            return;
        }
        try {
            List<Document> sent = postReply(integration, job, (ObjectNode) reply);
            history(historyId, new Document("step", "url-response-sent-message").append("finished", true)
                    .append("resultMessage", sent));
        } catch (RuntimeException e) {
            LOG.warn("Outgoing webhook {}: its reply could not be posted: {}", integration.getString("_id"), e.getMessage());
            history(historyId, new Document("step", "url-response-sent-message").append("error", true)
                    .append("errorStack", e.getMessage()).append("finished", true));
        }
    }

    /** The call failed (no connection, a timeout): retried as the webhook says. */
    @SuppressWarnings("unchecked")
    public void failed(Exchange exchange) {
        Map<String, Object> job = exchange.getProperty(JOB, Map.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = failure == null ? "unknown" : failure.toString();
        history((String) job.get("historyId"), new Document("step", "after-http-call").append("httpError", error)
                .append("httpResult", null));
        Document integration = store.byId((String) job.get("integrationId"));
        if (integration != null) {
            retry(job, integration, error);
        }
    }

    private void retry(Map<String, Object> job, Document integration, String why) {
        String historyId = (String) job.get("historyId");
        int tries = ((Number) job.getOrDefault("tries", 0)).intValue();
        if (!Boolean.TRUE.equals(integration.getBoolean("retryFailedCalls"))) {
            LOG.info("Outgoing webhook {} to {} failed ({}), not retried", integration.getString("_id"), job.get("url"), why);
            history(historyId, new Document("step", "failed-and-not-configured-to-retry").append("error", true).append("finished", true));
            return;
        }
        int retryCount = integration.getInteger("retryCount", 4);
        if (tries >= retryCount) {
            LOG.info("Outgoing webhook {} to {} failed ({}) after {} retries", integration.getString("_id"), job.get("url"), why, tries);
            history(historyId, new Document("step", "too-many-retries").append("error", true).append("finished", true));
            return;
        }
        long wait = switch (integration.getString("retryDelay") == null ? "powers-of-ten" : integration.getString("retryDelay")) {
            case "powers-of-two" -> (long) Math.pow(2, tries + 1) * 1000;
            case "increments-of-two" -> (tries + 1) * 2_000L;
            default -> (long) Math.pow(10, tries + 2);
        };
        history(historyId, new Document("step", "going-to-retry-" + (tries + 1)).append("error", true));
        Map<String, Object> next = new LinkedHashMap<>(job);
        next.put("tries", tries + 1);
        LOG.info("Outgoing webhook {} to {} failed ({}), retry {} in {} ms", integration.getString("_id"), job.get("url"), why,
                tries + 1, wait);
        producer.get().sendBodyAndHeader(QUEUE, next, RETRY_DELAY, wait);
    }

    /** Rocket.Chat's sendMessage of an outgoing webhook: to the reply's channel, the target room or the event's room. */
    private List<Document> postReply(Document integration, Map<String, Object> job, ObjectNode reply) {
        Caller user = null;
        if (Boolean.TRUE.equals(integration.getBoolean("impersonateUser")) && job.get("data") instanceof Map<?, ?> data
                && data.get("user_name") instanceof String username) {
            Document found = database.getCollection("users").find(Filters.eq("username", username)).first();
            user = found == null ? null : Caller.byId(found.getString("_id"), database);
        }
        if (user == null) {
            Document bot = database.getCollection("users").find(Filters.eq("username", integration.getString("username"))).first();
            if (bot == null) {
                throw new IllegalStateException("the webhook's user " + integration.getString("username") + " no longer exists");
            }
            user = Caller.byId(bot.getString("_id"), database);
        }
        String target = reply.path("channel").isTextual() ? reply.get("channel").asText()
                : integration.getString("targetRoom") != null ? integration.getString("targetRoom")
                : job.get("roomId") != null ? (String) job.get("roomId") : null;
        if (target == null) {
            LOG.warn("Outgoing webhook {} has no room to post its reply to", integration.getString("_id"));
            return List.of();
        }
        reply.remove("channel");
        reply.remove("roomId");
        reply.put("channel", target);
        return messages.post(reply, user, integration, List.of());
    }

    private void queue(Document integration, String event, Map<String, Object> data, String roomId, String word) {
        for (String url : integration.getList("urls", String.class, List.of())) {
            String historyId = Ids.random();
            Date now = new Date();
            Document history = new Document("_id", historyId).append("type", "outgoing-webhook")
                    .append("step", "mapped-args-to-data").append("integration", integration).append("event", event)
                    .append("data", data).append("url", url).append("_createdAt", now).append("_updatedAt", now);
            if (!word.isEmpty()) {
                history.append("triggerWord", word);
            }
            store.history().insertOne(history);
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("integrationId", integration.getString("_id"));
            job.put("url", url);
            job.put("historyId", historyId);
            job.put("event", event);
            job.put("roomId", roomId);
            job.put("data", data);
            job.put("tries", 0);
            producer.get().sendBodyAndHeader(QUEUE, job, RETRY_DELAY, 0L);
        }
    }

    private void history(String historyId, Document changes) {
        if (historyId == null) {
            return;
        }
        changes.append("_updatedAt", new Date());
        store.history().updateOne(Filters.eq("_id", historyId), new Document("$set", changes));
    }

    private Map<String, Object> base(Document integration) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", integration.getString("token"));
        data.put("bot", false);
        return data;
    }

    private Map<String, Object> messageData(Document integration, Document message, Document room) {
        Map<String, Object> data = base(integration);
        Document author = message.get("u") instanceof Document u ? u : new Document();
        data.put("channel_id", room.getString("_id"));
        data.put("channel_name", room.getString("name"));
        data.put("message_id", message.getString("_id"));
        data.put("timestamp", message.get("ts"));
        data.put("user_id", author.getString("_id"));
        data.put("user_name", author.getString("username"));
        data.put("text", message.getString("msg"));
        data.put("siteUrl", settings.string("Site_Url", ""));
        if (message.getString("alias") != null) {
            data.put("alias", message.getString("alias"));
        }
        if (message.get("bot") != null) {
            data.put("bot", message.get("bot"));
        }
        if (message.get("editedAt") != null) {
            data.put("isEdited", true);
        }
        if (message.getString("tmid") != null) {
            data.put("tmid", message.getString("tmid"));
        }
        return data;
    }

    /** Rocket.Chat's getTriggersToExecute: the webhook's channels name this room, its kind, or a DM member. */
    static boolean listens(Document integration, Document room, Document message) {
        List<String> channels = integration.getList("channel", String.class, List.of());
        String type = room.getString("t");
        String id = room.getString("_id");
        String name = room.getString("name");
        if ("d".equals(type)) {
            if (channels.contains("all_direct_messages")) {
                return true;
            }
            for (String uid : room.getList("uids", String.class, List.of())) {
                if (channels.contains("@" + uid)) {
                    return true;
                }
            }
            String sender = message != null && message.get("u") instanceof Document u ? u.getString("username") : null;
            for (String username : room.getList("usernames", String.class, List.of())) {
                if (!username.equals(sender) && channels.contains("@" + username)) {
                    return true;
                }
            }
            return false;
        }
        if (channels.contains("c".equals(type) ? "all_public_channels" : "all_private_groups")) {
            return true;
        }
        return channels.contains("#" + id) || (name != null && channels.contains("#" + name));
    }

    /** The trigger word the text starts with (or holds, with triggerWordAnywhere); "" when the webhook has none; null: no match. */
    static String triggerWord(Document integration, String text) {
        List<String> words = integration.getList("triggerWords", String.class, List.of());
        if (words.isEmpty()) {
            return "";
        }
        boolean anywhere = Boolean.TRUE.equals(integration.getBoolean("triggerWordAnywhere"));
        for (String word : words) {
            if (anywhere ? text.contains(word) : text.startsWith(word)) {
                return word;
            }
        }
        return null;
    }

    /** A webhook's own reply does not trigger it again. */
    private static boolean postedBy(Document integration, Document message) {
        return message.get("bot") instanceof Map<?, ?> bot && integration.getString("_id").equals(bot.get("i"));
    }

    private static Document header(Exchange exchange, String name) {
        return MessagePipeline.asDocument(exchange.getIn().getHeader(name));
    }

}
