package chat.caravan.it.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition, never for a duration: the probe is asked every 200 ms until it holds (or gives a value)
 * or the time is up. A probe that throws has not held yet, so a server still starting or reconnecting is asked again.
 */
public final class Eventually {

    private Eventually() {
    }

    /** The first value {@code probe} gives that is not null. */
    public static <T> T value(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T found = probe.get();
                if (found != null) {
                    return found;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                // the last refusal goes into the message: a test summary shows messages, not causes
                String lastSaid = last == null || last.getMessage() == null ? ""
                        : " (last: " + last.getMessage().substring(0, Math.min(500, last.getMessage().length())) + ")";
                AssertionError timedOut = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for "
                        + what + lastSaid);
                if (last != null) {
                    timedOut.initCause(last);
                }
                throw timedOut;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** Returns once {@code condition} holds. */
    public static void holds(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }
}
