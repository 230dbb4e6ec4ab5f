package chat.caravan.common;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/** Refuses, before anything starts, a configuration that cannot work: a single service without a bus. */
public class StartupChecks implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Environment environment = event.getEnvironment();
        String service = environment.getProperty("caravan.service", CaravanApplication.ALL_IN_ONE);
        String transporter = environment.getProperty("caravan.transporter", "");
        if (!CaravanApplication.ALL_IN_ONE.equals(service) && transporter.isBlank()) {
            throw new IllegalStateException("TRANSPORTER is not set. The " + service
                    + " service talks to the other services over NATS: set TRANSPORTER=nats://host:4222."
                    + " Only the all-in-one runs without it, on its in-process bus.");
        }
    }
}
