package chat.caravan.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Meteor's counting: the first N calls of a window pass, the next are refused until the window ends. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RateLimiter limiter = new RateLimiter(now::get);

    @Test
    void theFirstNCallsPassAndTheRestWaitForTheWindowToEnd() {
        for (int i = 1; i <= 3; i++) {
            RateLimiter.Decision decision = limiter.hit("login", "198.51.100.4", 3, 60_000);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(3 - i);
        }
        now.addAndGet(59_001);
        RateLimiter.Decision refused = limiter.hit("login", "198.51.100.4", 3, 60_000);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.timeToResetMs()).isEqualTo(999);
        assertThat(refused.secondsToReset()).isEqualTo(1);
        assertThat(limiter.hit("login", "198.51.100.5", 3, 60_000).allowed()).as("another key").isTrue();
        now.addAndGet(999);
        assertThat(limiter.hit("login", "198.51.100.4", 3, 60_000).allowed()).as("a new window").isTrue();
    }

    @Test
    void aChangedLimitStartsAFreshWindow() {
        for (int i = 0; i < 4; i++) {
            limiter.hit("login", "k", 3, 60_000);
        }
        assertThat(limiter.hit("login", "k", 3, 60_000).allowed()).isFalse();
        assertThat(limiter.hit("login", "k", 10, 60_000).allowed()).isTrue();
    }
}
