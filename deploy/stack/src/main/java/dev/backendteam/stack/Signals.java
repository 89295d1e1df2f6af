package dev.backendteam.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops processes by pid, including ones this JVM did not start. PID 1 on some machines (containers, microVMs)
 * does not reap orphans, so a process that has exited can linger as a zombie: {@link ProcessHandle#isAlive()}
 * still says true for it, hence {@link #isRunning}.
 */
final class Signals {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);

    private Signals() {
    }

    /** Alive and not a zombie. */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            // No /proc (not Linux) or the process just went away: trust isAlive.
            return process.isAlive();
        }
    }

    /** Waits until the process has exited; true if it did within the timeout. */
    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(process)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(POLL);
        }
        return true;
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. True if it exited on SIGTERM. */
    static boolean terminate(ProcessHandle process, Duration grace) {
        if (!isRunning(process)) {
            return true;
        }
        process.destroy();
        if (awaitExit(process, grace)) {
            return true;
        }
        kill(process);
        return false;
    }

    /** SIGKILL and wait for the exit. */
    static void kill(ProcessHandle process) {
        if (!isRunning(process)) {
            return;
        }
        process.destroyForcibly();
        if (!awaitExit(process, AFTER_KILL)) {
            throw new StackException("process " + process.pid() + " survived SIGKILL for " + AFTER_KILL.toSeconds() + " s");
        }
    }

    /** {@link #terminate(ProcessHandle, Duration)} for a child, returning once the JDK has reaped it. */
    static boolean terminate(Process child, Duration grace) {
        boolean clean = terminate(child.toHandle(), grace);
        awaitReaped(child);
        return clean;
    }

    /** {@link #kill(ProcessHandle)} for a child, returning once the JDK has reaped it. */
    static void kill(Process child) {
        kill(child.toHandle());
        awaitReaped(child);
    }

    private static void awaitReaped(Process child) {
        try {
            if (!child.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StackException("process " + child.pid() + " has not exited");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for process " + child.pid(), e);
        }
    }

    /** Sends a named signal (INT, TERM, …) the JDK has no method for. */
    static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + pid)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes()).trim();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new StackException("kill -s " + signal + " " + pid + " did not return");
            }
            if (kill.exitValue() != 0 && ProcessHandle.of(pid).map(Signals::isRunning).orElse(false)) {
                throw new StackException("kill -s " + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new StackException("cannot run kill -s " + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while signalling " + pid, e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private static final java.nio.file.Path SETSID = java.nio.file.Path.of("/usr/bin/setsid");

    /**
     * The command run in a session of its own (setsid execs in place, so the pid stays the same): a Ctrl-C in the
     * launcher's terminal then reaches only the launcher, whose shutdown hook stops the services before the broker
     * they depend on, instead of every process dying at once.
     */
    static java.util.List<String> inOwnSession(java.util.List<String> command) {
        if (!java.nio.file.Files.isExecutable(SETSID)) {
            return command;
        }
        java.util.List<String> detached = new java.util.ArrayList<>(command.size() + 1);
        detached.add(SETSID.toString());
        detached.addAll(command);
        return detached;
    }
}
