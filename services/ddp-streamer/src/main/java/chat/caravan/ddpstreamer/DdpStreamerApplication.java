package chat.caravan.ddpstreamer;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The ddp-streamer service: DDP over WebSocket and SockJS, fan-out of events. Loads only the ddp-streamer route group. */
@SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.ddpstreamer"})
public class DdpStreamerApplication {

    public static void main(String[] args) {
        CaravanApplication.run(DdpStreamerApplication.class, "ddp-streamer", args);
    }
}
