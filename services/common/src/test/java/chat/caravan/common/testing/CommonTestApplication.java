package chat.caravan.common.testing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The shared beans alone, as every deployable has them, for tests of services/common. */
@SpringBootApplication(scanBasePackages = "chat.caravan.common")
public class CommonTestApplication {
}
