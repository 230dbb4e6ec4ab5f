package chat.caravan.common.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import chat.caravan.common.health.Metrics;
import chat.caravan.common.testing.Await;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topic component in a real Camel context: order, isolation between listeners, copies, stop. */
class TopicComponentTest {

    private Metrics metrics;
    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void start() {
        metrics = new Metrics(true, 0, "test");
        camel = new DefaultCamelContext();
        camel.addComponent("topic", new TopicComponent(metrics));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
        metrics.close();
    }

    @Test
    void everyListenerGetsEveryExchangeInTheOrderItWasPublished() throws Exception {
        List<Integer> slow = new CopyOnWriteArrayList<>();
        List<Integer> fast = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:numbers").routeId("slow").process(exchange -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(2));
                    slow.add(exchange.getIn().getBody(Integer.class));
                });
                from("topic:numbers").routeId("fast").process(exchange -> fast.add(exchange.getIn().getBody(Integer.class)));
            }
        });
        for (int i = 0; i < 300; i++) {
            producer.sendBody("topic:numbers", i);
        }
        Await.until(() -> slow.size() == 300 && fast.size() == 300);
        List<Integer> published = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            published.add(i);
        }
        assertThat(slow).isEqualTo(published);
        assertThat(fast).isEqualTo(published);
    }

    @Test
    void concurrentPublishersReachEveryListenerInOneOrder() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:words?size=5000").routeId("first").process(exchange -> first.add(exchange.getIn().getBody(String.class)));
                from("topic:words?size=5000").routeId("second").process(exchange -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(2));
                    second.add(exchange.getIn().getBody(String.class));
                });
            }
        });
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int publisher = p;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    producer.sendBody("topic:words", publisher + ":" + i);
                }
            });
            thread.start();
            publishers.add(thread);
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        Await.until(() -> first.size() == 1000 && second.size() == 1000);
        assertThat(second).as("both listeners saw one order").isEqualTo(first);
        for (int p = 0; p < 4; p++) {
            String prefix = p + ":";
            List<String> own = first.stream().filter(word -> word.startsWith(prefix)).toList();
            assertThat(own).as("publisher %d's words in the order it sent them", p)
                    .isEqualTo(java.util.stream.IntStream.range(0, 250).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void aStuckListenerMissesExchangesWithoutSlowingThePublisherOrTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<Integer> stuck = new CopyOnWriteArrayList<>();
        List<Integer> other = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:events?size=5").routeId("stuck").process(exchange -> {
                    running.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    stuck.add(exchange.getIn().getBody(Integer.class));
                });
                from("topic:events").routeId("other").process(exchange -> other.add(exchange.getIn().getBody(Integer.class)));
            }
        });
        producer.sendBody("topic:events", 0);
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        for (int i = 1; i < 100; i++) {
            producer.sendBody("topic:events", i);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the publisher never waited for the stuck listener")
                .isLessThan(Duration.ofSeconds(20));
        Await.until(() -> other.size() == 100);
        assertThat(metrics.registry().get("caravan_topic_queued").tags("topic", "events", "route", "stuck").gauge().value())
                .as("what the stuck listener has waiting").isEqualTo(5);
        release.countDown();
        // the stuck one holds the exchange it was running and the five queued behind it; the rest were missed
        Await.until(() -> stuck.size() == 6);
        assertThat(stuck).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(metrics.registry().get("caravan_topic_dropped").tag("topic", "events").counter().count()).isEqualTo(94);
        producer.sendBody("topic:events", 100);
        Await.until(() -> stuck.size() == 7);
        assertThat(stuck.get(6)).isEqualTo(100);
    }

    @Test
    void eachListenerChangesOnlyItsOwnCopy() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        CountDownLatch changed = new CountDownLatch(1);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:messages").routeId("changer").process(exchange -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = exchange.getIn().getBody(Map.class);
                    body.put("msg", "changed");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> user = (Map<String, Object>) body.get("u");
                    user.put("username", "someone-else");
                    changed.countDown();
                });
                from("topic:messages").routeId("reader").process(exchange -> {
                    changed.await(10, TimeUnit.SECONDS);
                    seen.add(exchange.getIn().getBody());
                });
            }
        });
        Map<String, Object> message = new HashMap<>(Map.of("msg", "hello", "u", new HashMap<>(Map.of("username", "ann"))));
        producer.sendBody("topic:messages", message);
        Await.until(() -> seen.size() == 1);
        assertThat(seen.get(0)).isEqualTo(Map.of("msg", "hello", "u", Map.of("username", "ann")));
        assertThat(message).as("the publisher's own").isEqualTo(Map.of("msg", "hello", "u", Map.of("username", "ann")));
    }

    @Test
    void nothingIsQueuedWithoutListenersAndALaterListenerGetsOnlyWhatFollows() throws Exception {
        producer.sendBody("topic:later", "before");
        List<String> seen = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:later").routeId("later").process(exchange -> seen.add(exchange.getIn().getBody(String.class)));
            }
        });
        producer.sendBody("topic:later", "after");
        Await.until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("after");
    }

    @Test
    void aFailingExchangeIsLoggedAndTheNextOneRuns() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:fragile").routeId("fragile").process(exchange -> {
                    String body = exchange.getIn().getBody(String.class);
                    if (body.equals("bad")) {
                        throw new IllegalStateException("cannot take " + body);
                    }
                    seen.add(body);
                });
            }
        });
        producer.sendBody("topic:fragile", "bad");
        producer.sendBody("topic:fragile", "good");
        Await.until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("good");
    }

    @Test
    void stoppingRunsWhatIsQueuedFirst() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:backlog").routeId("backlog").process(exchange -> {
                    Thread.sleep(5);
                    seen.add(exchange.getIn().getBody(Integer.class));
                });
            }
        });
        for (int i = 0; i < 100; i++) {
            producer.sendBody("topic:backlog", i);
        }
        camel.getRouteController().stopRoute("backlog");
        assertThat(seen).hasSize(100);
        producer.sendBody("topic:backlog", 100);
        camel.getRouteController().startRoute("backlog");
        producer.sendBody("topic:backlog", 101);
        Await.until(() -> seen.size() == 101);
        assertThat(seen.get(100)).as("a stopped route listens to nothing").isEqualTo(101);
    }

    @Test
    void aTopicNeedsANameAndASensibleSize() {
        assertThatThrownBy(() -> camel.getEndpoint("topic:")).isInstanceOf(org.apache.camel.ResolveEndpointFailedException.class);
        assertThatThrownBy(() -> camel.getEndpoint("topic:x?size=0")).hasRootCauseMessage("topic:x size must be at least 1, not 0");
    }
}
