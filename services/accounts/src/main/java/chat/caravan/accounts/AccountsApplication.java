package chat.caravan.accounts;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The accounts service: login, resume tokens, logout, token hashing. Loads only the accounts route group. */
@SpringBootApplication(scanBasePackages = {"chat.caravan.common", "chat.caravan.accounts"})
public class AccountsApplication {

    public static void main(String[] args) {
        CaravanApplication.run(AccountsApplication.class, "accounts", args);
    }
}
