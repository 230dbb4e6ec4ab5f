package chat.caravan.common.mongo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelId;

/**
 * The embedded store's authentication: MongoDB's SCRAM-SHA-256 conversation ({@code saslStart}, {@code saslContinue},
 * RFC 5802 and 7677) for its one account (see {@link StoreCredentials}), and the rule that a connection which has
 * not authenticated may only say hello. The server keeps the account's salted keys, never the password's hash alone.
 */
final class ScramAuthentication {

    /** MongoDB's "Unauthorized" and "AuthenticationFailed" error codes. */
    static final int UNAUTHORIZED = 13;
    static final int AUTHENTICATION_FAILED = 18;
    static final String MECHANISM = "SCRAM-SHA-256";
    /**
     * PBKDF2 iterations: RFC 7677's minimum, which the Java driver requires. Iterations slow down guessing a password
     * from a recorded conversation; this account's password is 192 random bits, beyond guessing at any count, while
     * each count is paid by every start (the store derives its keys, each client once) on a start's critical path.
     */
    private static final int ITERATIONS = 4096;

    /**
     * Commands a connection may send before it authenticates: the handshake and the conversation itself, and
     * getlasterror (a connection's own last error: nothing to see before login), which a client asks right after
     * connecting; refusing it logged an error with a stack trace at every start.
     */
    private static final Set<String> BEFORE_LOGIN = Set.of("hello", "ismaster", "buildinfo", "ping", "saslstart",
            "saslcontinue", "endsessions", "whatsmyuri", "getlasterror");

    private final String username;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final SecureRandom random = new SecureRandom();
    private final Set<ChannelId> authenticated = ConcurrentHashMap.newKeySet();
    private final Map<ChannelId, Conversation> conversations = new ConcurrentHashMap<>();

    /** One conversation under way: what the server said first and the nonce it expects back. */
    private record Conversation(String clientFirstBare, String serverFirst, String nonce) {
    }

    ScramAuthentication(StoreCredentials credentials) {
        this.username = credentials.username();
        this.salt = new byte[16];
        random.nextBytes(salt);
        byte[] saltedPassword = pbkdf2(credentials.password(), salt);
        this.storedKey = sha256(hmac(saltedPassword, "Client Key"));
        this.serverKey = hmac(saltedPassword, "Server Key");
    }

    /**
     * Answers {@code saslStart} and {@code saslContinue}; refuses any other command of a connection that has not
     * authenticated. Returns null when the command is for the store to run.
     */
    Document handle(Channel channel, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("saslstart")) {
            return start(channel, query);
        }
        if (name.equals("saslcontinue")) {
            return proceed(channel, query);
        }
        if (!authenticated.contains(channel.id()) && !BEFORE_LOGIN.contains(name)) {
            throw new MongoServerError(UNAUTHORIZED, "Unauthorized", "command " + command + " requires authentication");
        }
        return null;
    }

    /** Whether {@code channel} has logged in. */
    boolean isAuthenticated(Channel channel) {
        return authenticated.contains(channel.id());
    }

    void forget(Channel channel) {
        authenticated.remove(channel.id());
        conversations.remove(channel.id());
    }

    /** Advertises the mechanism in the handshake, as MongoDB does when asked about a user. */
    void describe(Document hello, Document query) {
        if (query.get("saslSupportedMechs") != null) {
            hello.put("saslSupportedMechs", java.util.List.of(MECHANISM));
        }
    }

    private Document start(Channel channel, Document query) {
        if (!MECHANISM.equals(query.get("mechanism"))) {
            throw failed();
        }
        String clientFirst = payload(query);
        // "n,,n=<user>,r=<nonce>": no channel binding, no authorization identity
        if (!clientFirst.startsWith("n,,")) {
            throw failed();
        }
        String clientFirstBare = clientFirst.substring(3);
        Map<String, String> fields = fields(clientFirstBare);
        String user = fields.get("n");
        String clientNonce = fields.get("r");
        if (user == null || clientNonce == null || !username.equals(unescape(user))) {
            throw failed();
        }
        byte[] serverNonce = new byte[24];
        random.nextBytes(serverNonce);
        String nonce = clientNonce + Base64.getEncoder().encodeToString(serverNonce);
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
        conversations.put(channel.id(), new Conversation(clientFirstBare, serverFirst, nonce));
        return reply(false, serverFirst);
    }

    private Document proceed(Channel channel, Document query) {
        if (authenticated.contains(channel.id())) {
            // the driver's last, empty step when it did not ask to skip it
            return reply(true, "");
        }
        Conversation conversation = conversations.remove(channel.id());
        if (conversation == null) {
            throw failed();
        }
        String clientFinal = payload(query);
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw failed();
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        Map<String, String> fields = fields(withoutProof);
        if (!conversation.nonce().equals(fields.get("r")) || !"biws".equals(fields.get("c"))) {
            throw failed();
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw failed();
        }
        String authMessage = conversation.clientFirstBare() + "," + conversation.serverFirst() + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        if (proof.length != clientSignature.length) {
            throw failed();
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) {
            throw failed();
        }
        authenticated.add(channel.id());
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
        boolean skipEmpty = query.get("options") instanceof Document options && Boolean.TRUE.equals(options.get("skipEmptyExchange"));
        return reply(skipEmpty, serverFinal);
    }

    private static Document reply(boolean done, String payload) {
        Document reply = new Document("conversationId", 1).append("done", done)
                .append("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8)));
        reply.put("ok", 1.0);
        return reply;
    }

    private static String payload(Document query) {
        Object payload = query.get("payload");
        if (payload instanceof BinData data) {
            return new String(data.getData(), StandardCharsets.UTF_8);
        }
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        throw failed();
    }

    private static Map<String, String> fields(String message) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                fields.put(part.substring(0, 1), part.substring(2));
            }
        }
        return fields;
    }

    private static String unescape(String name) {
        return name.replace("=2C", ",").replace("=3D", "=");
    }

    private static MongoServerError failed() {
        return new MongoServerError(AUTHENTICATION_FAILED, "AuthenticationFailed", "Authentication failed.");
    }

    private static byte[] pbkdf2(String password, byte[] salt) {
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return factory.generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
