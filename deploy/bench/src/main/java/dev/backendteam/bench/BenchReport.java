package dev.backendteam.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Prints the figures of one run, each with what it measures, and the targets of issue 3 next to them. */
final class BenchReport {
    static final double TARGET_HOP_RATIO = 1.5;
    static final double TARGET_JOB_P50_MS = 1000;
    static final int TARGET_CONCURRENCY = 16;

    /** Everything one run produced. {@code engineMs} may be empty when the specialists' metrics were unreachable. */
    record Run(Instant began, Machine machine, double loadBefore, double loadAfter, String target, BenchOptions options,
            String jobBody, JobRunner.Phase warmup, KafkaRoundTrip.Result roundTrip, JobRunner.Phase measured,
            Map<EngineTimes.Key, Double> engineMs, Map<String, Double> cpuCores, double machineCores) {
    }

    private final PrintStream out;

    BenchReport(PrintStream out) {
        this.out = out;
    }

    void print(Run run) {
        BenchOptions o = run.options();
        JobRunner.Phase m = run.measured();
        List<JobSample> done = m.completed();

        out.println();
        out.println("== backend-team bench — " + run.began().truncatedTo(ChronoUnit.SECONDS));
        out.println("machine    " + run.machine().describe());
        out.println("load       1-min load average " + f2(run.loadBefore()) + " before, " + f2(run.loadAfter())
                + " after (everything on this machine, other people's builds included)");
        out.println("stack      " + run.target());
        out.println("job body   " + run.jobBody());
        out.println("run        " + o.jobs() + " jobs at concurrency " + o.concurrency() + " (closed loop, end of a job "
                + "read by " + (o.follow().equals("sse") ? "SSE" : "Kafka jobs.updates") + ") after "
                + o.warmup() + " uncounted warm-up jobs (" + run.warmup().completed().size() + " completed); job timeout "
                + o.jobTimeout().toSeconds() + " s, run timeout " + o.timeout().toSeconds() + " s");

        printShapes(done);

        out.println();
        out.println("-- Jobs");
        out.println("  completed  " + done.size() + " of " + o.jobs() + (m.failed().isEmpty() ? "" : ", failed "
                + m.failed().size()) + (m.notRun() == 0 ? "" : ", not run (run timeout) " + m.notRun()));
        if (done.isEmpty()) {
            printFailures(m);
            return;
        }
        Instant first = done.stream().map(JobSample::sentAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = done.stream().map(s -> s.outcome().at()).max(Comparator.naturalOrder()).orElseThrow();
        double seconds = JobSample.millis(first, last) / 1000.0;
        out.println("  jobs/s     " + f2(done.size() / seconds) + "   (" + done.size() + " completed jobs / " + f2(seconds)
                + " s from the first POST to the last terminal event)");

        LatencySummary job = summary(done, JobSample::latencyMs);
        out.println();
        out.println("-- Job latency, ms: POST sent → the job's terminal event (its `at`, recorded by the orchestrator)");
        out.println("  " + header());
        out.println("  " + row("job", job));
        out.println("  target: p50 ≤ " + f0(TARGET_JOB_P50_MS) + " ms at " + TARGET_CONCURRENCY + " concurrent jobs → "
                + verdict(job.p50() <= TARGET_JOB_P50_MS) + (o.concurrency() == TARGET_CONCURRENCY ? ""
                : " (this run used concurrency " + o.concurrency() + ", the target is defined at "
                + TARGET_CONCURRENCY + ")"));
        out.println("  where it goes (p50 of each part; parts of different jobs, so they need not add up):");
        out.println("    POST → job created (gateway, routing, first transaction)  " + f1(summary(done,
                JobSample::acceptMs).p50()));
        out.println("    job created → terminal event (steps, hops, validation)      " + f1(summary(done,
                JobSample::serverMs).p50()));
        out.println("    terminal event → read by the bench (NOT in the latency)      " + f1(summary(done,
                JobSample::deliveryMs).p50()) + "  (" + (o.follow().equals("sse") ? "SSE stream" : "jobs.updates topic")
                + ")");
        out.println("  jobs in flight, mean (Little's law: jobs/s × mean latency) " + f1(done.size() / seconds
                * job.mean() / 1000.0) + " of " + o.concurrency() + " workers: between two jobs a worker waits to"
                + " read the end and submits again");

        printSteps(done, run.engineMs());
        printRoundTrip(run.roundTrip());
        printHops(done, job, run.roundTrip(), run.engineMs());
        printCpu(run);
        printFailures(m);
        printMethod(run);
    }

    private void printShapes(List<JobSample> done) {
        Map<String, List<JobSample>> shapes = byShape(done);
        if (shapes.isEmpty()) {
            out.println("steps      no completed job to read steps from");
            return;
        }
        boolean first = true;
        for (Map.Entry<String, List<JobSample>> e : shapes.entrySet()) {
            JobShape shape = JobShape.of(e.getValue().get(0).steps());
            out.println((first ? "steps      " : "           ") + e.getValue().size() + " of " + done.size()
                    + " completed jobs ran " + shape.steps() + " steps in " + shape.levels().size()
                    + " sequential levels: " + e.getKey());
            first = false;
        }
    }

    private void printSteps(List<JobSample> done, Map<EngineTimes.Key, Double> engineMs) {
        out.println();
        out.println("-- Per-step latency, ms: a step's startedAt → result applied (durationMs of GET /jobs/{id});");
        out.println("   covers outbox relay, task hop, the specialist's queue and engine, result hop, the orchestrator's");
        out.println("   result queue. engine = the specialist's own backend.team.task.duration (mean, from /q/metrics)");
        Map<String, List<StepSample>> bySteps = new LinkedHashMap<>();
        done.stream().flatMap(s -> s.steps().stream()).filter(s -> !s.skipped() && s.durationMs() != null)
                .sorted(Comparator.comparingInt(StepSample::seq))
                .forEach(s -> bySteps.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s));
        out.println(String.format(Locale.ROOT, "  %-34s %6s %8s %8s %8s %10s", "step (kind service role)", "n", "p50",
                "p95", "max", "engine"));
        bySteps.forEach((label, steps) -> {
            LatencySummary s = LatencySummary.of(steps.stream().map(x -> (double) x.durationMs()).toList());
            StepSample any = steps.get(0);
            Double engine = engineMs.get(new EngineTimes.Key(any.service(), any.kind()));
            out.println(String.format(Locale.ROOT, "  %-34s %6d %8s %8s %8s %10s", label, s.count(), f1(s.p50()),
                    f1(s.p95()), f1(s.max()), engine == null ? "n/a" : f2(engine)));
        });
        if (!engineMs.isEmpty()) {
            out.println("   (engine means are per service and kind: work steps of one service with different roles share one)");
        }
    }

    private void printRoundTrip(KafkaRoundTrip.Result rt) {
        LatencySummary trip = LatencySummary.of(rt.roundTripsMs());
        LatencySummary ack = LatencySummary.of(rt.acksMs());
        out.println();
        out.println("-- Raw Kafka round trip, ms: one producer and one consumer on a fresh topic of the same broker");
        out.println("   (" + rt.topic() + ", 1 partition, deleted after), one record at a time, send → polled by the");
        out.println("   consumer; gzip, acks=all, idempotence, String serde, default linger.ms (5), as the services;");
        out.println("   " + KafkaRoundTrip.UNCOUNTED + " uncounted trips first; measured before the jobs, with the stack idle");
        out.println("  " + header());
        out.println("  " + row("round trip", trip));
        out.println("  " + row("produce ack", ack));
    }

    private void printHops(List<JobSample> done, LatencySummary job, KafkaRoundTrip.Result rt,
            Map<EngineTimes.Key, Double> engineMs) {
        Map<String, List<JobSample>> shapes = byShape(done);
        JobShape shape = JobShape.of(shapes.values().iterator().next().get(0).steps());
        double raw = LatencySummary.of(rt.roundTripsMs()).p50();
        out.println();
        out.println("-- Per-hop overhead");
        out.println("  hop: one Kafka record produced by one process and consumed by another. A step is 2 hops: its");
        out.println("       task (orchestrator's outbox relay → broker → specialist) and its result (specialist → broker");
        out.println("       → orchestrator). The outbox relay is not a hop of its own: it is the orchestrator's way of");
        out.println("       producing the task, and its cost is part of what the ratio measures.");
        out.println("  hops on the critical path of a job: 2 per sequential level (parallel validations overlap) = "
                + shape.criticalPathHops() + "  (" + shape.levels().size() + " levels of the most common shape)");
        if (raw > 0) {
            HopRatio r = HopRatio.of(job.p50(), shape.criticalPathHops(), raw);
            out.println("  per-hop = job latency p50 / hops = " + f1(job.p50()) + " / " + r.hops() + " = "
                    + f1(r.perHopMs()) + " ms");
            out.println("  ratio   = per-hop / raw round trip p50 = " + f1(r.perHopMs()) + " / " + f2(raw) + " = "
                    + f2(r.ratio()) + "×");
            out.println("  target: ratio ≤ " + f1(TARGET_HOP_RATIO) + "× → " + verdict(r.meets(TARGET_HOP_RATIO)));
            HopRatio all = HopRatio.of(job.p50(), shape.allHops(), raw);
            out.println("  (counting every hop, parallel ones too — " + all.hops() + " — would give " + f1(all.perHopMs())
                    + " ms per hop, " + f2(all.ratio()) + "×)");
            double engine = shape.criticalPathEngineMs(s -> engineMs.getOrDefault(
                    new EngineTimes.Key(s.service(), s.kind()), Double.NaN));
            if (!Double.isNaN(engine)) {
                HopRatio spine = HopRatio.of(job.p50() - engine, shape.criticalPathHops(), raw);
                out.println("  engines on the critical path ≈ " + f2(engine) + " ms (each level's slowest mean engine"
                        + " time); without them: per-hop " + f1(spine.perHopMs()) + " ms, ratio " + f2(spine.ratio()) + "×");
            }
        } else {
            out.println("  no raw round trip was measured, so no ratio");
        }
    }

    private void printCpu(Run run) {
        out.println();
        out.println("-- CPU while the measured jobs ran, in cores busy (CPU s per wall s; this machine has "
                + run.machine().cores() + ")");
        if (run.cpuCores().size() <= 1) {
            out.println("  stack processes unknown (no pid files for this gateway); bench JVM " + f2(run.cpuCores()
                    .getOrDefault("bench", Double.NaN)));
        } else {
            double sum = run.cpuCores().values().stream().mapToDouble(Double::doubleValue).sum();
            out.println("  " + run.cpuCores().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue()
                    .reversed()).map(e -> e.getKey() + " " + f2(e.getValue())).collect(Collectors.joining(", ")));
            out.println("  stack + bench " + f2(sum) + "; whole machine " + f2(run.machineCores())
                    + " (the difference is everything else running here)");
        }
    }

    private void printFailures(JobRunner.Phase m) {
        List<JobSample> failed = m.failed();
        if (failed.isEmpty() && m.notRun() == 0) {
            out.println();
            out.println("-- Failures: none");
            return;
        }
        out.println();
        out.println("-- Failures: " + failed.size() + " failed, " + m.notRun() + " not run");
        Map<String, Long> reasons = failed.stream().collect(Collectors.groupingBy(BenchReport::reasonKind,
                LinkedHashMap::new, Collectors.counting()));
        reasons.forEach((reason, n) -> out.println("  " + n + " × " + reason));
        failed.stream().limit(20).forEach(s -> out.println("  job " + (s.id() == null ? "(none)" : s.id()) + " #"
                + s.index() + ": " + s.failure()));
        if (failed.size() > 20) {
            out.println("  … and " + (failed.size() - 20) + " more");
        }
    }

    private void printMethod(Run run) {
        out.println();
        out.println("-- How it measured");
        if (run.options().follow().equals("sse")) {
            out.println("  Each worker POSTs /jobs (java.net.http, HTTP/1.1), then reads GET /jobs/{id}/events (SSE) until");
            out.println("  the terminal event. The latency ends at that event's `at` — the instant the orchestrator");
            out.println("  recorded the job's end — not when the stream delivered it: the gateway's event stream reads");
            out.println("  the job store every 200 ms per open stream, which would add up to 200 ms to every job (polling");
            out.println("  GET /jobs/{id} would add its own interval the same way). Those reads are load the stack");
            out.println("  carries during the run; --follow kafka avoids them.");
        } else {
            out.println("  Each worker POSTs /jobs (java.net.http, HTTP/1.1); one consumer on backend-team.jobs.updates");
            out.println("  (all partitions, from the end) sees every job's terminal event. The latency ends at that");
            out.println("  event's `at` — the instant the orchestrator recorded the job's end — as with --follow sse;");
            out.println("  following by Kafka only removes the event stream's job-store reads and its delivery delay.");
        }
        out.println("  Both clocks are this machine's. Step durations come from GET /jobs/{id} after the measured");
        out.println("  jobs ended, so reading them does not load the run.");
        out.println("  Percentiles are nearest-rank (a measured value, no interpolation). The bench's own JVM (" +
                run.options().concurrency() + " workers) runs on the same cores as the stack.");
    }

    private static String reasonKind(JobSample s) {
        String f = s.failure();
        int colon = f.indexOf(':');
        return colon > 0 && colon < 40 ? f.substring(0, colon) : f;
    }

    static Map<String, List<JobSample>> byShape(List<JobSample> jobs) {
        Map<String, List<JobSample>> shapes = jobs.stream().filter(s -> !s.steps().isEmpty())
                .collect(Collectors.groupingBy(s -> JobShape.of(s.steps()).describe(), LinkedHashMap::new,
                        Collectors.toList()));
        return shapes.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static LatencySummary summary(List<JobSample> jobs, ToDoubleFunction<JobSample> f) {
        return LatencySummary.of(jobs.stream().mapToDouble(f).toArray());
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-12s %6s %8s %8s %8s %8s %8s", "", "n", "p50", "p95", "p99", "max", "mean");
    }

    private static String row(String name, LatencySummary s) {
        return String.format(Locale.ROOT, "%-12s %6d %8s %8s %8s %8s %8s", name, s.count(), f1(s.p50()), f1(s.p95()),
                f1(s.p99()), f1(s.max()), f1(s.mean()));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String seconds(Duration d) {
        return f1(d.toMillis() / 1000.0) + " s";
    }
}
