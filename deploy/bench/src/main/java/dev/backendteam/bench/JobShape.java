package dev.backendteam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The steps a job really ran, grouped into the levels the orchestrator runs one after another: each work step is a
 * level of its own (the next starts only when its result is applied), and the whole validation round is one level
 * (every participant's validate task is dispatched at once). Skipped steps send nothing.
 */
public record JobShape(List<List<StepSample>> levels, List<StepSample> skipped) {

    public static JobShape of(List<StepSample> steps) {
        List<List<StepSample>> levels = new ArrayList<>();
        List<StepSample> validations = new ArrayList<>();
        List<StepSample> skipped = new ArrayList<>();
        steps.stream().sorted((a, b) -> Integer.compare(a.seq(), b.seq())).forEach(s -> {
            if (s.skipped()) {
                skipped.add(s);
            } else if (s.validation()) {
                validations.add(s);
            } else {
                levels.add(List.of(s));
            }
        });
        if (!validations.isEmpty()) {
            levels.add(List.copyOf(validations));
        }
        return new JobShape(List.copyOf(levels), List.copyOf(skipped));
    }

    /** Steps that sent a task (not skipped). */
    public int steps() {
        return levels.stream().mapToInt(List::size).sum();
    }

    /**
     * Kafka hops on the critical path: each level costs a task out and a result back (2 hops) per attempt of its
     * slowest member; parallel steps of one level overlap and count once.
     */
    public int criticalPathHops() {
        return levels.stream().mapToInt(l -> 2 * l.stream().mapToInt(StepSample::attempt).max().orElse(1)).sum();
    }

    /** Every task and result record the job caused, parallel or not (2 per attempt of every step). */
    public int allHops() {
        return levels.stream().flatMap(List::stream).mapToInt(s -> 2 * s.attempt()).sum();
    }

    /**
     * Engine time on the critical path: per level the slowest member's engine time, added up. NaN when the engine
     * time of a step is unknown.
     */
    public double criticalPathEngineMs(ToDoubleFunction<StepSample> engineMs) {
        double total = 0;
        for (List<StepSample> level : levels) {
            total += level.stream().mapToDouble(engineMs).max().orElse(0);
        }
        return total;
    }

    /** {@code work ops (debugger) → work db-architect (handoff) → validate ops ∥ validate db-architect}. */
    public String describe() {
        String path = levels.stream().map(l -> l.stream().map(JobShape::label).collect(Collectors.joining(" ∥ ")))
                .collect(Collectors.joining(" → "));
        return skipped.isEmpty() ? path : path + "  (skipped, no task sent: "
                + skipped.stream().map(s -> s.role() == null ? s.service() : s.service() + "(" + s.role() + ")")
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String label(StepSample s) {
        String origin = s.origin() == null || s.validation() || "flow".equals(s.origin()) ? "" : " [" + s.origin() + "]";
        return s.label() + origin + (s.attempt() > 1 ? " {attempt " + s.attempt() + "}" : "");
    }
}
