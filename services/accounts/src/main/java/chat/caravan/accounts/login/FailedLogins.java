package chat.caravan.accounts.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.settings.Settings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's Block_Multiple_Failed_Logins: failed and successful logins are recorded in
 * {@code rocketchat_server_events} (shared by every accounts replica); once the failures since the last success for
 * a user or an IP reach the limit, further attempts are refused until the last failure is older than the unblock time.
 */
@Component
public class FailedLogins {

    static final String SERVER_EVENTS = "rocketchat_server_events";
    static final String FAILED = "failed-login";
    static final String SUCCEEDED = "login";

    private final MongoCollection<Document> events;
    private final Settings settings;

    public FailedLogins(MongoDatabase database, Settings settings) {
        this.events = database.getCollection(SERVER_EVENTS);
        this.settings = settings;
        events.createIndex(Indexes.ascending("t", "ip", "ts"));
        events.createIndex(Indexes.ascending("t", "u.username", "ts"));
    }

    /** Refuses a login attempt from a blocked IP or for a blocked user. */
    public void checkAllowed(String username, String ip) {
        if (!settings.bool("Block_Multiple_Failed_Logins_Enabled", true)) {
            return;
        }
        if (ip != null && settings.bool("Block_Multiple_Failed_Logins_By_Ip", true) && !whitelisted(ip)
                && blocked(Filters.eq("ip", ip), settings.integer("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", 50),
                settings.integer("Block_Multiple_Failed_Logins_Time_To_Unblock_By_Ip_In_Minutes", 5))) {
            throw new CaravanException(403, "error-login-blocked-for-ip", "Login has been temporarily blocked For IP", null);
        }
        if (username != null && settings.bool("Block_Multiple_Failed_Logins_By_User", true)
                && blocked(Filters.eq("u.username", username),
                settings.integer("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 10),
                settings.integer("Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes", 5))) {
            throw new CaravanException(403, "error-login-blocked-for-user", "Login has been temporarily blocked For User", null);
        }
    }

    public void recordFailure(String username, String ip) {
        events.insertOne(new Document("t", FAILED).append("ip", ip).append("u", new Document("username", username))
                .append("ts", new Date()));
    }

    public void recordSuccess(String userId, String username, String ip) {
        events.insertOne(new Document("t", SUCCEEDED).append("ip", ip)
                .append("u", new Document("_id", userId).append("username", username)).append("ts", new Date()));
    }

    private boolean blocked(Bson who, int attemptsUntilBlock, int minutesToUnblock) {
        Document lastSuccess = events.find(Filters.and(Filters.eq("t", SUCCEEDED), who)).sort(Sorts.descending("ts")).first();
        Date since = lastSuccess == null ? new Date(0) : lastSuccess.getDate("ts");
        Bson failuresSince = Filters.and(Filters.eq("t", FAILED), who, Filters.gt("ts", since));
        long failures = events.countDocuments(failuresSince);
        if (failures < Math.max(1, attemptsUntilBlock)) {
            return false;
        }
        Document lastFailure = events.find(failuresSince).sort(Sorts.descending("ts")).first();
        Instant unblockAt = lastFailure.getDate("ts").toInstant().plus(Duration.ofMinutes(Math.max(0, minutesToUnblock)));
        return Instant.now().isBefore(unblockAt);
    }

    private boolean whitelisted(String ip) {
        String list = settings.string("Block_Multiple_Failed_Logins_Ip_Whitelist", "");
        for (String entry : list.split(",")) {
            if (entry.trim().equals(ip)) {
                return true;
            }
        }
        return false;
    }
}
