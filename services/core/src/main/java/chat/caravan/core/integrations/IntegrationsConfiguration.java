package chat.caravan.core.integrations;

import java.time.Duration;

import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Bounds every camel-http call (outgoing webhooks, integrators' routes): a webhook that hangs cannot hold a consumer. */
@Configuration(proxyBeanMethods = false)
public class IntegrationsConfiguration {

    @Bean
    ComponentCustomizer httpTimeouts(@Value("${caravan.integrations.http-timeout:10s}") Duration timeout) {
        long bound = timeout.toMillis();
        return ComponentCustomizer.builder(HttpComponent.class).build(http -> {
            http.setConnectTimeout(bound);
            http.setConnectionRequestTimeout(bound);
            http.setResponseTimeout(bound);
            http.setSoTimeout(bound);
        });
    }
}
