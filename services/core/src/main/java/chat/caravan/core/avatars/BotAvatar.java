package chat.caravan.core.avatars;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import chat.caravan.common.model.Collections;
import chat.caravan.common.model.UserFields;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The bot {@code rocket.cat} gets a picture of its own when it is created, as in Rocket.Chat (origin {@code local},
 * so it has an {@code avatarETag} like any uploaded avatar). The accounts service creates the bot; core, which owns
 * the avatar store, gives it the image when it sees the bot without one.
 */
@Component
public class BotAvatar {

    private static final Logger LOG = LoggerFactory.getLogger(BotAvatar.class);
    public static final String BOT_ID = "rocket.cat";
    static final String IMAGE = "/avatars/rocket.cat.png";

    private final MongoDatabase database;
    private final AvatarService avatars;

    public BotAvatar(MongoDatabase database, AvatarService avatars) {
        this.database = database;
        this.avatars = avatars;
    }

    /** Stores the bot's image unless the bot is missing or already has an avatar (an operator's choice stays). */
    public synchronized void ensure() {
        Document bot = database.getCollection(Collections.USERS).find(Filters.eq(UserFields.ID, BOT_ID)).first();
        if (bot == null || bot.get("avatarOrigin") != null || bot.getString(UserFields.USERNAME) == null) {
            return;
        }
        Path file = null;
        try (InputStream in = BotAvatar.class.getResourceAsStream(IMAGE)) {
            if (in == null) {
                LOG.warn("the bot's avatar image {} is not packaged", IMAGE);
                return;
            }
            file = Files.createTempFile("caravan-bot-avatar", ".png");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            avatars.setUserAvatar(bot, file, "image/png", "local");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", file, e.getMessage());
                }
            }
        }
    }
}
