package chat.caravan.core;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.messages.MessageQueries;
import chat.caravan.core.rooms.RoomEndpoints;
import chat.caravan.core.rooms.RoomKind;
import chat.caravan.core.rooms.RoomLookup;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomSettingsService;
import chat.caravan.core.rooms.RoomStore;
import chat.caravan.core.users.UserLookup;
import com.mongodb.client.MongoDatabase;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The channels.* and groups.* endpoints: one class, one bean per kind of room. */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {

    @Bean
    RoomEndpoints channelEndpoints(RoomStore store, RoomService rooms, RoomSettingsService roomSettings, RoomLookup lookup,
            MessageQueries queries, UserLookup users, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database) {
        return new RoomEndpoints(RoomKind.CHANNEL, store, rooms, roomSettings, lookup, queries, users, authorization, settings,
                auth, database);
    }

    @Bean
    RoomEndpoints groupEndpoints(RoomStore store, RoomService rooms, RoomSettingsService roomSettings, RoomLookup lookup,
            MessageQueries queries, UserLookup users, Authorization authorization, Settings settings, RestAuth auth,
            MongoDatabase database) {
        return new RoomEndpoints(RoomKind.GROUP, store, rooms, roomSettings, lookup, queries, users, authorization, settings,
                auth, database);
    }
}
