package chat.caravan.bench;

import java.net.URI;

/**
 * What a scenario needs: where clients connect, the store for fixtures, NATS for baselines, the streamer's pid, and
 * the CPU time of every server process (services, store, NATS).
 */
public record BenchContext(String mode, URI clientUrl, String mongoUrl, String natsUrl, long ddpStreamerPid,
        URI ddpStreamerUrl, LoadClients clients, Fixtures fixtures, ProcessCpu serverCpu) {
}
