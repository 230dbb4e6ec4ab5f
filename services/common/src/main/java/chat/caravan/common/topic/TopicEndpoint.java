package chat.caravan.common.topic;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** {@code topic:<name>[?size=N]}; see {@link TopicComponent}. */
public class TopicEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final Topic topic;
    private int size = 1000;

    TopicEndpoint(String uri, TopicComponent component, Topic topic) {
        super(uri, component);
        this.topic = topic;
    }

    /** How many exchanges a listener reading this endpoint may have waiting before it misses the next ones. */
    public void setSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("topic:" + topic.name() + " size must be at least 1, not " + size);
        }
        this.size = size;
    }

    public int getSize() {
        return size;
    }

    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                topic.publish(exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TopicConsumer consumer = new TopicConsumer(this, processor, topic, size);
        configureConsumer(consumer);
        return consumer;
    }
}
