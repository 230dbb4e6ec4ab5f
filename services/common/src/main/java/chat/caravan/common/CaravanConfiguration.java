package chat.caravan.common;

import chat.caravan.common.routes.RouteGroupLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Wires what every deployable has: its settings and its route groups. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaravanProperties.class)
public class CaravanConfiguration {

    @Bean
    RouteGroupLoader routeGroupLoader(CaravanProperties properties) {
        return new RouteGroupLoader(properties);
    }

    /** Route files load after the HTTP server and the bus are in place. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    CamelContextConfiguration routeGroups(RouteGroupLoader loader) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                // a failure no route handles still reaches a client in Rocket.Chat's error shape, never Camel's 500
                camelContext.getCamelContextExtension().setErrorHandlerFactory(
                        new DeadLetterChannelBuilder("bean:restErrors?method=render").logExhausted(false));
                loader.load(camelContext);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
            }
        };
    }
}
