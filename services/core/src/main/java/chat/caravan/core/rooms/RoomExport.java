package chat.caravan.core.rooms;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.Caller;
import chat.caravan.core.mail.MailOutbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.stereotype.Component;

/**
 * rooms.export as a file: the room's messages between two days, as HTML or JSON, kept for the user in
 * {@code rocketchat_user_data_files} (Rocket.Chat then e-mails a download link, not sent here); or as an e-mail:
 * the chosen messages, sent through the {@link MailOutbox} to the mail server the SMTP_* settings name.
 */
@Component
public class RoomExport {

    static final String USER_DATA_FILES = "rocketchat_user_data_files";

    private final RoomStore store;
    private final Authorization authorization;
    private final MongoDatabase database;
    private final MailOutbox mail;

    public RoomExport(RoomStore store, Authorization authorization, MongoDatabase database, MailOutbox mail) {
        this.store = store;
        this.authorization = authorization;
        this.database = database;
        this.mail = mail;
    }

    /**
     * The answer's fields: for a file, none (the export is stored in rocketchat_user_data_files); for an e-mail,
     * {@code missing}, the usernames of toUsers that have no address (or no account).
     */
    public Map<String, Object> export(Caller caller, JsonNode body) {
        String rid = requiredText(body, "rid");
        String type = requiredText(body, "type");
        if (!type.equals("file") && !type.equals("email")) {
            throw CaravanException.invalidParams("must be equal to one of the allowed values");
        }
        LocalDate from = null;
        LocalDate to = null;
        String format = null;
        if (type.equals("file")) {
            from = day(body, "dateFrom");
            to = day(body, "dateTo");
            format = requiredText(body, "format");
            if (!format.equals("html") && !format.equals("json")) {
                throw CaravanException.invalidParams("must be equal to one of the allowed values");
            }
        } else {
            JsonNode messages = body.get("messages");
            if (messages == null || !messages.isArray()) {
                throw CaravanException.invalidParams("must have required property 'messages'");
            }
            if (messages.isEmpty()) {
                throw CaravanException.invalidParams("must NOT have fewer than 1 items");
            }
        }
        if (!authorization.hasPermission(caller.id(), "mail-messages", rid)) {
            throw CaravanException.coded("error-action-not-allowed", "Mailing is not allowed");
        }
        Document room = store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", null);
        }
        if (!authorization.canAccessRoom(caller.id(), rid)) {
            throw CaravanException.coded("error-not-allowed", "Not Allowed");
        }
        if (type.equals("email")) {
            if (isEmpty(body.get("toUsers")) && isEmpty(body.get("toEmails"))) {
                throw CaravanException.coded("error-invalid-recipient", null);
            }
            if (!mail.configured()) {
                throw CaravanException.coded("error-email-send-failed", "SMTP is not configured");
            }
            return Map.of("missing", email(caller, rid, body));
        }
        Date start = Date.from((from == null ? LocalDate.of(1970, 1, 1) : from).atStartOfDay(ZoneOffset.UTC).toInstant());
        Date end = Date.from((to == null ? LocalDate.now(ZoneOffset.UTC) : to).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        if (start.after(end)) {
            throw CaravanException.coded("error-invalid-dates", "From date cannot be after To date");
        }
        List<Document> messages = store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, rid),
                Filters.gte(MessageFields.TS, start), Filters.lte(MessageFields.TS, end), Filters.ne(MessageFields.HIDDEN, true)))
                .sort(new Document(MessageFields.TS, 1)).into(new ArrayList<>());
        byte[] content = format.equals("json") ? json(messages) : html(room, messages);
        String name = (format.equals("json") && room.getString(RoomFields.NAME) != null ? room.getString(RoomFields.NAME) : rid)
                + "." + format;
        String id = Ids.random();
        database.getCollection(USER_DATA_FILES).insertOne(new Document("_id", id).append("userId", caller.id()).append("rid", rid)
                .append("name", name).append("type", format.equals("json") ? "application/json" : "text/html")
                .append("size", content.length).append("content", new Binary(content)).append("complete", true)
                .append("uploadedAt", new Date()));
        return Map.of();
    }

    /** Mails the chosen messages of the room to toEmails and to the addresses of toUsers; the usernames left out. */
    private List<String> email(Caller caller, String rid, JsonNode body) {
        List<String> recipients = new ArrayList<>();
        for (JsonNode address : iterable(body.get("toEmails"))) {
            if (address.isTextual() && !address.asText().isBlank()) {
                recipients.add(address.asText().trim());
            }
        }
        List<String> missing = new ArrayList<>();
        for (JsonNode username : iterable(body.get("toUsers"))) {
            if (!username.isTextual() || username.asText().isEmpty()) {
                continue;
            }
            Document user = store.users().find(Filters.eq(UserFields.USERNAME, username.asText())).first();
            List<Document> emails = user == null ? null : user.getList(UserFields.EMAILS, Document.class);
            String address = emails == null || emails.isEmpty() ? null : emails.get(0).getString("address");
            if (address == null || address.isBlank()) {
                missing.add(username.asText());
            } else {
                recipients.add(address);
            }
        }
        List<String> ids = new ArrayList<>();
        iterable(body.get("messages")).forEach(m -> ids.add(m.asText()));
        StringBuilder html = new StringBuilder();
        for (Document message : store.messages().find(Filters.and(Filters.eq(MessageFields.ROOM_ID, rid),
                Filters.in(MessageFields.ID, ids))).sort(new Document(MessageFields.TS, 1))) {
            Document author = message.get(MessageFields.USER, Document.class);
            html.append("<p style='margin-bottom: 5px'><b>").append(escape(author == null ? "" : author.getString("username")))
                    .append("</b> <span style='color: #aaa; font-size: 12px'>").append(message.getDate(MessageFields.TS).toInstant())
                    .append("</span><br/>").append(escape(message.getString(MessageFields.TEXT))).append("</p>");
        }
        if (!recipients.isEmpty()) {
            JsonNode subject = body.get("subject");
            mail.send(String.join(",", recipients), subject != null && subject.isTextual() ? subject.asText() : "", html.toString(),
                    replyTo(caller));
        }
        return missing;
    }

    private static String replyTo(Caller caller) {
        List<Document> emails = caller.user() == null ? null : caller.user().getList(UserFields.EMAILS, Document.class);
        return emails == null || emails.isEmpty() ? null : emails.get(0).getString("address");
    }

    private static Iterable<JsonNode> iterable(JsonNode list) {
        return list != null && list.isArray() ? list : List.of();
    }

    private static byte[] json(List<Document> messages) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Document message : messages) {
            Document author = message.get(MessageFields.USER, Document.class);
            lines.add(Map.of("msg", message.getString(MessageFields.TEXT) == null ? "" : message.getString(MessageFields.TEXT),
                    "username", author == null || author.getString("username") == null ? "" : author.getString("username"),
                    "ts", message.getDate(MessageFields.TS).toInstant().toString()));
        }
        return CaravanJson.toRestJson(lines).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] html(Document room, List<Document> messages) {
        StringBuilder html = new StringBuilder("<meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\">\n<h2>")
                .append(escape(room.getString(RoomFields.FNAME) != null ? room.getString(RoomFields.FNAME) : room.getString(RoomFields.NAME)))
                .append("</h2>\n");
        for (Document message : messages) {
            Document author = message.get(MessageFields.USER, Document.class);
            html.append("<p><strong>").append(escape(author == null ? "" : author.getString("username"))).append("</strong> <em>")
                    .append(message.getDate(MessageFields.TS).toInstant()).append("</em><br/>\n")
                    .append(escape(message.getString(MessageFields.TEXT))).append("</p>\n");
        }
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static boolean isEmpty(JsonNode list) {
        return list == null || !list.isArray() || list.isEmpty();
    }

    private static String requiredText(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw CaravanException.invalidParams("must have required property '" + name + "'");
        }
        if (!value.isTextual()) {
            throw CaravanException.invalidParams("must be string");
        }
        return value.asText();
    }

    /** An optional {@code YYYY-MM-DD} day (JSON schema's "date" format). */
    private static LocalDate day(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return LocalDate.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw CaravanException.invalidParams("must match format \"date\"");
        }
    }
}
