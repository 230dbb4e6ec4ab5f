package chat.caravan.authorization;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import chat.caravan.common.model.Collections;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Seeds Rocket.Chat's default roles and its permission catalogue when missing, before the service takes requests. An
 * operator's later changes are never overwritten: only absent documents are inserted (a concurrent replica inserting
 * the same ones is harmless: the duplicate key is ignored), so restarts and several replicas are safe.
 */
@Component
public class PermissionSeeder implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(PermissionSeeder.class);

    private final MongoDatabase database;

    public PermissionSeeder(MongoDatabase database) {
        this.database = database;
    }

    @Override
    public void afterSingletonsInstantiated() {
        seed();
    }

    public void seed() {
        Date now = new Date();
        List<Document> roles = new ArrayList<>();
        for (PermissionCatalogue.Role role : PermissionCatalogue.ROLES) {
            roles.add(new Document("_id", role.id()).append("name", role.id()).append("scope", role.scope())
                    .append("description", role.description()).append("protected", true).append("mandatory2fa", false)
                    .append("_updatedAt", now));
        }
        List<Document> permissions = new ArrayList<>();
        for (var permission : PermissionCatalogue.PERMISSIONS.entrySet()) {
            permissions.add(new Document("_id", permission.getKey()).append("roles", permission.getValue())
                    .append("_updatedAt", now));
        }
        int inserted = insertMissing(database.getCollection(Collections.ROLES), roles)
                + insertMissing(database.getCollection(Collections.PERMISSIONS), permissions);
        if (inserted > 0) {
            LOG.info("Seeded {} default roles and permissions", inserted);
        }
    }

    /** Inserts the documents whose ids the collection lacks, in one write. */
    private static int insertMissing(MongoCollection<Document> collection, List<Document> documents) {
        Set<Object> present = new HashSet<>();
        collection.find().projection(new Document("_id", 1)).forEach(doc -> present.add(doc.get("_id")));
        List<Document> missing = documents.stream().filter(doc -> !present.contains(doc.get("_id"))).toList();
        if (missing.isEmpty()) {
            return 0;
        }
        try {
            collection.insertMany(missing, new com.mongodb.client.model.InsertManyOptions().ordered(false));
        } catch (com.mongodb.MongoBulkWriteException e) {
            // another replica seeded some of them first
            LOG.debug("Some defaults were already seeded: {}", e.getMessage());
        }
        return missing.size();
    }
}
