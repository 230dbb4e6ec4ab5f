package chat.caravan.common.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a condition, never for a fixed time: a busy machine only makes the wait longer, up to a bound. */
public final class Await {

    private static final long BOUND_SECONDS = 30;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after 30 s. */
    public static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + BOUND_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }
}
