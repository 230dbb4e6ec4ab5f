package chat.caravan.common.topic;

import chat.caravan.common.health.Metrics;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code topic:} endpoints of the route files. */
@Configuration(proxyBeanMethods = false)
public class TopicConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TopicConfiguration.class);

    /** The message events were {@code seda:...?multipleConsumers=true} before they became topics. */
    static final String[] FORMER_ENDPOINTS = {"seda://message.saved", "seda://message.deleted"};

    @Bean(name = "topic")
    TopicComponent topicComponent(Metrics metrics) {
        return new TopicComponent(metrics);
    }

    /** A route still reading a former endpoint would wait for messages that never come: say so at start. */
    @Bean
    CamelContextConfiguration formerTopicEndpoints() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                for (Route route : camelContext.getRoutes()) {
                    String uri = route.getEndpoint().getEndpointUri();
                    for (String former : FORMER_ENDPOINTS) {
                        if (uri.startsWith(former)) {
                            LOG.warn("Route {} reads {}, which nothing sends to: listen on topic:{} instead (routes/README.md)",
                                    route.getRouteId(), uri, former.substring("seda://".length()));
                        }
                    }
                }
            }
        };
    }
}
