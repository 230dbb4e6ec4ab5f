package chat.caravan.common.bus;

import java.util.Locale;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** One call or event name on the bus; see {@link BusComponent}. */
public class BusEndpoint extends DefaultEndpoint implements org.apache.camel.MultipleConsumersSupport {

    public enum Kind {
        RPC, EVENT;

        static Kind of(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bus endpoint kind must be rpc or event, not " + text, e);
            }
        }
    }

    private final Kind kind;
    private final String name;
    private final BusClient client;

    BusEndpoint(String uri, BusComponent component, Kind kind, String name, BusClient client) {
        super(uri, component);
        this.kind = kind;
        this.name = name;
        this.client = client;
    }

    /** Several routes of one process may listen to the same event (e.g. authorization and ddp-streamer). */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                Object payload = payloadOf(exchange.getIn().getBody());
                if (kind == Kind.RPC) {
                    exchange.getMessage().setBody(client.call(name, payload));
                } else {
                    client.publish(name, payload);
                }
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new BusConsumer(processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** JSON text or bytes travel as the tree they hold; other text travels as a JSON string. */
    private static Object payloadOf(Object body) {
        if (body instanceof byte[] bytes) {
            body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (body instanceof String text) {
            try {
                return CaravanJson.ejson().readTree(text);
            } catch (java.io.IOException e) {
                return text;
            }
        }
        return body;
    }

    private static CaravanException causeOfType(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaravanException coded) {
                return coded;
            }
        }
        return null;
    }

    private final class BusConsumer extends DefaultConsumer {
        private AutoCloseable subscription;

        BusConsumer(Processor processor) {
            super(BusEndpoint.this, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            subscription = kind == Kind.RPC ? client.serve(name, this::handle) : client.subscribe(name, this::receive);
        }

        @Override
        protected void doStop() throws Exception {
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            super.doStop();
        }

        private Object handle(JsonNode request) {
            Exchange exchange = createExchange(false);
            try {
                exchange.setPattern(org.apache.camel.ExchangePattern.InOut);
                exchange.getIn().setBody(request);
                getProcessor().process(exchange);
                Throwable failure = exchange.getException();
                if (failure == null) {
                    // handled by the REST error mapping, but a bus caller must still get the error
                    failure = exchange.getProperty(chat.caravan.common.rest.RestErrors.FAILURE, Throwable.class);
                }
                if (failure instanceof CaravanException caravan) {
                    throw caravan;
                }
                if (failure != null) {
                    CaravanException coded = causeOfType(failure);
                    if (coded != null) {
                        throw coded;
                    }
                    throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
                }
                return payloadOf(exchange.getMessage().getBody());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                releaseExchange(exchange, false);
            }
        }

        private void receive(JsonNode event) {
            Exchange exchange = createExchange(false);
            try {
                exchange.getIn().setBody(event);
                getProcessor().process(exchange);
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("event " + name + " failed", exchange, exchange.getException());
                }
            } catch (Exception e) {
                getExceptionHandler().handleException("event " + name + " failed", exchange, e);
            } finally {
                releaseExchange(exchange, false);
            }
        }
    }
}
