package dev.backendteam.orchestrator.rest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmissionLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aMinutesWorthInABurstThenOneEveryInterval() {
        SubmissionLimiter limiter = new SubmissionLimiter(60, now::get);
        for (int i = 0; i < 60; i++) {
            assertEquals(Optional.empty(), limiter.take("alice"), "submission " + i);
        }
        Optional<Duration> wait = limiter.take("alice");
        assertEquals(Optional.of(Duration.ofSeconds(1)), wait, "60 a minute refill one a second");
        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertEquals(Optional.of(Duration.ofMillis(600)), limiter.take("alice"), "the wait shrinks as time passes");
        now.addAndGet(Duration.ofMillis(600).toNanos());
        assertEquals(Optional.empty(), limiter.take("alice"), "one is free again after the interval");
        assertTrue(limiter.take("alice").isPresent());
    }

    @Test
    void eachOwnerHasItsOwnBudget() {
        SubmissionLimiter limiter = new SubmissionLimiter(2, now::get);
        assertEquals(Optional.empty(), limiter.take("alice"));
        assertEquals(Optional.empty(), limiter.take("alice"));
        assertTrue(limiter.take("alice").isPresent());
        assertEquals(Optional.empty(), limiter.take("bob"), "alice's spending is not bob's");
    }

    @Test
    void anIdleOwnerSavesUpNoMoreThanOneBurst() {
        SubmissionLimiter limiter = new SubmissionLimiter(3, now::get);
        limiter.take("alice");
        now.addAndGet(Duration.ofHours(5).toNanos());
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.take("alice"));
        }
        assertTrue(limiter.take("alice").isPresent(), "hours of idling still buy one burst only");
    }

    @Test
    void zeroIsNoLimitAndANegativeBudgetIsRefused() {
        SubmissionLimiter off = new SubmissionLimiter(0, now::get);
        assertFalse(off.enabled());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Optional.empty(), off.take("alice"));
        }
        assertThrows(IllegalArgumentException.class, () -> new SubmissionLimiter(-1, now::get));
    }
}
