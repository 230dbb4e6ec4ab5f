package chat.caravan.common.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.health.Metrics;
import chat.caravan.common.observability.RequestIds;
import chat.caravan.common.testing.NatsServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bus component over both transports: the same routes, the same answers. */
class BusComponentTest {

    private static NatsServerProcess nats;

    @BeforeAll
    static void startNats() {
        nats = NatsServerProcess.start();
    }

    @AfterAll
    static void stopNats() throws InterruptedException {
        nats.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "nats"})
    void callsReachOneServerAndErrorsTravelBack(String transport) throws Exception {
        try (Node server = new Node(transport); Node client = server.peer()) {
            server.camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("bus:rpc:greeter.hello").process(exchange -> {
                        JsonNode request = exchange.getIn().getBody(JsonNode.class);
                        if (request.path("name").asText().isEmpty()) {
                            throw CaravanException.coded("error-invalid-name", "Who are you?");
                        }
                        exchange.getMessage().setBody(Map.of("greeting", "hello " + request.path("name").asText()));
                    });
                }
            });
            JsonNode reply = client.bus.call("greeter.hello", Map.of("name", "ada"));
            assertThat(reply.path("greeting").asText()).isEqualTo("hello ada");

            String viaRoute = client.camel.createProducerTemplate()
                    .requestBody("bus:rpc:greeter.hello", "{\"name\":\"bob\"}", JsonNode.class).path("greeting").asText();
            assertThat(viaRoute).isEqualTo("hello bob");

            assertThatThrownBy(() -> client.bus.call("greeter.hello", Map.of("name", "")))
                    .isInstanceOfSatisfying(CaravanException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errorType()).isEqualTo("error-invalid-name");
                        assertThat(e.getMessage()).isEqualTo("Who are you? [error-invalid-name]");
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "nats"})
    void theCallersRequestIdIsCurrentWhereTheCallAndItsEventsAreHandled(String transport) throws Exception {
        try (Node server = new Node(transport); Node client = server.peer()) {
            CompletableFuture<String> inEvent = new CompletableFuture<>();
            server.camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("bus:rpc:greeter.whoAsks").process(exchange -> {
                        exchange.getMessage().setBody(Map.of("requestId", String.valueOf(RequestIds.current())));
                        server.bus.publish("watch.asked", Map.of());
                    });
                    from("bus:event:watch.asked").process(exchange -> inEvent.complete(String.valueOf(RequestIds.current())));
                }
            });
            String previous = RequestIds.enter("req-from-client-1");
            try {
                assertThat(client.bus.call("greeter.whoAsks", Map.of()).path("requestId").asText())
                        .isEqualTo("req-from-client-1");
            } finally {
                RequestIds.restore(previous);
            }
            assertThat(inEvent.get(10, TimeUnit.SECONDS)).isEqualTo("req-from-client-1");
            assertThat(client.bus.call("greeter.whoAsks", Map.of()).path("requestId").asText()).isEqualTo("null");
        }
    }

    @org.junit.jupiter.api.Test
    void callsAreTimedPerSubjectWithTheirTimeoutSeries() throws Exception {
        Metrics metrics = new Metrics(true, 0, "");
        InProcessBusTransport transport = new InProcessBusTransport(100);
        BusClient bus = new BusClient(transport, new Subjects("test"), Duration.ofSeconds(5), metrics);
        bus.serve("greeter.hello", request -> Map.of("ok", true));
        bus.call("greeter.hello", Map.of());
        bus.call("greeter.hello", Map.of());
        String scrape = metrics.registry().scrape();
        assertThat(scrape).contains("caravan_bus_request_seconds_count{subject=\"greeter.hello\"} 2")
                .contains("caravan_bus_request_timeouts_total{subject=\"greeter.hello\"} 0.0")
                .contains("caravan_bus_request_seconds_bucket{subject=\"greeter.hello\",le=\"+Inf\"} 2");
        metrics.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "nats"})
    void oneServerAnswersManyCallsAtOnce(String transport) throws Exception {
        int calls = 8;
        // each call waits until all have arrived: served one at a time, the first would wait alone until it timed out
        CountDownLatch arrived = new CountDownLatch(calls);
        try (Node server = new Node(transport); Node client = server.peer()) {
            server.camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("bus:rpc:gate.pass").process(exchange -> {
                        arrived.countDown();
                        boolean all = arrived.await(4, TimeUnit.SECONDS);
                        exchange.getMessage().setBody(Map.of("all", all));
                    });
                }
            });
            List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> client.bus.call("gate.pass", Map.of())));
            }
            for (CompletableFuture<JsonNode> reply : replies) {
                assertThat(reply.get(10, TimeUnit.SECONDS).path("all").asBoolean()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "nats"})
    void aCallNobodyServesFailsFastAsUnavailable(String transport) throws Exception {
        try (Node client = new Node(transport)) {
            assertThatThrownBy(() -> client.bus.call("nobody.home", Map.of(), Duration.ofSeconds(2)))
                    .isInstanceOf(BusUnavailableException.class);
        }
    }

    @org.junit.jupiter.api.Test
    void whileTheBusIsDisconnectedACallFailsAtOnceInsteadOfWaitingForItsTimeout() throws Exception {
        NatsServerProcess own = NatsServerProcess.start();
        Connection connection = Nats.connect(new io.nats.client.Options.Builder().server(own.url()).maxReconnects(-1).build());
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind(NatsBusTransport.CONNECTION_BEAN, connection);
        BusClient bus = new BusClient(new NatsBusTransport(camel, connection, own.url()), new Subjects("test"),
                Duration.ofSeconds(5));
        try {
            own.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (bus.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(bus.isConnected()).isFalse();
            // the message says which path failed: at once, not "no reply ... within 5000 ms"
            assertThatThrownBy(() -> bus.call("anyone.there", Map.of(), Duration.ofSeconds(20)))
                    .isInstanceOf(BusUnavailableException.class).hasMessageContaining("the bus is disconnected");
        } finally {
            connection.close();
            camel.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "nats"})
    void eventsReachEverySubscriberInOrder(String transport) throws Exception {
        try (Node first = new Node(transport); Node second = first.peer(); Node publisher = first.peer()) {
            List<Integer> atFirst = new CopyOnWriteArrayList<>();
            List<Integer> atSecond = new CopyOnWriteArrayList<>();
            for (var node : List.of(first, second)) {
                List<Integer> sink = node == first ? atFirst : atSecond;
                node.camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("bus:event:watch.tests").process(e -> sink.add(e.getIn().getBody(JsonNode.class).path("n").asInt()));
                    }
                });
            }
            first.flush();
            second.flush();
            for (int n = 0; n < 100; n++) {
                publisher.camel.createProducerTemplate().sendBody("bus:event:watch.tests", Map.of("n", n));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((atFirst.size() < 100 || atSecond.size() < 100) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<Integer> expected = java.util.stream.IntStream.range(0, 100).boxed().toList();
            assertThat(atFirst).isEqualTo(expected);
            assertThat(atSecond).isEqualTo(expected);
        }
    }

    /** One "process": a Camel context with the bus component on the chosen transport. */
    private static final class Node implements AutoCloseable {
        final String transport;
        final CamelContext camel = new DefaultCamelContext();
        final BusClient bus;
        final Connection connection;
        final InProcessBusTransport shared;

        Node(String transport) throws Exception {
            this(transport, "nats".equals(transport) ? null : new InProcessBusTransport(1000));
        }

        private Node(String transport, InProcessBusTransport shared) throws Exception {
            this.transport = transport;
            this.shared = shared;
            BusTransport busTransport;
            if ("nats".equals(transport)) {
                connection = Nats.connect(nats.url());
                camel.getRegistry().bind(NatsBusTransport.CONNECTION_BEAN, connection);
                busTransport = new NatsBusTransport(camel, connection, nats.url());
            } else {
                connection = null;
                busTransport = shared;
            }
            bus = new BusClient(busTransport, new Subjects("test"), Duration.ofSeconds(5));
            camel.addComponent("bus", new BusComponent(bus));
            camel.start();
        }

        /** Another process on the same bus (in-process: the same JVM-wide transport). */
        Node peer() throws Exception {
            return new Node(transport, shared);
        }

        void flush() throws Exception {
            if (connection != null) {
                connection.flush(Duration.ofSeconds(2));
            }
        }

        @Override
        public void close() throws Exception {
            camel.stop();
            if (connection != null) {
                connection.close();
            }
        }
    }
}
