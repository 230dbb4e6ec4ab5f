package chat.caravan.core.files;

import java.io.File;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** {@code rooms.upload}, and the two steps clients use since 6.10: {@code rooms.media} then {@code rooms.mediaConfirm}. */
@Component("uploadEndpoints")
public class UploadEndpoints {

    /** The message fields a file message may carry besides the file (Rocket.Chat's sendFileMessage check). */
    private static final java.util.List<String> MESSAGE_FIELDS =
            java.util.List.of("msg", "tmid", "tshow", "alias", "emoji", "avatar", "customFields");

    private final UploadService uploads;
    private final UploadRecords records;
    private final RestAuth auth;
    private final MongoDatabase database;
    private final Authorization authorization;

    public UploadEndpoints(UploadService uploads, UploadRecords records, RestAuth auth, MongoDatabase database,
            Authorization authorization) {
        this.uploads = uploads;
        this.records = records;
        this.auth = auth;
        this.database = database;
        this.authorization = authorization;
    }

    public void upload(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = accessibleRoom(exchange, caller);
        IncomingFile file = incomingFile(exchange, caller);
        Document record = uploads.store(caller, room, file, false);
        try {
            String description = RestRequest.query(exchange, "description");
            if (description != null) {
                record.put(UploadRecords.DESCRIPTION, description);
                records.collection().updateOne(new Document("_id", record.getString("_id")),
                        new Document("$set", new Document(UploadRecords.DESCRIPTION, description)));
            }
            Document message = uploads.sendFileMessage(caller, room.getString("_id"), record, messageData(exchange, null));
            RestReplies.ok(exchange, Map.of("message", message));
        } catch (RuntimeException e) {
            // no message, no file: the upload is undone
            uploads.delete(record.getString("_id"));
            throw e;
        }
    }

    public void media(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = accessibleRoom(exchange, caller);
        IncomingFile file = incomingFile(exchange, caller);
        Document record = uploads.store(caller, room, file, true);
        RestReplies.ok(exchange, UploadService.mediaReply(record));
    }

    public void mediaConfirm(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = accessibleRoom(exchange, caller);
        String fileId = RestRequest.query(exchange, "fileId");
        Document record = records.find(fileId);
        if (record == null || !caller.id().equals(record.getString(UploadRecords.USER_ID))
                || !room.getString("_id").equals(record.getString(UploadRecords.ROOM_ID))) {
            throw CaravanException.coded("invalid-file", null);
        }
        JsonNode body = Params.of(exchange).body();
        if (body.hasNonNull("description")) {
            record.put(UploadRecords.DESCRIPTION, body.get("description").asText());
        }
        Document message = uploads.sendFileMessage(caller, room.getString("_id"), record, messageData(null, body));
        records.collection().updateOne(new Document("_id", fileId), new Document("$unset", new Document(UploadRecords.EXPIRES_AT, ""))
                .append("$set", new Document(UploadRecords.DESCRIPTION, record.getString(UploadRecords.DESCRIPTION))));
        RestReplies.ok(exchange, Map.of("message", message));
    }

    private Document accessibleRoom(Exchange exchange, Caller caller) {
        String rid = RestRequest.query(exchange, "rid");
        Document room = uploads.room(rid);
        if (!authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.forbidden("unauthorized");
        }
        return room;
    }

    /** The one file of a multipart request, in field {@code file}, with Rocket.Chat's errors otherwise. */
    private IncomingFile incomingFile(Exchange exchange, Caller caller) {
        String userAgent = RestRequest.query(exchange, "User-Agent");
        if (userAgent != null && userAgent.contains("RC Mobile")
                && !authorization.hasPermission(caller.id(), "mobile-upload-file")) {
            throw CaravanException.coded("error-not-allowed", "Not allowed");
        }
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        Integer count = attachments.getHeader("CamelAttachmentsSize", Integer.class);
        if (count == null || count == 0 || !attachments.hasAttachments()) {
            throw CaravanException.coded("invalid-field", null);
        }
        if (count > 1) {
            throw CaravanException.plain("Just 1 file is allowed");
        }
        DataHandler handler = attachments.getAttachment("file");
        if (handler == null || !(handler.getDataSource() instanceof FileDataSource source)) {
            throw CaravanException.coded("invalid-field", null);
        }
        File received = source.getFile();
        long max = uploads.maxFileSize();
        if (max > -1 && received.length() > max) {
            throw UploadService.tooLarge(max);
        }
        String name = handler.getName();
        if (name == null || name.isBlank()) {
            throw CaravanException.coded("invalid-field", null);
        }
        // the part's declared type, which platform-http gives for a request with one file
        String declared = attachments.getHeader("CamelFileContentType", String.class);
        Document content = null;
        String contentField = RestRequest.query(exchange, "content");
        if (contentField != null) {
            try {
                content = Document.parse(contentField);
            } catch (RuntimeException e) {
                throw CaravanException.coded("invalid-field-content", null);
            }
        }
        return new IncomingFile(received.toPath(), name, declared, received.length(), content);
    }

    /** The message fields of a file message, from the form (rooms.upload) or the JSON body (rooms.mediaConfirm). */
    private static JsonNode messageData(Exchange form, JsonNode body) {
        ObjectNode data = CaravanJson.ejson().createObjectNode();
        for (String field : MESSAGE_FIELDS) {
            if (form != null) {
                String value = RestRequest.query(form, field);
                if (value != null) {
                    data.put(field, value);
                }
            } else if (body.hasNonNull(field)) {
                data.set(field, body.get(field));
            }
        }
        if (data.path("customFields").isTextual()) {
            // a form sends them as a JSON string, as Rocket.Chat's clients do
            try {
                data.set("customFields", CaravanJson.ejson().readTree(data.get("customFields").asText()));
            } catch (java.io.IOException e) {
                throw CaravanException.invalidParams("must be object 'customFields'");
            }
        }
        if (data.has("tshow")) {
            data.put("tshow", "true".equals(data.get("tshow").asText()));
        }
        if (!data.has("msg")) {
            data.put("msg", "");
        }
        return data;
    }
}
