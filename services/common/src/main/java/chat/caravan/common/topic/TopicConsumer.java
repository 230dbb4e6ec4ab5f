package chat.caravan.common.topic;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening route of a topic: a bounded queue and one thread that runs the route for each exchange in turn.
 * Camel's graceful shutdown waits for the queue to empty ({@link ShutdownAware}); a suspended route stops listening.
 */
final class TopicConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicConsumer.class);

    private final Topic topic;
    private final BlockingQueue<Exchange> queue;
    private volatile boolean running;
    private volatile boolean busy;
    private ExecutorService thread;
    private Gauge queuedGauge;

    TopicConsumer(TopicEndpoint endpoint, Processor processor, Topic topic, int size) {
        super(endpoint, processor);
        this.topic = topic;
        this.queue = new ArrayBlockingQueue<>(size);
    }

    boolean offer(Exchange exchange) {
        return queue.offer(exchange);
    }

    int queued() {
        return queue.size();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        thread = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "topic:" + topic.name() + " " + getRouteId());
        thread.execute(this::drain);
        queuedGauge = Gauge.builder("caravan_topic_queued", queue, BlockingQueue::size)
                .description("Exchanges a topic: listener has waiting").tags("topic", topic.name(), "route", String.valueOf(getRouteId()))
                .register(topic.metrics().registry());
        topic.subscribe(this);
    }

    @Override
    protected void doSuspend() throws Exception {
        topic.unsubscribe(this);
    }

    @Override
    protected void doResume() throws Exception {
        topic.subscribe(this);
    }

    @Override
    protected void doStop() throws Exception {
        topic.unsubscribe(this);
        running = false;
        if (thread != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(thread);
            thread = null;
        }
        if (queuedGauge != null) {
            topic.metrics().registry().remove(queuedGauge);
            queuedGauge = null;
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            LOG.warn("topic:{} listener {} stopped with {} exchanges not run", topic.name(), getRouteId(), left);
        }
        super.doStop();
    }

    private void drain() {
        while (running) {
            Exchange exchange;
            try {
                exchange = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (exchange == null) {
                continue;
            }
            busy = true;
            try {
                // as any consumer's exchange: it came from this endpoint, into this route
                exchange.getExchangeExtension().setFromEndpoint(getEndpoint());
                exchange.getExchangeExtension().setFromRouteId(getRouteId());
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            } finally {
                busy = false;
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing exchange", exchange, exchange.getException());
            }
        }
    }

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        return queue.size() + (busy ? 1 : 0);
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // a route being stopped takes no more; what is queued is run first (see getPendingExchangesSize)
        if (!suspendOnly) {
            topic.unsubscribe(this);
        }
    }
}
