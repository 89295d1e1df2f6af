package dev.backendteam.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchdogTest {
    private final Watchdog watchdog = new Watchdog(Duration.ofMillis(100));

    @AfterEach
    void stop() {
        watchdog.close();
    }

    private static final class Recorder implements Watchdog.Actions {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch cancelled = new CountDownLatch(1);
        final CountDownLatch aborted = new CountDownLatch(1);

        @Override
        public void cancel() {
            calls.add("cancel");
            cancelled.countDown();
        }

        @Override
        public void terminate() {
            calls.add("terminate");
        }

        @Override
        public void abort() {
            calls.add("abort");
            aborted.countDown();
        }
    }

    @Test
    void aStatementThatFinishesInTimeIsLeftAlone() throws Exception {
        Recorder r = new Recorder();
        try (Watchdog.Guard guard = watchdog.watch(Instant.now().plusMillis(200), r)) {
            assertEquals(Watchdog.Stage.NONE, guard.fired());
        }
        Thread.sleep(500);
        assertEquals(List.of(), r.calls);
    }

    @Test
    void escalatesFromCancelToTerminateToAbortWhileTheStatementRuns() throws Exception {
        Recorder r = new Recorder();
        try (Watchdog.Guard guard = watchdog.watch(Instant.now().plusMillis(50), r)) {
            assertTrue(r.aborted.await(5, TimeUnit.SECONDS));
            assertEquals(Watchdog.Stage.ABORT, guard.fired());
        }
        assertEquals(List.of("cancel", "terminate", "abort"), r.calls);
    }

    @Test
    void stopsEscalatingOnceTheStatementReturns() throws Exception {
        Recorder r = new Recorder();
        Watchdog.Guard guard = watchdog.watch(Instant.now(), r);
        // wait for the cancel itself rather than a fixed time: a loaded CI machine may take longer than 50 ms
        assertTrue(r.cancelled.await(5, TimeUnit.SECONDS), "the watchdog cancels a statement past its deadline");
        guard.close();
        Thread.sleep(400);
        assertEquals(Watchdog.Stage.CANCEL, guard.fired());
        assertEquals(List.of("cancel"), r.calls);
    }

    @Test
    void aPastDeadlineCancelsAtOnce() throws Exception {
        Recorder r = new Recorder();
        try (Watchdog.Guard guard = watchdog.watch(Instant.now().minusSeconds(5), r)) {
            assertTrue(r.cancelled.await(5, TimeUnit.SECONDS), "a past deadline cancels without waiting");
            assertEquals(Watchdog.Stage.CANCEL, guard.fired());
        }
    }
}
