package dev.backendteam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What one routing method made of the labelled tasks. A task is <em>correct</em> when the method chose its flow, or
 * asked where the label is {@code unclear}; <em>asked</em> when it asked where a flow was expected (a question too
 * many, but no wrong work); <em>misrouted</em> when it chose another flow, or chose one where it should have asked.
 */
final class RoutingTally {

    enum Outcome {
        CORRECT, ASKED, MISROUTED
    }

    /** @param got the flow chosen, or {@value LabelledTask#UNCLEAR} */
    record Result(LabelledTask task, String got, String why, Outcome outcome) {
    }

    record Count(int tasks, int correct, int asked, int misrouted) {
        double accuracy() {
            return tasks == 0 ? Double.NaN : 100.0 * correct / tasks;
        }

        String cell() {
            return String.format(Locale.ROOT, "%3d/%-3d %5.1f%%", correct, tasks, accuracy());
        }
    }

    private final String method;
    private final List<Result> results = new ArrayList<>();

    RoutingTally(String method) {
        this.method = method;
    }

    static Outcome outcome(String expect, String got) {
        if (expect.equals(got)) {
            return Outcome.CORRECT;
        }
        return got.equals(LabelledTask.UNCLEAR) ? Outcome.ASKED : Outcome.MISROUTED;
    }

    void add(LabelledTask task, String got, String why) {
        results.add(new Result(task, got, why, outcome(task.expect(), got)));
    }

    String method() {
        return method;
    }

    Count english() {
        return count(r -> r.task().english());
    }

    Count other() {
        return count(r -> !r.task().english());
    }

    Count all() {
        return count(r -> true);
    }

    /** The same method's results on some of the tasks. */
    RoutingTally only(Predicate<Result> which) {
        RoutingTally part = new RoutingTally(method);
        results.stream().filter(which).forEach(part.results::add);
        return part;
    }

    List<Result> results() {
        return List.copyOf(results);
    }

    List<Result> wrong() {
        return results.stream().filter(r -> r.outcome() != Outcome.CORRECT).toList();
    }

    private Count count(Predicate<Result> which) {
        List<Result> in = results.stream().filter(which).toList();
        return new Count(in.size(), (int) in.stream().filter(r -> r.outcome() == Outcome.CORRECT).count(),
                (int) in.stream().filter(r -> r.outcome() == Outcome.ASKED).count(),
                (int) in.stream().filter(r -> r.outcome() == Outcome.MISROUTED).count());
    }
}
