package chat.caravan.core.invites;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.authz.Authorization;
import chat.caravan.common.bus.BusClient;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.UserFields;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Invite links to a channel or private group, as Rocket.Chat keeps them in {@code rocketchat_invites}: the id is the
 * token, with its room, creator, lifetime in days (0: forever), maximum uses (0: unlimited) and uses so far. Creating
 * and managing them takes {@code create-invite-links}; anyone logged in may use a valid one, which makes them a
 * member of the room (and records the token on their user document).
 */
@Component
public class InviteService {

    private static final Logger LOG = LoggerFactory.getLogger(InviteService.class);
    static final Set<Integer> POSSIBLE_DAYS = Set.of(0, 1, 7, 15, 30);
    static final Set<Integer> POSSIBLE_USES = Set.of(0, 1, 5, 10, 25, 50, 100);
    static final String PERMISSION = "create-invite-links";

    private final MongoDatabase database;
    private final RoomStore store;
    private final RoomService rooms;
    private final Authorization authorization;
    private final Settings settings;
    private final CaravanProperties properties;
    private final BusClient bus;

    public InviteService(MongoDatabase database, RoomStore store, RoomService rooms, Authorization authorization,
            Settings settings, CaravanProperties properties, BusClient bus) {
        this.database = database;
        this.store = store;
        this.rooms = rooms;
        this.authorization = authorization;
        this.settings = settings;
        this.properties = properties;
        this.bus = bus;
    }

    MongoCollection<Document> invites() {
        return database.getCollection(Collections.INVITES);
    }

    /** The caller's unexpired invite to the room with these settings, or a new one; with its {@code url}. */
    public Document findOrCreate(String userId, String rid, int days, int maxUses) {
        if (rid == null || rid.isEmpty()) {
            throw CaravanException.coded("error-the-field-is-required", "The field rid is required",
                    Map.of("method", "findOrCreateInvite", "field", "rid"));
        }
        if (!authorization.hasPermission(userId, PERMISSION, rid)) {
            throw CaravanException.coded("not_authorized", null);
        }
        Document room = store.subscription(rid, userId) == null ? null : store.room(rid);
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "The rid field is invalid",
                    Map.of("method", "findOrCreateInvite", "field", "rid"));
        }
        if (!invitable(room)) {
            throw CaravanException.coded("error-room-type-not-allowed", "Cannot create invite links for this room type",
                    Map.of("method", "findOrCreateInvite"));
        }
        if (!POSSIBLE_DAYS.contains(days)) {
            throw CaravanException.coded("invalid-number-of-days",
                    "Invite should expire in 1, 7, 15 or 30 days, or send 0 to never expire.");
        }
        if (!POSSIBLE_USES.contains(maxUses)) {
            throw CaravanException.coded("invalid-number-of-uses",
                    "Invite should be valid for 1, 5, 10, 25, 50, 100 or infinite (0) uses.");
        }
        List<Bson> same = new ArrayList<>(List.of(Filters.eq("rid", rid), Filters.eq("userId", userId),
                Filters.eq("days", days), Filters.eq("maxUses", maxUses)));
        if (days > 0) {
            same.add(Filters.gt("expires", new Date()));
        }
        if (maxUses > 0) {
            same.add(Filters.lt("uses", maxUses));
        }
        Document existing = invites().find(Filters.and(same)).first();
        if (existing != null) {
            existing.put("url", url(existing.getString("_id")));
            return existing;
        }
        Date now = new Date();
        Document invite = new Document("_id", Ids.random(6)).append("days", days).append("maxUses", maxUses)
                .append("rid", rid).append("userId", userId).append("createdAt", now)
                .append("expires", days > 0 ? new Date(now.getTime() + days * 86_400_000L) : null)
                .append("url", "").append("uses", 0).append("_updatedAt", now);
        invites().insertOne(invite);
        bus.publish("stream.notify", Map.of("stream", "notify-user", "eventName", userId + "/updateInvites",
                "args", List.of(Map.of("invite", invite))));
        LOG.info("invite {} to room {} created by {}", invite.getString("_id"), rid, userId);
        Document reply = new Document(invite);
        reply.put("url", url(invite.getString("_id")));
        return reply;
    }

    /** Every invite, for those who may create them. */
    public List<Document> list(String userId) {
        if (!authorization.hasPermission(userId, PERMISSION)) {
            throw CaravanException.coded("not_authorized", null);
        }
        return invites().find().into(new ArrayList<>());
    }

    public void remove(String userId, String inviteId) {
        if (!authorization.hasPermission(userId, PERMISSION)) {
            throw CaravanException.coded("not_authorized", null);
        }
        if (inviteId == null || inviteId.isEmpty()) {
            throw CaravanException.coded("error-the-field-is-required", "The field _id is required",
                    Map.of("method", "removeInvite", "field", "_id"));
        }
        if (invites().deleteOne(Filters.eq("_id", inviteId)).getDeletedCount() == 0) {
            throw CaravanException.coded("invalid-invitation-id", "Invalid Invitation _id", Map.of("method", "removeInvite"));
        }
        LOG.info("invite {} removed by {}", inviteId, userId);
    }

    /** The invite and its room when the token is usable now; otherwise Rocket.Chat's coded error. */
    public Document[] validate(String token) {
        if (token == null || token.isEmpty()) {
            throw invalidToken("validateInviteToken", "token");
        }
        Document invite = invites().find(Filters.eq("_id", token)).first();
        if (invite == null) {
            throw invalidToken("validateInviteToken", "token");
        }
        Document room = store.room(invite.getString("rid"));
        if (room == null) {
            throw CaravanException.coded("error-invalid-room", "The invite token is invalid.",
                    Map.of("method", "validateInviteToken", "field", "rid"));
        }
        if (invite.getDate("expires") != null && invite.getDate("expires").getTime() <= System.currentTimeMillis()) {
            throw CaravanException.coded("error-invite-expired", "The invite token has expired.",
                    Map.of("method", "validateInviteToken", "field", "expires"));
        }
        int maxUses = number(invite.get("maxUses"));
        if (maxUses > 0 && number(invite.get("uses")) >= maxUses) {
            throw CaravanException.coded("error-invite-expired", "The invite token has expired.",
                    Map.of("method", "validateInviteToken", "field", "maxUses"));
        }
        return new Document[] {invite, room};
    }

    /**
     * Uses a token: the user joins the room (a first use by this user counts against the invite's uses) and the token
     * is kept on their user document, as Rocket.Chat records it.
     */
    public Map<String, Object> use(Document user, String token) {
        if (token == null || token.isEmpty()) {
            throw invalidToken("useInviteToken", "token");
        }
        Document[] valid = validate(token);
        Document invite = valid[0];
        Document room = valid[1];
        if (!invitable(room)) {
            throw CaravanException.coded("error-room-type-not-allowed", "Can't join room of this type via invite",
                    Map.of("method", "useInviteToken", "field", "token"));
        }
        String userId = user.getString("_id");
        database.getCollection(Collections.USERS).updateOne(Filters.eq("_id", userId), Updates.set("inviteToken", token));
        if (store.subscription(room.getString("_id"), userId) == null) {
            invites().updateOne(Filters.eq("_id", invite.getString("_id")), Updates.inc("uses", 1));
        }
        if (user.getString(UserFields.USERNAME) != null) {
            rooms.addMember(room, user, null);
        }
        Map<String, Object> joined = new LinkedHashMap<>();
        joined.put("rid", invite.getString("rid"));
        joined.put("prid", room.getString(RoomFields.PARENT_ROOM_ID));
        joined.put("fname", room.getString(RoomFields.FNAME));
        joined.put("name", room.getString(RoomFields.NAME));
        joined.put("t", room.getString(RoomFields.TYPE));
        return Map.of("room", joined);
    }

    /** Channels and private groups take invites; direct messages and omnichannel rooms do not. */
    private static boolean invitable(Document room) {
        String type = room.getString(RoomFields.TYPE);
        return RoomFields.CHANNEL.equals(type) || RoomFields.PRIVATE_GROUP.equals(type);
    }

    /**
     * The link to share: {@code <Site_Url>/invite/<id>} when {@code Accounts_Registration_InviteUrlType} is
     * {@code direct}, otherwise through the {@code DeepLink_Url} service that opens the app or the web client.
     */
    String url(String inviteId) {
        String site = settings.string("Site_Url", properties.getRootUrl()).trim();
        while (site.endsWith("/")) {
            site = site.substring(0, site.length() - 1);
        }
        String path = "invite/" + inviteId;
        if ("direct".equals(settings.string("Accounts_Registration_InviteUrlType", "proxy"))) {
            return site + "/" + path;
        }
        String deepLink = settings.string("DeepLink_Url", "https://go.rocket.chat").replaceAll("/+$", "");
        String host = site.replaceFirst("(?i)^https?://", "");
        String url = deepLink + "/invite?host=" + encode(host) + "&path=" + encode(path);
        return site.contains("http://") ? url + "&secure=no" : url;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static CaravanException invalidToken(String method, String field) {
        return CaravanException.coded("error-invalid-token", "The invite token is invalid.", Map.of("method", method, "field", field));
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }
}
