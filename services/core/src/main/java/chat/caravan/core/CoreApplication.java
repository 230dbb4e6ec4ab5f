package chat.caravan.core;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The core service: the Rocket.Chat REST API for users, rooms, messages, subscriptions and settings. Loads only the core route group. */
@SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.core"})
public class CoreApplication {

    public static void main(String[] args) {
        CaravanApplication.run(CoreApplication.class, "core", args);
    }
}
