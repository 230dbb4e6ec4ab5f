package chat.caravan.common.error;

/**
 * A failure a client caused or may see, carrying what Rocket.Chat would answer: the HTTP status, the coded error
 * (errorType, e.g. {@code error-room-not-found}), a reason and optional details. REST turns it into
 * {@code {success:false, error:"<reason> [<code>]", errorType}}, DDP into a Meteor error; across the bus it travels
 * as the error part of a reply.
 */
public class CaravanException extends RuntimeException {

    private final int status;
    private final String errorType;
    private final String reason;
    private final Object details;

    /** {@code details} is what Rocket.Chat sends as {@code details}: usually an object, a list for password-policy failures. */
    public CaravanException(int status, String errorType, String reason, Object details) {
        super(errorType == null ? reason : (reason == null || reason.isEmpty() ? "" : reason + " ") + "[" + errorType + "]");
        this.status = status;
        this.errorType = errorType;
        this.reason = reason;
        this.details = details;
    }

    /** A coded business error: 400 with {@code "<reason> [<code>]"}. */
    public static CaravanException coded(String errorType, String reason) {
        return new CaravanException(400, errorType, reason, null);
    }

    public static CaravanException coded(String errorType, String reason, Object details) {
        return new CaravanException(400, errorType, reason, details);
    }

    /** An uncoded failure: 400 with just {@code error: message}. */
    public static CaravanException plain(String message) {
        return new CaravanException(400, null, message, null);
    }

    /** A body or query parameter failed validation. */
    public static CaravanException invalidParams(String message) {
        return new CaravanException(400, "invalid-params", message, null);
    }

    /** No or wrong credentials on a route that needs them. */
    public static CaravanException notLoggedIn() {
        return new CaravanException(401, null, "You must be logged in to do this.", null);
    }

    /** A route-level permission check failed. */
    public static CaravanException forbidden(String message) {
        return new CaravanException(403, null, message, null);
    }

    public static CaravanException notFound(String message) {
        return new CaravanException(404, null, message, null);
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    public String reason() {
        return reason;
    }

    public Object details() {
        return details;
    }
}
