package chat.caravan.core.users;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.model.UserDocuments;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** How user documents look in REST replies: /me's own view, and what other callers may see. */
@Component
public class UserViews {

    private final Settings settings;
    private final CaravanProperties properties;

    public UserViews(Settings settings, CaravanProperties properties) {
        this.settings = settings;
        this.properties = properties;
    }

    /** The caller's own document as /me and login's {@code me} show it. */
    public Document me(JsonNode user) {
        // EJSON dates ({"$date": millis}) parse back into dates, so REST writes them as ISO strings
        Document doc = Document.parse(user.toString());
        Document me = UserDocuments.withoutSecrets(doc);
        // accounts sends the summary ({password: {exists}}) in place of the secrets
        me.put("services", doc.get("services") instanceof Document summary ? summary : new Document());
        String email = UserDocuments.primaryEmail(doc);
        if (email != null) {
            me.put("email", email);
        }
        me.putIfAbsent(UserFields.STATUS, "offline");
        me.putIfAbsent(UserFields.STATUS_CONNECTION, "offline");
        me.putIfAbsent(UserFields.UTC_OFFSET, 0);
        me.put("settings", new Document("profile", new Document()).append("preferences", new Document()));
        me.put("avatarUrl", siteUrl() + "/avatar/" + doc.getString(UserFields.USERNAME));
        me.put("isOAuthUser", false);
        return me;
    }

    /** Another user's document for a caller; the private fields only with view-full-other-user-info. */
    public Document forCaller(Document user, boolean fullInfo) {
        Document view = fullInfo ? UserDocuments.withoutSecrets(user) : UserDocuments.publicView(user);
        if (view != null && user.getString(UserFields.NAME) != null) {
            view.put("nameInsensitive", user.getString(UserFields.NAME).toLowerCase());
        }
        return view;
    }

    private String siteUrl() {
        String url = settings.string("Site_Url", properties.getRootUrl());
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
