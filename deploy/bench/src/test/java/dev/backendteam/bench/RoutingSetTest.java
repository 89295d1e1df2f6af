package dev.backendteam.bench;

import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.FlowExamples;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The labelled set of RoutingAccuracy: big enough, labelled with known flows, and no copy of the examples. */
class RoutingSetTest {

    private final List<LabelledTask> tasks = LabelledTask.fromClasspath();
    private final FlowCatalog catalog = FlowCatalog.fromClasspath();

    @Test
    void atLeast80TasksEachLabelledWithAFlowOrUnclear() {
        assertTrue(tasks.size() >= 80, tasks.size() + " tasks");
        Set<String> labels = new HashSet<>(catalog.flows().keySet());
        labels.add(LabelledTask.UNCLEAR);
        tasks.forEach(t -> assertTrue(labels.contains(t.expect()), t.expect() + ": " + t.text()));
        Map<String, Long> perLabel = tasks.stream().collect(Collectors.groupingBy(LabelledTask::expect,
                Collectors.counting()));
        assertEquals(labels, perLabel.keySet(), "every flow and unclear are tested");
        perLabel.forEach((label, n) -> assertTrue(n >= 10, label + " has " + n));
    }

    @Test
    void someAreInOtherLanguagesAndSomeAreHeldOut() {
        long other = tasks.stream().filter(t -> !t.english()).count();
        assertTrue(other >= tasks.size() / 10, other + " non-English tasks of " + tasks.size());
        assertEquals(Set.of("en", "de", "fr", "es"),
                tasks.stream().map(LabelledTask::lang).collect(Collectors.toSet()));
        assertTrue(tasks.stream().filter(t -> t.set().equals(LabelledTask.HELD_OUT)).count() >= 40);
    }

    @Test
    void noTaskIsRepeatedOrAnExamplePhrasing() {
        Set<String> seen = new HashSet<>();
        tasks.forEach(t -> assertTrue(seen.add(LabelledTask.normalized(t.text())), "repeated: " + t.text()));
        FlowExamples examples = FlowExamples.fromClasspath();
        assertEquals(List.of(), RoutingAccuracy.shared(tasks, examples));
        // and the check can fail: an example copied into the set, with other case and punctuation, is caught
        String example = examples.flows().get("bug").get(0);
        List<LabelledTask> copied = List.of(new LabelledTask(example.toUpperCase() + " !", "bug", "en", null));
        assertEquals(1, RoutingAccuracy.shared(copied, examples).size());
    }
}
