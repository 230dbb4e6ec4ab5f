package chat.caravan.presence;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The presence service: user connections and statuses. Loads only the presence route group. */
@SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.presence"})
public class PresenceApplication {

    public static void main(String[] args) {
        CaravanApplication.run(PresenceApplication.class, "presence", args);
    }
}
