package chat.caravan.streamhub;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The stream-hub service: MongoDB change streams to broadcast events. Loads only the stream-hub route group. */
@SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.streamhub"})
public class StreamHubApplication {

    public static void main(String[] args) {
        CaravanApplication.run(StreamHubApplication.class, "stream-hub", args);
    }
}
