package dev.backendteam.sandbox;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client-side guard over a running statement: at the deadline it cancels the statement (a cancel request
 * from the client, which {@code set statement_timeout = 0} cannot stop); if the statement is still running one
 * grace period later it terminates the backend; one more grace period later it drops the socket, so the calling
 * thread is released even when the server cannot be reached.
 *
 * <p>Timers run on one scheduler thread; the actions themselves (network calls) run on a separate pool, so a hung
 * action does not delay other guards.
 */
final class Watchdog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

    enum Stage { NONE, CANCEL, TERMINATE, ABORT }

    /** The three escalating actions for one statement. */
    interface Actions {
        void cancel() throws Exception;

        void terminate() throws Exception;

        void abort() throws Exception;
    }

    private final ScheduledExecutorService timer;
    private final ExecutorService actions;
    private final Duration grace;

    Watchdog(Duration grace) {
        this.grace = grace;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sandbox-watchdog"));
        this.actions = Executors.newCachedThreadPool(daemon("sandbox-watchdog-action"));
    }

    /** Guards one statement until the returned guard is closed. */
    Guard watch(Instant deadline, Actions acts) {
        return new Guard(deadline, acts);
    }

    /** Runs a task on the watchdog's scheduler (the janitor uses it). */
    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return timer.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        actions.shutdownNow();
    }

    final class Guard implements AutoCloseable {
        private final AtomicReference<Stage> fired = new AtomicReference<>(Stage.NONE);
        private final ScheduledFuture<?> cancel;
        private final ScheduledFuture<?> terminate;
        private final ScheduledFuture<?> abort;
        private volatile boolean closed;

        private Guard(Instant deadline, Actions acts) {
            long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
            long g = grace.toMillis();
            cancel = timer.schedule(() -> fire(Stage.CANCEL, acts::cancel), delay, TimeUnit.MILLISECONDS);
            terminate = timer.schedule(() -> fire(Stage.TERMINATE, acts::terminate), delay + g, TimeUnit.MILLISECONDS);
            abort = timer.schedule(() -> fire(Stage.ABORT, acts::abort), delay + 2 * g, TimeUnit.MILLISECONDS);
        }

        /** The furthest stage that fired (NONE if the statement finished in time). */
        Stage fired() {
            return fired.get();
        }

        private void fire(Stage stage, Action action) {
            if (closed) {
                return;
            }
            fired.set(stage);
            actions.execute(() -> {
                try {
                    action.run();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "sandbox watchdog could not " + stage.name().toLowerCase() + ": " + e.getMessage());
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            cancel.cancel(false);
            terminate.cancel(false);
            abort.cancel(false);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
