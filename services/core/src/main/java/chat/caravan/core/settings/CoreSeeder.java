package chat.caravan.core.settings;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import chat.caravan.common.bus.BusClient;
import chat.caravan.common.model.Collections;
import chat.caravan.common.model.Ids;
import chat.caravan.common.model.RoomFields;
import chat.caravan.core.avatars.BotAvatar;
import chat.caravan.core.rooms.RoomService;
import chat.caravan.core.rooms.RoomStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import jakarta.annotation.PreDestroy;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * First start of an empty database, as Rocket.Chat: setting defaults (never overwriting an operator's value), the
 * GENERAL channel, new users (the first admin included) joined to the default channels, and the bot's avatar.
 */
@Component
public class CoreSeeder implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(CoreSeeder.class);

    private final MongoDatabase database;
    private final RoomStore store;
    private final RoomService rooms;
    private final BusClient bus;
    private final BotAvatar botAvatar;
    private AutoCloseable userCreated;

    public CoreSeeder(MongoDatabase database, RoomStore store, RoomService rooms, BusClient bus, BotAvatar botAvatar) {
        this.database = database;
        this.botAvatar = botAvatar;
        this.store = store;
        this.rooms = rooms;
        this.bus = bus;
    }

    @Override
    public void afterSingletonsInstantiated() {
        seedData();
    }

    /**
     * Administrators join the default channels once Camel runs: a join posts a system message, which goes through the
     * message pipeline's routes.
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    public void joinAndListen() {
        updateSetupState();
        for (Document admin : database.getCollection(Collections.USERS).find(Filters.eq("roles", "admin"))) {
            joinDefaultChannels(admin.getString("_id"));
        }
        if (userCreated == null) {
            userCreated = bus.subscribe("accounts.userCreated", this::onUserCreated);
            // after subscribing: the bot created by accounts before this start or announced from now on
            giveTheBotItsAvatar();
        }
    }

    public void seed() {
        seedData();
        joinAndListen();
    }

    private void seedData() {
        Date now = new Date();
        seedSettings(now);
        database.getCollection(Collections.ROOMS).updateOne(Filters.eq("_id", "GENERAL"), Updates.combine(
                Updates.setOnInsert(RoomFields.TYPE, RoomFields.CHANNEL), Updates.setOnInsert(RoomFields.NAME, "general"),
                Updates.setOnInsert(RoomFields.FNAME, "general"), Updates.setOnInsert(RoomFields.DEFAULT, true),
                Updates.setOnInsert(RoomFields.MSGS, 0), Updates.setOnInsert(RoomFields.USERS_COUNT, 0),
                Updates.setOnInsert(RoomFields.TS, now), Updates.setOnInsert(RoomFields.READ_ONLY, false),
                Updates.setOnInsert(RoomFields.SYSTEM_MESSAGES, true), Updates.setOnInsert(RoomFields.UPDATED_AT, now)),
                new UpdateOptions().upsert(true));
    }

    /**
     * {@code Show_Setup_Wizard}: "pending" while the database has no administrator (the web client then says how to
     * create the first one), "completed" once one exists. Checked at start and when an administrator is created.
     */
    public void updateSetupState() {
        boolean hasAdmin = database.getCollection(Collections.USERS).find(Filters.eq("roles", "admin"))
                .projection(new Document("_id", 1)).first() != null;
        String state = hasAdmin ? "completed" : "pending";
        database.getCollection(Collections.SETTINGS).updateOne(Filters.and(Filters.eq("_id", "Show_Setup_Wizard"),
                Filters.ne("value", state)), Updates.combine(Updates.set("value", state), Updates.set("_updatedAt", new Date())));
    }

    private void giveTheBotItsAvatar() {
        try {
            botAvatar.ensure();
        } catch (RuntimeException e) {
            LOG.warn("Could not store the avatar of the bot: {}", e.getMessage());
        }
    }

    /**
     * Inserts every catalogue setting the database does not have yet, in one write (an existing value, an operator's or
     * an earlier version's, is never touched). Generated settings get this installation's own value.
     */
    void seedSettings(Date now) {
        MongoCollection<Document> collection = database.getCollection(Collections.SETTINGS);
        Set<String> present = new HashSet<>();
        for (Document doc : collection.find().projection(new Document("_id", 1))) {
            present.add(doc.getString("_id"));
        }
        List<Document> missing = new ArrayList<>();
        int sorter = 0;
        for (Map<String, Object> entry : SettingsCatalogue.entries()) {
            String id = (String) entry.get("_id");
            if (!present.contains(id)) {
                missing.add(SettingsCatalogue.document(entry, initialValue(id, entry.get("value")), sorter, now));
            }
            sorter++;
        }
        if (!missing.isEmpty()) {
            collection.insertMany(missing);
            LOG.info("Added {} settings to the catalogue in the database", missing.size());
        }
    }

    private static Object initialValue(String id, Object packageValue) {
        return switch (id) {
            case "uniqueID" -> UUID.randomUUID().toString();
            case "Accounts_RegistrationForm_SecretURL" -> Ids.random();
            default -> packageValue;
        };
    }

    @PreDestroy
    void stop() throws Exception {
        if (userCreated != null) {
            userCreated.close();
        }
    }

    private void onUserCreated(JsonNode event) {
        for (JsonNode role : event.path("user").path("roles")) {
            if ("admin".equals(role.asText())) {
                // the first administrator can only come this way or from the environment before the start
                updateSetupState();
                break;
            }
        }
        if (BotAvatar.BOT_ID.equals(event.path("user").path("_id").asText(null))) {
            giveTheBotItsAvatar();
        }
        if (event.path("joinDefaultChannels").asBoolean(true)) {
            joinDefaultChannels(event.path("user").path("_id").asText(null));
        }
    }

    /**
     * Joins a user to every channel and private group flagged {@code default}, and, for a default team, to the team's
     * auto-join rooms ({@code teamDefault}) as well, posting {@code uj} as a join does; a room marked
     * {@code favorite} starts as a favorite of the new member.
     */
    public void joinDefaultChannels(String userId) {
        Document user = userId == null ? null : database.getCollection(Collections.USERS).find(Filters.eq("_id", userId)).first();
        if (user == null || user.getString("username") == null) {
            return;
        }
        for (Document room : defaultRooms()) {
            boolean member = store.subscription(room.getString("_id"), userId) != null;
            rooms.addMember(room, user, null);
            if (!member && Boolean.TRUE.equals(room.get(RoomFields.FAVORITE))) {
                store.subscriptions().updateOne(Filters.and(Filters.eq("rid", room.getString("_id")), Filters.eq("u._id", userId)),
                        Updates.set("f", true));
            }
        }
        LOG.debug("User {} joined the default channels", userId);
    }

    /** Rocket.Chat's default channels: default channels and groups, then the auto-join rooms of default teams. */
    List<Document> defaultRooms() {
        List<Document> found = store.rooms().find(Filters.and(Filters.eq(RoomFields.DEFAULT, true),
                Filters.in(RoomFields.TYPE, RoomFields.CHANNEL, RoomFields.PRIVATE_GROUP))).into(new ArrayList<>());
        Set<String> ids = new HashSet<>();
        found.forEach(room -> ids.add(room.getString("_id")));
        for (Document team : new ArrayList<>(found)) {
            if (Boolean.TRUE.equals(team.get(RoomFields.TEAM_MAIN)) && team.getString(RoomFields.TEAM_ID) != null) {
                for (Document room : store.rooms().find(Filters.and(Filters.eq(RoomFields.TEAM_ID, team.getString(RoomFields.TEAM_ID)),
                        Filters.eq(RoomFields.TEAM_DEFAULT, true)))) {
                    if (ids.add(room.getString("_id"))) {
                        found.add(room);
                    }
                }
            }
        }
        return found;
    }
}
