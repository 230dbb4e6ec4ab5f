package chat.caravan.it.harness;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the microservices topology on this machine until Ctrl-C: nats-server, the MongoDB-compatible server, each
 * service as its own process, and nginx on port {@code PORT} (default 3000) routing like the Kubernetes ingress.
 * Started by {@code integration-tests/run-microservices.sh}.
 */
public final class LocalTopology {

    private LocalTopology() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        int ddpStreamers = Integer.parseInt(System.getenv().getOrDefault("DDP_STREAMERS", "1"));
        Topology topology = Topology.microservices("local").replicas("ddp-streamer", ddpStreamers).port(port).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            topology.close();
            stopped.countDown();
        }));
        System.out.println("Caravan microservices are up:");
        System.out.println("  clients (REST + DDP through nginx): " + topology.baseUrl());
        System.out.println("  NATS: " + topology.natsUrl() + "   MongoDB: " + topology.mongoUrl());
        for (String service : Topology.SERVICES) {
            for (ServiceInstance instance : topology.instances(service)) {
                System.out.println("  " + service + "-" + instance.index() + ": " + instance.url()
                        + "  log: " + instance.process().logFile() + "  restart by hand: "
                        + topology.logDir().resolve(service + "-" + instance.index() + ".restart.sh"));
            }
        }
        System.out.println("  admin: " + Topology.ADMIN_USERNAME + " / " + Topology.ADMIN_PASSWORD);
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }
}
