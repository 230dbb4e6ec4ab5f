package chat.caravan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Scenario 4: N users reconnecting at once with their resume tokens (as after a ddp-streamer restart): logins per
 * second, and the time until every one is subscribed again.
 */
public final class LoginStorm {

    private LoginStorm() {
    }

    public static List<Result> run(BenchContext ctx, int users, int roomSize) throws Exception {
        List<Fixtures.BenchUser> all = ctx.fixtures().users("storm" + ctx.mode().charAt(0), users);
        List<String> roomOf = new ArrayList<>();
        for (int start = 0; start < all.size(); start += roomSize) {
            List<Fixtures.BenchUser> members = all.subList(start, Math.min(all.size(), start + roomSize));
            String rid = ctx.fixtures().room("storm-" + ctx.mode() + "-" + start, members);
            members.forEach(m -> roomOf.add(rid));
        }
        ConcurrentLinkedQueue<Double> subscribedAfter = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            opening.add(ctx.clients().session(ctx.clientUrl(), all.get(i).token(), List.of(roomOf.get(i)), e -> { })
                    .whenComplete((s, e) -> subscribedAfter.add((System.nanoTime() - start) / 1e6)));
        }
        List<DdpSession> sessions = FanoutLatency.join(opening);
        double totalMs = (System.nanoTime() - start) / 1e6;
        sessions.forEach(DdpSession::close);
        Stats stats = Stats.of(subscribedAfter.stream().mapToDouble(Double::doubleValue).toArray());
        return List.of(Result.of("login-storm", ctx.mode(), users + " resumes")
                .put("logins_per_s", users / (totalMs / 1000)).put("all_subscribed_ms", totalMs)
                .put("subscribed_after", stats));
    }
}
