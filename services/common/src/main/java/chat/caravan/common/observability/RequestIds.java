package chat.caravan.common.observability;

import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * The request id of the REST call or DDP method being handled: taken from the client's {@code X-Request-Id} or made
 * up, kept in the logging MDC under {@value #MDC_KEY} (so every log line written while handling it names it), sent
 * back in the REST reply and carried on bus requests as the NATS header {@value #HEADER}, so each service that worked
 * on it logs the same id.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** What a client-chosen id may look like; anything else is replaced, so logs never carry a client's junk. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private RequestIds() {
    }

    /** The client's id when it is well formed, else a new one. */
    public static String acceptOrCreate(String fromClient) {
        return fromClient != null && ACCEPTED.matcher(fromClient).matches() ? fromClient : create();
    }

    public static String create() {
        return UUID.randomUUID().toString();
    }

    /** The id of the request this thread handles, or null. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** Makes {@code id} the current one (null clears it); returns the previous one, to restore afterwards. */
    public static String enter(String id) {
        String previous = MDC.get(MDC_KEY);
        restore(id);
        return previous;
    }

    public static void restore(String previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }
}
