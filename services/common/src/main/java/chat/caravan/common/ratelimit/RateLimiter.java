package chat.caravan.common.ratelimit;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Meteor's rate-limit counting, in memory: each call to {@link #hit} counts one invocation for its key and then
 * decides, so the first {@code limit} invocations in a window pass and the next are refused (refused ones count too).
 * A window starts with a key's first invocation and lasts {@code intervalMs}; a change of a rule's limit or interval
 * starts every window of that rule afresh, as Rocket.Chat re-creates a rule when its settings change.
 */
public final class RateLimiter {

    /** Keys kept before expired windows are swept (at most once a second, so a flood of keys cannot make every call pay). */
    private static final int SWEEP_AT = 10_000;
    private static final long SWEEP_EVERY_MS = 1000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile long nextSweepAt;

    public RateLimiter() {
        this(System::currentTimeMillis);
    }

    public RateLimiter(LongSupplier clock) {
        this.clock = clock;
    }

    /** The outcome of one invocation: whether it may proceed, how many remain and when the window resets. */
    public record Decision(boolean allowed, int limit, int remaining, long timeToResetMs, long resetAtMs) {

        /** Whole seconds until the reset, rounded up, as Rocket.Chat's messages say them. */
        public long secondsToReset() {
            return (timeToResetMs + 999) / 1000;
        }
    }

    /** Counts one invocation of {@code key} under {@code rule} (limit invocations per intervalMs) and decides. */
    public Decision hit(String rule, String key, int limit, long intervalMs) {
        long now = clock.getAsLong();
        if (windows.size() > SWEEP_AT && now >= nextSweepAt) {
            nextSweepAt = now + SWEEP_EVERY_MS;
            sweep(now);
        }
        String id = rule + '\u0000' + key;
        Window window = windows.compute(id, (k, current) -> {
            if (current == null || current.endsAt <= now || current.limit != limit || current.intervalMs != intervalMs) {
                return new Window(now + intervalMs, limit, intervalMs, 1);
            }
            return new Window(current.endsAt, limit, intervalMs, current.count + 1);
        });
        long toReset = Math.max(0, window.endsAt - now);
        boolean allowed = window.count <= limit;
        return new Decision(allowed, limit, allowed ? limit - window.count : 0, toReset, window.endsAt);
    }

    /** Forgets every count (e.g. for an operator lifting limits at once). */
    public void reset() {
        windows.clear();
    }

    private void sweep(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (it.next().endsAt <= now) {
                it.remove();
            }
        }
    }

    private record Window(long endsAt, int limit, long intervalMs, int count) {
    }
}
