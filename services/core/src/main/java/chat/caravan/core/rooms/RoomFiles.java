package chat.caravan.core.rooms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import chat.caravan.common.rest.Pagination;
import chat.caravan.common.settings.Settings;
import com.mongodb.client.FindIterable;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;

/** A page of a room's uploads for channels.files, groups.files and im.files. */
final class RoomFiles {

    private RoomFiles() {
    }

    /** {files, count, offset, total}: the room's uploads without thumbnails or hidden ones, each with its uploader. */
    static Map<String, Object> page(RoomStore store, Exchange exchange, Settings settings, String rid) {
        Pagination page = Pagination.of(exchange, settings, new Document("name", 1));
        Document narrowing = JsonQueryParam.of(exchange);
        narrowing.remove("rid");
        List<Bson> conditions = new ArrayList<>(List.of(Filters.eq("rid", rid), Filters.ne("typeGroup", "thumb"),
                Filters.ne("_hidden", true)));
        if (!narrowing.isEmpty()) {
            conditions.add(narrowing);
        }
        Bson filter = Filters.and(conditions);
        FindIterable<Document> found = store.uploads().find(filter).sort(page.sort()).skip(page.offset());
        if (!page.unlimited()) {
            found = found.limit(page.count());
        }
        List<Document> files = found.into(new ArrayList<>());
        List<String> uploaders = files.stream().map(f -> f.getString("userId")).filter(Objects::nonNull).distinct().toList();
        Map<String, Document> users = new HashMap<>();
        if (!uploaders.isEmpty()) {
            store.users().find(Filters.in("_id", uploaders)).projection(new Document("name", 1).append("username", 1))
                    .forEach(u -> users.put(u.getString("_id"), u));
        }
        for (Document file : files) {
            Document user = users.get(file.getString("userId"));
            if (user != null) {
                file.put("user", user);
            }
        }
        return Map.of("files", files, "count", files.size(), "offset", page.offset(), "total", store.uploads().countDocuments(filter));
    }
}
