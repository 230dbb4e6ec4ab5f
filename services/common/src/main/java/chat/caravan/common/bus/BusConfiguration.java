package chat.caravan.common.bus;

import java.io.IOException;
import java.time.Duration;

import chat.caravan.common.CaravanProperties;
import chat.caravan.common.StartupChecks;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Picks the bus from TRANSPORTER: NATS when set, the in-process bus for an all-in-one without it. */
@Configuration(proxyBeanMethods = false)
public class BusConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BusConfiguration.class);

    @Bean
    Subjects subjects(CaravanProperties properties) {
        return new Subjects(properties.getBus().getSubjectPrefix());
    }

    @Bean(destroyMethod = "close")
    NatsConnectionHolder natsConnectionHolder(CaravanProperties properties, Environment environment)
            throws InterruptedException {
        String transporter = properties.getTransporter().trim();
        if (transporter.isEmpty()) {
            // a training run for class data sharing (docker/cds-archive.sh) starts a single service on the in-process bus
            if (!properties.isAllInOne() && !StartupChecks.isTrainingRun(environment)) {
                throw new IllegalStateException("TRANSPORTER is not set. The " + properties.getService()
                        + " service talks to the other services over NATS: set TRANSPORTER=nats://host:4222."
                        + " Only the all-in-one runs without it, on its in-process bus.");
            }
            return new NatsConnectionHolder(null);
        }
        if (!transporter.startsWith("nats://") && !transporter.startsWith("tls://")) {
            throw new IllegalStateException("TRANSPORTER must be a NATS URL such as nats://host:4222, not " + transporter);
        }
        Options options = new Options.Builder()
                .servers(transporter.split(","))
                .connectionName("caravan-" + properties.getService() + "@" + properties.getInstanceIp())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(BusConfiguration::connectionEvent)
                .build();
        return new NatsConnectionHolder(connect(options, transporter));
    }

    @Bean(destroyMethod = "")
    BusTransport busTransport(CaravanProperties properties, NatsConnectionHolder nats, CamelContext camelContext) {
        BusTransport transport = nats.connection() == null
                ? new InProcessBusTransport(properties.getBus().getInProcessQueueLimit())
                : new NatsBusTransport(camelContext, nats.connection(), properties.getTransporter());
        LOG.info("Bus: {}", transport.describe());
        return transport;
    }

    @Bean
    BusClient busClient(BusTransport transport, Subjects subjects, CaravanProperties properties,
            chat.caravan.common.health.Metrics metrics) {
        return new BusClient(transport, subjects, properties.getBus().getRequestTimeout(), metrics);
    }

    /** The {@code bus:} endpoints of the route files. */
    @Bean(name = "bus")
    BusComponent busComponent(BusClient client) {
        return new BusComponent(client);
    }

    /** The shared connection camel-nats endpoints name with {@code connection=#caravanNatsConnection}. */
    @Bean(name = NatsBusTransport.CONNECTION_BEAN, destroyMethod = "")
    Connection caravanNatsConnection(NatsConnectionHolder holder) {
        return holder.connection();
    }

    /** Says in the log when the bus goes and comes back, so an outage reads as one story in every service's log. */
    private static void connectionEvent(Connection connection, io.nats.client.ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> LOG.warn("NATS connection lost; reconnecting");
            case RECONNECTED -> LOG.info("NATS connection back ({})", connection.getConnectedUrl());
            case RESUBSCRIBED -> LOG.info("NATS subscriptions restored");
            case CLOSED -> LOG.info("NATS connection closed");
            default -> LOG.debug("NATS connection event: {}", event);
        }
    }

    private static Connection connect(Options options, String transporter) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                Connection connection = Nats.connect(options);
                LOG.info("Connected to NATS at {}", connection.getConnectedUrl());
                return connection;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot connect to NATS at " + transporter + " (TRANSPORTER): "
                            + e.getMessage(), e);
                }
                LOG.warn("NATS at {} not reachable yet ({}); retrying", transporter, e.getMessage());
                Thread.sleep(1000);
            }
        }
    }

    /** The NATS connection when TRANSPORTER is set, closed last at shutdown. */
    public record NatsConnectionHolder(Connection connection) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
