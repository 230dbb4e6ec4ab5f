package chat.caravan.common;

import java.util.HashMap;
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

    /** Properties naming the deployable, and its log format from LOG_FORMAT; tests use them too. */
    public static Map<String, Object> defaults(String service) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("caravan.service", service);
        defaults.put("spring.config.import", "optional:classpath:caravan-services/" + service + ".yaml");
        defaults.put("logging.structured.ecs.service.name", "caravan-" + service);
        String format = structuredLogFormat(System.getenv("LOG_FORMAT"));
        if (format != null) {
            defaults.put("logging.structured.format.console", format);
        }
        return defaults;
    }

    /**
     * LOG_FORMAT=json writes one JSON object per line in Elastic Common Schema (Spring Boot's structured logging, MDC
     * entries such as the request id included); ecs, logstash and gelf name a format; anything else keeps plain text.
     */
    static String structuredLogFormat(String logFormat) {
        if (logFormat == null) {
            return null;
        }
        return switch (logFormat.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "json", "ecs" -> "ecs";
            case "logstash" -> "logstash";
            case "gelf" -> "gelf";
            default -> null;
        };
    }
}
