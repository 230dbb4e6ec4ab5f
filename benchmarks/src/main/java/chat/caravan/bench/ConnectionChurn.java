package chat.caravan.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Scenario 6: N logged-in sockets dropped at once, as when a load balancer or a network partition cuts them. Another
 * user's {@code GET /api/info} and {@code POST /api/v1/login} are timed one after the other, first while the server
 * is idle, then from the drop until presence shows every dropped user offline; and how long that took.
 */
public final class ConnectionChurn {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE_SAMPLING = Duration.ofSeconds(3);
    private static final Duration MAX_WAIT = Duration.ofSeconds(120);

    private ConnectionChurn() {
    }

    public static List<Result> run(BenchContext ctx, int sockets) throws Exception {
        List<Fixtures.BenchUser> users = ctx.fixtures().users("churn" + ctx.mode().charAt(0) + System.nanoTime() % 100000, sockets);
        Fixtures.BenchUser bystander = ctx.fixtures().users("bystander" + System.nanoTime() % 100000, 1).get(0);
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (Fixtures.BenchUser user : users) {
            opening.add(ctx.clients().session(ctx.clientUrl(), user.token(), List.of(), e -> { }));
        }
        List<DdpSession> open = FanoutLatency.join(opening);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        Samples idle = new Samples();
        long idleEnd = System.nanoTime() + IDLE_SAMPLING.toNanos();
        while (System.nanoTime() < idleEnd) {
            idle.sample(http, ctx.clientUrl(), bystander);
        }

        Samples churn = new Samples();
        long dropped = System.nanoTime();
        open.forEach(DdpSession::close);
        long offlineNanos = -1;
        while (System.nanoTime() - dropped < MAX_WAIT.toNanos()) {
            churn.sample(http, ctx.clientUrl(), bystander);
            if (ctx.fixtures().notOffline(users) == 0) {
                offlineNanos = System.nanoTime() - dropped;
                break;
            }
        }
        return List.of(Result.of("churn", ctx.mode(), sockets + " sockets dropped")
                .put("all_offline_ms", offlineNanos < 0 ? Double.NaN : offlineNanos / 1e6)
                .put("info_idle", Stats.of(idle.info())).put("info_churn", Stats.of(churn.info()))
                .put("info_churn_max_ms", Stats.of(churn.info()).max())
                .put("login_idle", Stats.of(idle.login())).put("login_churn", Stats.of(churn.login()))
                .put("login_churn_max_ms", Stats.of(churn.login()).max()));
    }

    /** Latencies (ms) of /api/info and /api/v1/login (resume), one after the other. */
    private static final class Samples {
        private final List<Double> info = new ArrayList<>();
        private final List<Double> login = new ArrayList<>();

        void sample(HttpClient http, URI base, Fixtures.BenchUser user) throws Exception {
            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(base.resolve("/api/info")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding());
            info.add((System.nanoTime() - start) / 1e6);
            start = System.nanoTime();
            String body = JSON.writeValueAsString(java.util.Map.of("resume", user.token()));
            http.send(HttpRequest.newBuilder(base.resolve("/api/v1/login")).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            login.add((System.nanoTime() - start) / 1e6);
        }

        double[] info() {
            return info.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] login() {
            return login.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
