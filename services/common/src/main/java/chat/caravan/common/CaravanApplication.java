package chat.caravan.common;

import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;

/** Starts one Caravan deployable: a single service, or every route group at once in the all-in-one. */
public final class CaravanApplication {

    public static final String ALL_IN_ONE = "all-in-one";

    /** The route groups, in the order the all-in-one loads them. */
    public static final List<String> SERVICE_GROUPS =
            List.of("accounts", "authorization", "presence", "stream-hub", "ddp-streamer", "core");

    private CaravanApplication() {
    }

    public static void run(Class<?> application, String service, String[] args) {
        new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .properties(defaults(service))
                .listeners(new StartupChecks())
                .run(args);
    }

    /** Properties naming the deployable; tests use them too. */
    public static Map<String, Object> defaults(String service) {
        return Map.of(
                "caravan.service", service,
                "spring.config.import", "optional:classpath:caravan-services/" + service + ".yaml");
    }
}
