package chat.caravan.core.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.caravan.common.bus.BusUnavailableException;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.rest.RestErrors;
import chat.caravan.core.LazyProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs the message and lifecycle routes of routes/core/message-pipeline.yaml, in this thread and this JVM (direct:
 * endpoints, the message document itself as the body: nothing is serialised). Every write of a message passes here:
 * {@link #beforeSave} may change or refuse it, {@link #afterSave} sees it stored, {@link #afterDelete} sees it gone.
 */
@Component
public class MessagePipeline {

    public static final String BEFORE_SAVE = "direct:message.beforeSave";
    public static final String AFTER_SAVE = "direct:message.afterSave";
    public static final String AFTER_DELETE = "direct:message.afterDelete";
    public static final String ROOM_CREATED = "direct:room.afterCreate";
    public static final String ROOM_JOINED = "direct:room.afterJoin";
    public static final String ROOM_LEFT = "direct:room.afterLeave";
    public static final String ROOM_ARCHIVED = "direct:room.afterArchive";
    public static final String USER_CREATED = "direct:user.afterCreate";

    private static final Logger LOG = LoggerFactory.getLogger(MessagePipeline.class);
    private static final List<String> SECRET_USER_FIELDS = List.of("services", "e2e", "inviteToken");

    private final CamelContext camel;
    private final LazyProducer producer;
    private final Map<String, Endpoint> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

    public MessagePipeline(CamelContext camel) {
        this.camel = camel;
        this.producer = new LazyProducer(camel);
    }

    /**
     * A user's new or edited message before it is stored: the steps may change it (the returned document is what is
     * stored) or refuse it with a Rocket.Chat error.
     */
    public Document beforeSave(String event, Document message, Document room, Document user, Document original) {
        Exchange exchange = exchange(message, event, room, user);
        if (original != null) {
            exchange.getIn().setHeader(PipelineHeaders.ORIGINAL, original);
        }
        run(BEFORE_SAVE, exchange, true);
        return document(exchange.getMessage().getBody());
    }

    /** The stored message, new ({@code send}, {@code system}) or edited ({@code update}). */
    public void afterSave(String event, Document message, Document room, Document user) {
        run(AFTER_SAVE, exchange(message, event, room, user), false);
    }

    /** The message as it was before it was deleted. */
    public void afterDelete(Document message, Document room, Document user) {
        run(AFTER_DELETE, exchange(message, PipelineHeaders.DELETE, room, user), false);
    }

    /** A room just created; the body is the room, the user its creator. */
    public void roomCreated(Document room, Document owner) {
        run(ROOM_CREATED, exchange(room, "roomCreated", room, owner), false);
    }

    /** A user who just joined or was added; the body is the user. */
    public void userJoined(Document room, Document user) {
        run(ROOM_JOINED, exchange(user, "roomJoined", room, user), false);
    }

    /** A user who just left or was removed; the body is the user. */
    public void userLeft(Document room, Document user) {
        run(ROOM_LEFT, exchange(user, "roomLeft", room, user), false);
    }

    /** A room archived by {@code user}; the body is the room. */
    public void roomArchived(Document room, Document user) {
        run(ROOM_ARCHIVED, exchange(room, "roomArchived", room, user), false);
    }

    /** A user account just created; the body is the user. */
    public void userCreated(Document user) {
        run(USER_CREATED, exchange(withoutSecrets(user), "userCreated", null, user), false);
    }

    private Exchange exchange(Object body, String event, Document room, Document user) {
        Exchange exchange = new DefaultExchange(camel);
        Map<String, Object> headers = new HashMap<>(12);
        headers.put(PipelineHeaders.EVENT, event);
        if (user != null) {
            headers.put(PipelineHeaders.USER_ID, user.getString(UserFields.ID));
            headers.put(PipelineHeaders.USERNAME, user.getString(UserFields.USERNAME));
            headers.put(PipelineHeaders.USER, withoutSecrets(user));
        }
        if (room != null) {
            headers.put(PipelineHeaders.ROOM_ID, room.getString(RoomFields.ID));
            headers.put(PipelineHeaders.ROOM_TYPE, room.getString(RoomFields.TYPE));
            if (room.getString(RoomFields.NAME) != null) {
                headers.put(PipelineHeaders.ROOM_NAME, room.getString(RoomFields.NAME));
            }
            headers.put(PipelineHeaders.ROOM, room);
        }
        exchange.getIn().setHeaders(headers);
        exchange.getIn().setBody(body);
        return exchange;
    }

    /**
     * Sends the exchange through {@code uri}. A refusal in a before-save route reaches the caller as a Rocket.Chat
     * error (any failure there refuses the message, a 400 and never a 500); a failure after the save is logged, since
     * the write it follows has happened.
     */
    private void run(String uri, Exchange exchange, boolean refuses) {
        producer.get().send(endpoint(uri), exchange);
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(RestErrors.FAILURE, Throwable.class);
        }
        if (failure == null) {
            return;
        }
        if (!refuses) {
            LOG.error("Route {} failed for {} in room {}: {}", uri, exchange.getIn().getHeader(PipelineHeaders.EVENT),
                    exchange.getIn().getHeader(PipelineHeaders.ROOM_ID), failure.toString(), failure);
            return;
        }
        throw refusal(failure);
    }

    static RuntimeException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaravanException coded) {
                return coded;
            }
            if (t instanceof BusUnavailableException unavailable) {
                return unavailable;
            }
        }
        String text = failure.getMessage() == null ? "" : failure.getMessage().strip();
        LOG.info("A before-save step refused a message: {}", failure.toString());
        if (text.startsWith("error-")) {
            return new chat.caravan.common.error.RouteRejection(text);
        }
        return CaravanException.coded("error-message-rejected", text.isEmpty() ? "Message rejected" : text);
    }

    /**
     * A document of the pipeline's exchange (its body, or the room and user headers) as steps leave it: the Document
     * itself, or the map a YAML step made of it; null for anything else.
     */
    public static Document asDocument(Object value) {
        if (value instanceof Document document) {
            return document;
        }
        if (value instanceof Map<?, ?> map) {
            Document document = new Document();
            map.forEach((key, v) -> document.put(String.valueOf(key), v));
            return document;
        }
        return null;
    }

    /** The body a before-save route left: a map (a document), or JSON text of one. */
    private static Document document(Object body) {
        Document document = asDocument(body);
        if (document != null) {
            return document;
        }
        if (body instanceof String || body instanceof byte[]) {
            String json = body instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : (String) body;
            try {
                return Document.parse(json);
            } catch (RuntimeException e) {
                throw CaravanException.coded("error-message-rejected", "A before-save step left a body that is not a message");
            }
        }
        throw CaravanException.coded("error-message-rejected", "A before-save step left a body that is not a message");
    }

    private static Document withoutSecrets(Document user) {
        if (user == null || SECRET_USER_FIELDS.stream().noneMatch(user::containsKey)) {
            return user;
        }
        Document copy = new Document(user);
        SECRET_USER_FIELDS.forEach(copy::remove);
        return copy;
    }

    private Endpoint endpoint(String uri) {
        return endpoints.computeIfAbsent(uri, camel::getEndpoint);
    }

}
