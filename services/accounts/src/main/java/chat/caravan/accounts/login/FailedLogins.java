package chat.caravan.accounts.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.health.Metrics;
import chat.caravan.common.settings.Settings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.micrometer.core.instrument.Counter;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rocket.Chat's Block_Multiple_Failed_Logins: failed and successful logins are recorded in
 * {@code rocketchat_server_events} (shared by every accounts replica); once the failures since the last success for
 * a user or an IP reach the limit, further attempts are refused until the last failure is older than the unblock time.
 * Unlike Rocket.Chat (which counts only logins that name a username), a user is counted by id whatever named them
 * (username, e-mail, id); a name that matches nobody is counted by that name, lower-cased, and blocked with the very
 * same answer, so the block neither reveals who exists nor lets probing go on.
 */
@Component
public class FailedLogins {

    private static final Logger LOG = LoggerFactory.getLogger(FailedLogins.class);

    static final String SERVER_EVENTS = "rocketchat_server_events";
    static final String FAILED = "failed-login";
    static final String SUCCEEDED = "login";

    private final MongoCollection<Document> events;
    private final Settings settings;

    private final Counter blockedByIp;
    private final Counter blockedByUser;

    public FailedLogins(MongoDatabase database, Settings settings, Metrics metrics) {
        this.events = database.getCollection(SERVER_EVENTS);
        this.settings = settings;
        this.blockedByIp = metrics.counter("caravan.login.lockouts",
                "Login attempts refused because the IP or the user is blocked after failures", "by", "ip");
        this.blockedByUser = metrics.counter("caravan.login.lockouts",
                "Login attempts refused because the IP or the user is blocked after failures", "by", "user");
        events.createIndex(Indexes.ascending("t", "ip", "ts"));
        events.createIndex(Indexes.ascending("t", "u.username", "ts"));
        events.createIndex(Indexes.ascending("t", "u._id", "ts"));
    }

    /** Who a login attempt is counted against: a user found (by id) or the name given for nobody. */
    public record Subject(String userId, String username) {

        public static Subject user(String userId, String username) {
            return new Subject(userId, username);
        }

        public static Subject unknown(String nameGiven) {
            return new Subject(null, nameGiven.toLowerCase(Locale.ROOT));
        }

        Bson filter() {
            return userId != null ? Filters.eq("u._id", userId) : Filters.and(Filters.exists("u._id", false),
                    Filters.eq("u.username", username));
        }

        Document document() {
            Document u = new Document();
            if (userId != null) {
                u.append("_id", userId);
            }
            return u.append("username", username);
        }
    }

    /** Refuses a login attempt from a blocked IP or for a blocked user (subject null: IP only, e.g. a resume). */
    public void checkAllowed(Subject subject, String ip) {
        if (!settings.bool("Block_Multiple_Failed_Logins_Enabled", true)) {
            return;
        }
        if (ip != null && settings.bool("Block_Multiple_Failed_Logins_By_Ip", true) && !whitelisted(ip)
                && blocked(Filters.eq("ip", ip), settings.integer("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", 50),
                settings.integer("Block_Multiple_Failed_Logins_Time_To_Unblock_By_Ip_In_Minutes", 5))) {
            blockedByIp.increment();
            LOG.info("Login refused from {}: the IP is blocked after failed logins", ip);
            throw new CaravanException(403, "error-login-blocked-for-ip", "Login has been temporarily blocked For IP", null);
        }
        if (subject != null && settings.bool("Block_Multiple_Failed_Logins_By_User", true)
                && blocked(subject.filter(), settings.integer("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 10),
                settings.integer("Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes", 5))) {
            blockedByUser.increment();
            LOG.info("Login refused for {}: the user is blocked after failed logins",
                    subject.userId() != null ? subject.userId() : subject.username());
            throw new CaravanException(403, "error-login-blocked-for-user", "Login has been temporarily blocked For User", null);
        }
    }

    public void recordFailure(Subject subject, String ip) {
        if (!settings.bool("Block_Multiple_Failed_Logins_Enabled", true)) {
            return;
        }
        events.insertOne(new Document("t", FAILED).append("ip", ip).append("u", subject.document()).append("ts", new Date()));
    }

    public void recordSuccess(Subject subject, String ip) {
        if (!settings.bool("Block_Multiple_Failed_Logins_Enabled", true)) {
            return;
        }
        events.insertOne(new Document("t", SUCCEEDED).append("ip", ip).append("u", subject.document()).append("ts", new Date()));
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
        boolean blocked = Instant.now().isBefore(unblockAt);
        if (blocked) {
            LOG.debug("Login blocked for {} until {} after {} failures", who, unblockAt, failures);
        }
        return blocked;
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
