package chat.caravan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: idle logged-in DDP sessions (each subscribed to its room's messages) that one ddp-streamer holds;
 * heap and RSS per connection, measured as the growth over the idle process.
 */
public final class ConnectionCapacity {

    private ConnectionCapacity() {
    }

    public static List<Result> run(BenchContext ctx, int target, int roomSize) throws Exception {
        ProcessMemory.Sample before = ProcessMemory.sample(ctx.ddpStreamerPid(), ctx.ddpStreamerUrl());
        List<Fixtures.BenchUser> users = ctx.fixtures().users("cap" + ctx.mode().charAt(0), target);
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (int start = 0; start < users.size(); start += roomSize) {
            List<Fixtures.BenchUser> members = users.subList(start, Math.min(users.size(), start + roomSize));
            String rid = ctx.fixtures().room("cap-" + ctx.mode() + "-" + start, members);
            for (Fixtures.BenchUser user : members) {
                opening.add(ctx.clients().session(ctx.clientUrl(), user.token(), List.of(rid), event -> { }));
            }
        }
        int open = 0;
        List<DdpSession> sessions = new ArrayList<>();
        for (CompletableFuture<DdpSession> future : opening) {
            try {
                sessions.add(future.get(300, TimeUnit.SECONDS));
                open++;
            } catch (Exception e) {
                // counted as not held
            }
        }
        Thread.sleep(3000);
        ProcessMemory.Sample after = ProcessMemory.sample(ctx.ddpStreamerPid(), ctx.ddpStreamerUrl());
        sessions.forEach(DdpSession::close);
        Result result = Result.of("capacity", ctx.mode(), target + " idle sessions")
                .put("sessions_held", open)
                .put("heap_mib", after.heapMiB()).put("rss_mib", after.rssMiB())
                .put("heap_kib_per_session", open == 0 ? 0 : (after.heapMiB() - before.heapMiB()) * 1024 / open)
                .put("rss_kib_per_session", open == 0 ? 0 : (after.rssMiB() - before.rssMiB()) * 1024 / open);
        return List.of(result);
    }
}
