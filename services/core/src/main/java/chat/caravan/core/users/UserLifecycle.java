package chat.caravan.core.users;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import chat.caravan.core.pipeline.MessagePipeline;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Tells the user.afterCreate route (routes/core/message-pipeline.yaml) about an account core had created. */
@Component
public class UserLifecycle {

    private final MongoDatabase database;
    private final MessagePipeline pipeline;

    public UserLifecycle(MongoDatabase database, MessagePipeline pipeline) {
        this.database = database;
        this.pipeline = pipeline;
    }

    public void created(String userId) {
        if (userId == null) {
            return;
        }
        Document user = database.getCollection(Collections.USERS).find(Filters.eq(UserFields.ID, userId)).first();
        if (user != null) {
            pipeline.userCreated(user);
        }
    }
}
