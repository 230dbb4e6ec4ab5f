package chat.caravan.common.error;

/**
 * A refusal a route file raises with {@code throwException}, answered as Rocket.Chat answers a refused write: 400 with
 * {@code {success:false, error, errorType}} on REST, a Meteor error on DDP. The message is the Rocket.Chat error code,
 * optionally followed by a colon and the reason a user reads: {@code "error-link-not-allowed: Links to that site are
 * not allowed"}.
 */
public class RouteRejection extends CaravanException {

    public RouteRejection(String message) {
        super(400, code(message), reason(message), null);
    }

    private static String code(String message) {
        String text = message == null ? "" : message.strip();
        int colon = text.indexOf(':');
        String code = (colon < 0 ? text : text.substring(0, colon)).strip();
        return code.isEmpty() ? "error-not-allowed" : code;
    }

    private static String reason(String message) {
        String text = message == null ? "" : message.strip();
        int colon = text.indexOf(':');
        return colon < 0 ? "" : text.substring(colon + 1).strip();
    }
}
