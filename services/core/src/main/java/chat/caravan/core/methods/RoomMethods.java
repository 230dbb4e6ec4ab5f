package chat.caravan.core.methods;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.model.SubscriptionFields;
import chat.caravan.core.Caller;
import chat.caravan.core.directory.Directory;
import chat.caravan.core.discussions.DiscussionService;
import chat.caravan.core.rooms.AnyRoomEndpoints;
import chat.caravan.core.rooms.RoomSettingsService;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The DDP methods for room settings, discussions, favourites, deletion and the directory, as the web client calls
 * them (over DDP or the method.call tunnel); each runs the same service as its REST endpoint.
 */
@Component
public class RoomMethods {

    private final RoomStore store;
    private final RoomSettingsService roomSettings;
    private final DiscussionService discussions;
    private final AnyRoomEndpoints anyRoom;
    private final Directory directory;

    public RoomMethods(RoomStore store, RoomSettingsService roomSettings, DiscussionService discussions, AnyRoomEndpoints anyRoom,
            Directory directory) {
        this.store = store;
        this.roomSettings = roomSettings;
        this.discussions = discussions;
        this.anyRoom = anyRoom;
        this.directory = directory;
    }

    public Object call(String method, JsonNode params, Caller caller) {
        JsonNode first = params.path(0);
        return switch (method) {
            case "saveRoomSettings" -> {
                JsonNode settings = params.path(1);
                if (settings.isTextual()) {
                    ObjectNode single = JsonNodeFactory.instance.objectNode();
                    single.set(settings.asText(), params.path(2));
                    settings = single;
                }
                if (!first.isTextual() || !settings.isObject()) {
                    throw CaravanException.coded("error-invalid-room", "Invalid room", Map.of("method", "saveRoomSettings"));
                }
                Document room = roomSettings.save(caller, first.asText(), settings);
                yield Map.of("result", true, "rid", room.getString(RoomFields.ID));
            }
            case "createDiscussion" -> {
                List<String> users = new ArrayList<>();
                first.path("users").forEach(u -> users.add(u.asText()));
                yield discussions.create(caller, new DiscussionService.Request(text(first.path("prid")), text(first.path("pmid")),
                        text(first.path("t_name")), text(first.path("reply")), users,
                        first.path("encrypted").isBoolean() ? first.get("encrypted").asBoolean() : null, text(first.path("topic"))));
            }
            case "toggleFavorite" -> {
                Document subscription = first.isTextual() ? store.subscription(first.asText(), caller.id()) : null;
                if (subscription == null) {
                    throw CaravanException.coded("error-invalid-subscription", "You must be part of a room to favorite it",
                            Map.of("method", "toggleFavorite"));
                }
                boolean favorite = params.path(1).asBoolean(true);
                store.subscriptions().updateOne(Filters.eq("_id", subscription.get("_id")), Updates.combine(
                        Updates.set(SubscriptionFields.FAVORITE, favorite), Updates.set(SubscriptionFields.UPDATED_AT, new Date())));
                yield 1;
            }
            case "eraseRoom" -> {
                anyRoom.erase(caller, text(first));
                yield true;
            }
            case "roomNameExists" -> store.rooms().find(Filters.eq(RoomFields.NAME, text(first))).first() != null;
            case "browseChannels" -> {
                Directory.Search search = new Directory.Search(text(first.path("text")), text(first.path("type")),
                        text(first.path("workspace")), text(first.path("sortBy")), !"desc".equals(first.path("sortDirection").asText("asc")),
                        Math.max(0, first.path("offset").asInt(first.path("page").asInt(0) * Math.max(1, first.path("limit").asInt(10)))),
                        first.path("limit").asInt(10) > 0 ? first.path("limit").asInt(10) : 10);
                Directory.Page page = directory.browse(caller, search);
                yield page == null ? null : Map.of("results", page.results(), "total", page.total());
            }
            default -> throw new CaravanException(404, null, "Method '" + method + "' not found", null);
        };
    }

    private static String text(JsonNode value) {
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}
