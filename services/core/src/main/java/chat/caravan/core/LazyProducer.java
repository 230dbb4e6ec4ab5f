package chat.caravan.core;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * A ProducerTemplate of the Camel context, made the first time a bean sends (beans are built before the routes they
 * send to have started), then shared by every call of that bean.
 */
public final class LazyProducer {

    private final CamelContext camel;
    private volatile ProducerTemplate template;

    public LazyProducer(CamelContext camel) {
        this.camel = camel;
    }

    public ProducerTemplate get() {
        ProducerTemplate made = template;
        if (made == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                made = template;
            }
        }
        return made;
    }
}
