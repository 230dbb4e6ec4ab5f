package chat.caravan.common.model;

import java.util.List;

import org.bson.Document;

/** What of a user document may leave the database. */
public final class UserDocuments {

    private UserDocuments() {
    }

    /** A copy without password hashes, login tokens, e2e keys and invite tokens. */
    public static Document withoutSecrets(Document user) {
        if (user == null) {
            return null;
        }
        Document copy = new Document(user);
        UserFields.SECRETS.forEach(copy::remove);
        return copy;
    }

    /** A copy fit for any caller: the fields Rocket.Chat shows without view-full-other-user-info. */
    public static Document publicView(Document user) {
        if (user == null) {
            return null;
        }
        Document view = new Document();
        for (String field : UserFields.PUBLIC) {
            if (user.containsKey(field)) {
                view.put(field, user.get(field));
            }
        }
        return view;
    }

    /** The {@code services} summary /me shows: whether a password exists, never the hash. */
    public static Document servicesSummary(Document user) {
        Object services = user.get(UserFields.SERVICES);
        boolean hasPassword = services instanceof Document s && s.get("password") instanceof Document p
                && p.get("bcrypt") != null;
        return new Document("password", new Document("exists", hasPassword));
    }

    /** The first verified email address, or the first one. */
    public static String primaryEmail(Document user) {
        List<Document> emails = user.getList(UserFields.EMAILS, Document.class, List.of());
        return emails.stream().filter(e -> Boolean.TRUE.equals(e.getBoolean("verified"))).map(e -> e.getString("address"))
                .findFirst().orElse(emails.isEmpty() ? null : emails.get(0).getString("address"));
    }
}
