package dev.backendteam.bench;

import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.Leftover;
import dev.backendteam.stack.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU each component of the stack used while the measured jobs ran, in cores (CPU seconds per wall second), and what
 * the whole machine used — other people's builds included. On two shared cores this says whether the figures are
 * bounded by the design or by the processor. PostgreSQL's time includes the postmaster's children (its backends).
 */
final class CpuUsage {
    /** CPU time per component and the machine's busy and total ticks from /proc/stat, at one instant. */
    record Snapshot(long nanos, Map<String, Duration> cpu, long machineBusyTicks, long machineTotalTicks) {
    }

    static final String BENCH = "bench";

    private CpuUsage() {
    }

    /** The live processes recorded in a state folder's pid files, plus this JVM as {@code bench}. */
    static Map<String, ProcessHandle> processes(Path stateDirectory) {
        Map<String, ProcessHandle> out = new LinkedHashMap<>();
        if (stateDirectory != null) {
            for (Leftover l : LocalStack.findLeftovers(stateDirectory)) {
                ProcessHandle.of(l.pid()).ifPresent(p -> out.put(l.component(), p));
            }
        }
        out.put(BENCH, ProcessHandle.current());
        return out;
    }

    static Snapshot take(Map<String, ProcessHandle> processes) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        processes.forEach((name, p) -> {
            Duration total = p.info().totalCpuDuration().orElse(Duration.ZERO);
            // A component's children are its own work (the postmaster's backends, a service's tsc or deno); with
            // --start the services and the broker are children of this JVM, and counting them under "bench" too
            // would count them twice.
            if (!name.equals(BENCH)) {
                total = total.plus(reapedChildren(p.pid()));
                for (ProcessHandle child : p.descendants().toList()) {
                    total = total.plus(child.info().totalCpuDuration().orElse(Duration.ZERO))
                            .plus(reapedChildren(child.pid()));
                }
            }
            cpu.put(name, total);
        });
        long[] machine = readProcStat().map(CpuUsage::parseCpuLine).orElse(new long[] {0, 0});
        return new Snapshot(System.nanoTime(), cpu, machine[0], machine[1]);
    }

    /**
     * CPU time of the children a process has waited for ({@code cutime + cstime} of /proc/&lt;pid&gt;/stat, in clock
     * ticks of 1/100 s): a service's short-lived tsc or deno, gone before any snapshot could see it.
     */
    static Duration reapedChildren(long pid) {
        return ProcStat.of(pid).flatMap(stat -> stat.number(16).flatMap(cutime -> stat.number(17)
                .map(cstime -> Duration.ofMillis((cutime + cstime) * 10)))).orElse(Duration.ZERO);
    }

    /** Cores busy per component between two snapshots (CPU time / wall time). */
    static Map<String, Double> cores(Snapshot before, Snapshot after) {
        double wallNanos = after.nanos() - before.nanos();
        Map<String, Double> out = new LinkedHashMap<>();
        after.cpu().forEach((name, t) -> {
            Duration b = before.cpu().get(name);
            if (b != null && wallNanos > 0) {
                out.put(name, (t.toNanos() - b.toNanos()) / wallNanos);
            }
        });
        return out;
    }

    /** Share of the machine's CPU time that was busy between two snapshots, times the number of cores. */
    static double machineCores(Snapshot before, Snapshot after, int cores) {
        long total = after.machineTotalTicks() - before.machineTotalTicks();
        long busy = after.machineBusyTicks() - before.machineBusyTicks();
        return total <= 0 ? Double.NaN : (double) busy / total * cores;
    }

    /**
     * The aggregate {@code cpu} line of /proc/stat: user nice system idle iowait irq softirq steal …; returns
     * {busy, total} ticks, busy being everything but idle and iowait.
     */
    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
        }
        long total = 0;
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
    }

    private static Optional<String> readProcStat() {
        try {
            return Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("cpu ")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
