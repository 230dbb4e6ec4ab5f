package chat.caravan.core.users;

import java.util.ArrayList;
import java.util.List;

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
    private final UserPreferences preferences;

    public UserViews(Settings settings, CaravanProperties properties, UserPreferences preferences) {
        this.settings = settings;
        this.properties = properties;
        this.preferences = preferences;
    }

    /** The caller's own document as login's {@code me} shows it, from the user accounts sent. */
    public Document me(JsonNode user) {
        // EJSON dates ({"$date": millis}) parse back into dates, so REST writes them as ISO strings
        Document doc = Document.parse(user.toString());
        // accounts sends the summary ({password: {exists}}) in place of the secrets
        return me(doc, doc.get("services") instanceof Document summary ? summary : new Document());
    }

    /** The caller's own document as /me shows it, from the database. */
    public Document me(Document stored) {
        return me(stored, UserDocuments.servicesSummary(stored));
    }

    private Document me(Document doc, Document services) {
        Document me = UserDocuments.withoutSecrets(doc);
        me.put("services", services);
        String email = UserDocuments.primaryEmail(doc);
        if (email != null) {
            me.put("email", email);
        }
        me.putIfAbsent(UserFields.STATUS, "offline");
        me.putIfAbsent(UserFields.STATUS_CONNECTION, "offline");
        me.putIfAbsent(UserFields.UTC_OFFSET, 0);
        me.put("settings", new Document("profile", new Document()).append("preferences", preferences.effective(doc)));
        me.put("avatarUrl", siteUrl() + "/avatar/" + doc.getString(UserFields.USERNAME));
        me.put("isOAuthUser", false);
        return me;
    }

    /**
     * The {@code services} users.info shows a user asking about themselves (as Rocket.Chat does): that a password
     * exists ({@code password: true}) and their login tokens' metadata, never a hash.
     */
    public Document ownServices(Document user) {
        Document services = new Document();
        if (UserDocuments.servicesSummary(user).get("password", Document.class).getBoolean("exists")) {
            services.put("password", true);
        }
        List<Document> tokens = new ArrayList<>();
        Object stored = user.getEmbedded(List.of("services", "resume", "loginTokens"), Object.class);
        if (stored instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Document token) {
                    Document shown = new Document(token);
                    shown.remove(UserFields.HASHED_TOKEN);
                    tokens.add(shown);
                }
            }
        }
        services.put("resume", new Document("loginTokens", tokens));
        return services;
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
