package chat.caravan.core.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** {@code channels.files}, {@code groups.files} and {@code im.files}: a room's uploads, newest first, without thumbnails. */
@Component("fileListEndpoints")
public class FileListEndpoints {

    private static final Set<String> SORTABLE = Set.of("uploadedAt", "name", "size", "type", "_updatedAt");

    private final UploadRecords records;
    private final RoomStore rooms;
    private final Authorization authorization;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public FileListEndpoints(UploadRecords records, RoomStore rooms, Authorization authorization, Settings settings,
            RestAuth auth, MongoDatabase database) {
        this.records = records;
        this.rooms = rooms;
        this.authorization = authorization;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    public void channelFiles(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = byIdOrName(exchange, RoomFields.CHANNEL, "error-room-not-found",
                "The required \"roomId\" or \"roomName\" param provided does not match any channel");
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.forbidden("unauthorized");
        }
        list(exchange, room);
    }

    public void groupFiles(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Document room = byIdOrName(exchange, "p", "error-room-not-found",
                "The required \"roomId\" or \"roomName\" param provided does not match any group");
        if (rooms.subscription(room.getString("_id"), caller.id()) == null) {
            throw CaravanException.coded("error-room-not-found",
                    "The required \"roomId\" or \"roomName\" param provided does not match any group");
        }
        list(exchange, room);
    }

    public void directFiles(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String roomId = RestRequest.query(exchange, "roomId");
        String username = RestRequest.query(exchange, "username");
        Document room = null;
        if (roomId != null && !roomId.isBlank()) {
            room = rooms.room(roomId);
        } else if (username != null && !username.isBlank()) {
            room = rooms.rooms().find(Filters.and(Filters.eq(RoomFields.TYPE, "d"), Filters.all("usernames",
                    List.of(caller.username(), username)))).first();
        } else {
            throw CaravanException.coded("error-room-param-not-provided", "Body param \"roomId\" or \"username\" is required");
        }
        if (room == null || !"d".equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.coded("invalid-channel", null);
        }
        if (!authorization.canAccessRoom(caller.id(), room.getString("_id"))) {
            throw CaravanException.forbidden("unauthorized");
        }
        list(exchange, room);
    }

    private Document byIdOrName(Exchange exchange, String type, String error, String reason) {
        String roomId = RestRequest.query(exchange, "roomId");
        String roomName = RestRequest.query(exchange, "roomName");
        if ((roomId == null || roomId.isBlank()) && (roomName == null || roomName.isBlank())) {
            throw CaravanException.coded("error-roomid-param-not-provided", "The parameter \"roomId\" or \"roomName\" is required");
        }
        Document room = roomId != null && !roomId.isBlank() ? rooms.room(roomId)
                : rooms.rooms().find(Filters.eq(RoomFields.NAME, roomName)).first();
        if (room == null || !type.equals(room.getString(RoomFields.TYPE))) {
            throw CaravanException.coded(error, reason);
        }
        return room;
    }

    private void list(Exchange exchange, Document room) {
        Pagination page = Pagination.of(exchange, settings, new Document("uploadedAt", -1)).sortableBy(SORTABLE);
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq(UploadRecords.ROOM_ID, room.getString("_id")),
                Filters.eq(UploadRecords.COMPLETE, true), Filters.ne(UploadRecords.TYPE_GROUP, "thumb"),
                Filters.ne("_hidden", true), Filters.exists(UploadRecords.EXPIRES_AT, false)));
        String name = RestRequest.query(exchange, "name");
        if (name != null && !name.isBlank()) {
            filter.add(Filters.regex(UploadRecords.NAME, Pattern.quote(name), "i"));
        }
        String typeGroup = RestRequest.query(exchange, "typeGroup");
        if (typeGroup != null && !typeGroup.isBlank()) {
            filter.add(Filters.eq(UploadRecords.TYPE_GROUP, typeGroup));
        }
        Bson query = Filters.and(filter);
        var found = page.window(records.collection().find(query).sort(page.sort()));
        List<Document> files = found.into(new ArrayList<>());
        Map<String, Document> authors = new HashMap<>();
        for (Document file : files) {
            String userId = file.getString(UploadRecords.USER_ID);
            if (userId != null) {
                Document user = authors.computeIfAbsent(userId, id -> rooms.users().find(Filters.eq("_id", id))
                        .projection(Projections.include("username", "name")).first());
                if (user != null) {
                    file.put("user", user);
                }
            }
        }
        long total = records.collection().countDocuments(query);
        RestReplies.ok(exchange, Map.of("files", files, "count", files.size(), "offset", page.offset(), "total", total));
    }
}
