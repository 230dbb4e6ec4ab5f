package chat.caravan.core.messages;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.model.MessageFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Quotes by link, as Rocket.Chat's "jump to message": a link in a message to another message of this server
 * ({@code <Site_Url>/...?msg=<id>}) becomes a quote attachment of that message when the author may read it, and the
 * link is not previewed. Quote attachments are rebuilt on every send and edit, so an edit that drops a link drops its
 * quote; quotes inside quotes are kept {@code Message_QuoteChainLimit} deep.
 */
@Component
public class MessageQuotes {

    private final RoomStore store;
    private final Authorization authorization;
    private final Settings settings;

    public MessageQuotes(RoomStore store, Authorization authorization, Settings settings) {
        this.store = store;
        this.authorization = authorization;
        this.settings = settings;
    }

    /**
     * The attachments to store: {@code attachments} without their old quotes, then one quote per linked message that
     * {@code userId} may read. Links that became quotes are marked {@code ignoreParse} in {@code urls}.
     */
    public List<Document> rebuild(List<Document> attachments, List<Document> urls, String userId) {
        List<Document> kept = new ArrayList<>();
        for (Document attachment : attachments == null ? List.<Document>of() : attachments) {
            if (attachment.get("message_link") == null) {
                kept.add(attachment);
            }
        }
        String siteUrl = settings.string("Site_Url", "");
        if (siteUrl.isEmpty() || urls == null) {
            return kept;
        }
        int chainLimit = settings.integer("Message_QuoteChainLimit", 2);
        boolean realName = settings.bool("UI_Use_Real_Name", false);
        for (Document url : urls) {
            String link = url.getString("url");
            String msgId = link == null || !link.contains(siteUrl) ? null : linkedMessageId(link);
            Document quoted = msgId == null ? null : store.messages().find(Filters.eq("_id", msgId)).first();
            if (quoted == null || !authorization.canAccessRoom(userId, quoted.getString(MessageFields.ROOM_ID))) {
                continue;
            }
            url.put("ignoreParse", true);
            kept.add(quote(quoted, link, realName, chainLimit));
        }
        return kept;
    }

    private static Document quote(Document message, String link, boolean realName, int chainLimit) {
        Document author = message.get(MessageFields.USER, Document.class);
        String username = author == null ? null : author.getString("username");
        String name = author == null ? null : author.getString("name");
        String displayName = message.getString(MessageFields.ALIAS) != null ? message.getString(MessageFields.ALIAS)
                : realName && name != null && !name.isBlank() ? name : username;
        List<Document> nested = chainLimit < 2 ? List.of() : trimmed(message.getList(MessageFields.ATTACHMENTS, Document.class, List.of()), 1, chainLimit);
        Document quote = new Document("text", message.getString(MessageFields.TEXT));
        if (message.get("md") != null) {
            quote.append("md", message.get("md"));
        }
        return quote.append("message_link", link).append("author_name", displayName)
                .append("author_icon", username == null ? null : "/avatar/" + java.net.URLEncoder.encode(username, StandardCharsets.UTF_8))
                .append("attachments", nested).append("ts", message.getDate(MessageFields.TS));
    }

    /** Quotes within quotes below the chain limit lose their own quoted attachments. */
    private static List<Document> trimmed(List<Document> attachments, int depth, int chainLimit) {
        List<Document> result = new ArrayList<>();
        for (Document attachment : attachments) {
            Document copy = new Document(attachment);
            if (copy.get("message_link") != null) {
                if (depth < chainLimit - 1) {
                    copy.put("attachments", trimmed(copy.getList("attachments", Document.class, List.of()), depth + 1, chainLimit));
                } else {
                    copy.remove("attachments");
                }
            }
            result.add(copy);
        }
        return result;
    }

    private static String linkedMessageId(String link) {
        String query;
        try {
            query = URI.create(link).getRawQuery();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && "msg".equals(pair.substring(0, eq))) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
