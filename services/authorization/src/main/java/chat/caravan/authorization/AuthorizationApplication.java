package chat.caravan.authorization;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The authorization service: roles, permissions and room access. Loads only the authorization route group. */
@SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.authorization"})
public class AuthorizationApplication {

    public static void main(String[] args) {
        CaravanApplication.run(AuthorizationApplication.class, "authorization", args);
    }
}
