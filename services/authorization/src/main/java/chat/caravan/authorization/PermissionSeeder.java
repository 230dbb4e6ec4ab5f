package chat.caravan.authorization;

import java.util.Date;

import chat.caravan.common.model.Collections;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Seeds the default roles and permissions when missing. An operator's later changes are never overwritten:
 * existing documents are left alone ({@code $setOnInsert}), so concurrent replicas and restarts are safe.
 */
@Component
public class PermissionSeeder {

    private static final Logger LOG = LoggerFactory.getLogger(PermissionSeeder.class);

    private final MongoDatabase database;

    public PermissionSeeder(MongoDatabase database) {
        this.database = database;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    public void seed() {
        Date now = new Date();
        int inserted = 0;
        for (DefaultPermissions.Role role : DefaultPermissions.ROLES) {
            var result = database.getCollection(Collections.ROLES).updateOne(Filters.eq("_id", role.id()),
                    Updates.combine(Updates.setOnInsert("name", role.id()), Updates.setOnInsert("scope", role.scope()),
                            Updates.setOnInsert("description", role.description()), Updates.setOnInsert("protected", true),
                            Updates.setOnInsert("mandatory2fa", false), Updates.setOnInsert("_updatedAt", now)),
                    new UpdateOptions().upsert(true));
            inserted += result.getUpsertedId() != null ? 1 : 0;
        }
        for (var permission : DefaultPermissions.PERMISSIONS.entrySet()) {
            var result = database.getCollection(Collections.PERMISSIONS).updateOne(Filters.eq("_id", permission.getKey()),
                    Updates.combine(Updates.setOnInsert("roles", permission.getValue()),
                            Updates.setOnInsert("_updatedAt", now)),
                    new UpdateOptions().upsert(true));
            inserted += result.getUpsertedId() != null ? 1 : 0;
        }
        if (inserted > 0) {
            LOG.info("Seeded {} default roles and permissions", inserted);
        }
    }
}
