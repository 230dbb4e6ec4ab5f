package chat.caravan.common;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Refuses, before anything starts, a configuration that cannot work: a single service without a bus. A training run for
 * class data sharing ({@code -Dspring.context.exit=onRefresh}, see {@code docker/cds-archive.sh}) is let through on
 * the in-process bus: it exits once its context is up and serves nobody.
 */
public class StartupChecks implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Environment environment = event.getEnvironment();
        String service = environment.getProperty("caravan.service", CaravanApplication.ALL_IN_ONE);
        String transporter = environment.getProperty("caravan.transporter", "");
        if (!CaravanApplication.ALL_IN_ONE.equals(service) && transporter.isBlank() && !isTrainingRun(environment)) {
            throw new IllegalStateException("TRANSPORTER is not set. The " + service
                    + " service talks to the other services over NATS: set TRANSPORTER=nats://host:4222."
                    + " Only the all-in-one runs without it, on its in-process bus.");
        }
    }

    /** A run that exits once its context is refreshed: the training run of a class data sharing archive. */
    public static boolean isTrainingRun(Environment environment) {
        return "onRefresh".equalsIgnoreCase(environment.getProperty("spring.context.exit", ""));
    }
}
