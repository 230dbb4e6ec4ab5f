package chat.caravan.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/**
 * Benchmark users, rooms and memberships written straight into MongoDB in Rocket.Chat's document shapes, with
 * resume tokens stored as Rocket.Chat stores them (base64 SHA-256), so thousands of users log in without thousands of
 * bcrypt password checks during set-up. Only set-up goes around the API; everything measured goes through it.
 */
public final class Fixtures implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoClient client;
    private final MongoDatabase db;

    public Fixtures(String mongoUrl) {
        this.client = MongoClients.create(mongoUrl);
        this.db = client.getDatabase("rocketchat");
    }

    /** A user with a fresh login token. */
    public record BenchUser(String id, String username, String token) {
    }

    public List<BenchUser> users(String prefix, int count) {
        List<BenchUser> users = new ArrayList<>(count);
        List<Document> documents = new ArrayList<>(count);
        Date now = new Date();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            String username = prefix + "-user-" + i;
            String token = token();
            users.add(new BenchUser(id, username, token));
            documents.add(new Document("_id", id).append("username", username).append("name", username)
                    .append("type", "user").append("active", true).append("roles", List.of("user"))
                    .append("status", "offline").append("emails", List.of(new Document("address", username + "@bench.test")
                            .append("verified", true)))
                    .append("services", new Document("resume", new Document("loginTokens", List.of(
                            new Document("when", now).append("hashedToken", hash(token))))))
                    .append("createdAt", now).append("_updatedAt", now));
            if (documents.size() == 1000) {
                db.getCollection("users").insertMany(documents);
                documents.clear();
            }
        }
        if (!documents.isEmpty()) {
            db.getCollection("users").insertMany(documents);
        }
        return users;
    }

    /** How many of the users presence still shows as not offline. */
    public long notOffline(List<BenchUser> users) {
        return db.getCollection("users").countDocuments(com.mongodb.client.model.Filters.and(
                com.mongodb.client.model.Filters.in("_id", users.stream().map(BenchUser::id).toList()),
                com.mongodb.client.model.Filters.ne("status", "offline")));
    }

    /** A public channel with the given members, each subscribed as Rocket.Chat keeps memberships. */
    public String room(String name, List<BenchUser> members) {
        return room(name, members, "c");
    }

    /** A channel ({@code c}) or private group ({@code p}) with the given members, each subscribed. */
    public String room(String name, List<BenchUser> members, String type) {
        String rid = name;
        Date now = new Date();
        BenchUser owner = members.get(0);
        db.getCollection("rocketchat_room").insertOne(new Document("_id", rid).append("name", name).append("fname", name)
                .append("t", type).append("msgs", 0).append("usersCount", members.size()).append("ts", now)
                .append("u", new Document("_id", owner.id()).append("username", owner.username()))
                .append("ro", false).append("default", false).append("sysMes", true).append("_updatedAt", now));
        List<Document> subscriptions = new ArrayList<>();
        for (BenchUser member : members) {
            subscriptions.add(new Document("_id", rid + "-" + member.id()).append("rid", rid).append("name", name)
                    .append("fname", name).append("t", type)
                    .append("u", new Document("_id", member.id()).append("username", member.username()))
                    .append("open", true).append("alert", false).append("unread", 0).append("userMentions", 0)
                    .append("groupMentions", 0).append("ts", now).append("ls", now).append("_updatedAt", now)
                    .append("roles", member == owner ? List.of("owner") : List.of()));
            if (subscriptions.size() == 1000) {
                db.getCollection("rocketchat_subscription").insertMany(subscriptions);
                subscriptions.clear();
            }
        }
        if (!subscriptions.isEmpty()) {
            db.getCollection("rocketchat_subscription").insertMany(subscriptions);
        }
        return rid;
    }

    /** A direct conversation between two users, stored as Rocket.Chat stores one (id: both ids, sorted). */
    public String direct(BenchUser a, BenchUser b) {
        List<BenchUser> pair = a.id().compareTo(b.id()) < 0 ? List.of(a, b) : List.of(b, a);
        String rid = pair.get(0).id() + pair.get(1).id();
        Date now = new Date();
        db.getCollection("rocketchat_room").insertOne(new Document("_id", rid).append("t", "d")
                .append("usernames", pair.stream().map(BenchUser::username).toList())
                .append("uids", pair.stream().map(BenchUser::id).toList()).append("msgs", 0).append("usersCount", 2)
                .append("ts", now).append("_updatedAt", now));
        List<Document> subscriptions = new ArrayList<>();
        for (BenchUser member : pair) {
            BenchUser other = member == pair.get(0) ? pair.get(1) : pair.get(0);
            subscriptions.add(new Document("_id", rid + "-" + member.id()).append("rid", rid).append("name", other.username())
                    .append("fname", other.username()).append("t", "d")
                    .append("u", new Document("_id", member.id()).append("username", member.username()))
                    .append("open", true).append("alert", false).append("unread", 0).append("userMentions", 0)
                    .append("groupMentions", 0).append("ts", now).append("ls", now).append("_updatedAt", now));
        }
        db.getCollection("rocketchat_subscription").insertMany(subscriptions);
        return rid;
    }

    @Override
    public void close() {
        client.close();
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
