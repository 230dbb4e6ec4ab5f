package chat.caravan.common.bus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.nats.client.Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.nats.NatsConsumer;

/**
 * The bus over NATS through camel-nats endpoints that share one connection (the bean
 * {@value #CONNECTION_BEAN}): a request is an InOut exchange to {@code nats:<subject>}, a served call a camel-nats
 * consumer with a queue group that replies to the message's reply subject, an event a plain publish.
 */
public class NatsBusTransport implements BusTransport {

    public static final String CONNECTION_BEAN = "caravanNatsConnection";

    private final CamelContext camelContext;
    private final Connection connection;
    private final ProducerTemplate producer;
    private final String servers;

    public NatsBusTransport(CamelContext camelContext, Connection connection, String servers) {
        this.camelContext = camelContext;
        this.connection = connection;
        this.servers = servers;
        this.producer = camelContext.createProducerTemplate();
    }

    @Override
    public AutoCloseable serve(String subject, String queueGroup, UnaryOperator<byte[]> handler) {
        return consume(uri(subject) + "&queueName=" + encode(queueGroup), exchange -> {
            byte[] reply = handler.apply(exchange.getIn().getBody(byte[].class));
            exchange.getMessage().setBody(reply);
        });
    }

    @Override
    public AutoCloseable subscribe(String subject, Consumer<byte[]> listener) {
        return consume(uri(subject) + "&replyToDisabled=true",
                exchange -> listener.accept(exchange.getIn().getBody(byte[].class)));
    }

    @Override
    public CompletableFuture<byte[]> request(String subject, byte[] payload, Duration timeout) {
        Endpoint endpoint = camelContext.getEndpoint(uri(subject) + "&requestTimeout=" + timeout.toMillis());
        Exchange exchange = endpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(payload);
        return producer.asyncSend(endpoint, exchange).thenApply(done -> {
            Exception failure = done.getException();
            if (failure instanceof CancellationException) {
                throw new BusUnavailableException("no service answers " + subject);
            }
            if (failure != null) {
                throw new BusUnavailableException("request on " + subject + " failed: " + failure.getMessage(), failure);
            }
            return done.getMessage().getBody(byte[].class);
        });
    }

    @Override
    public void publish(String subject, byte[] payload) {
        producer.sendBody(uri(subject), payload);
    }

    @Override
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void flush(Duration timeout) {
        try {
            connection.flush(timeout);
        } catch (Exception e) {
            throw new BusUnavailableException("NATS did not confirm published events: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "NATS " + servers;
    }

    private AutoCloseable consume(String uri, org.apache.camel.Processor processor) {
        try {
            Endpoint endpoint = camelContext.getEndpoint(uri);
            org.apache.camel.Consumer consumer = endpoint.createConsumer(processor);
            consumer.start();
            awaitSubscribed(consumer, uri);
            return consumer::stop;
        } catch (Exception e) {
            throw new BusUnavailableException("cannot subscribe " + uri, e);
        }
    }

    /**
     * camel-nats subscribes on a thread of its own; wait until it has and the server knows, so a call or event sent
     * right after start-up is not lost.
     */
    private void awaitSubscribed(org.apache.camel.Consumer consumer, String uri) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (consumer instanceof NatsConsumer nats && !nats.isActive()) {
            if (System.nanoTime() > deadline) {
                throw new BusUnavailableException("subscription not active after 10 s: " + uri);
            }
            Thread.sleep(5);
        }
        connection.flush(Duration.ofSeconds(5));
    }

    private static String uri(String subject) {
        return "nats:" + subject + "?connection=#" + CONNECTION_BEAN;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
