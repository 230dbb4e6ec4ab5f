package chat.caravan.common.bus;

/** No instance answered a request in time, or the bus is disconnected. */
public class BusUnavailableException extends RuntimeException {

    public BusUnavailableException(String message) {
        super(message);
    }

    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
