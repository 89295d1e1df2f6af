package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopRatioTest {
    private static final Instant T = Instant.parse("2026-11-24T00:00:00Z");

    private static StepSample step(int seq, String kind, String service, String status, int attempt) {
        return new StepSample(seq, kind, service, null, seq == 1 ? "flow" : "handoff", status, attempt, T, 10L);
    }

    /** The bug flow: ops, its handoff to db-architect, then both validate at once. */
    private static final List<StepSample> BUG = List.of(step(1, "work", "ops", "succeeded", 1),
            step(2, "work", "db-architect", "succeeded", 1), step(3, "validate", "ops", "succeeded", 1),
            step(4, "validate", "db-architect", "succeeded", 1));

    @Test
    void perHopIsTheJobP50OverItsHopsAndTheRatioDividesByTheRawRoundTrip() {
        HopRatio r = HopRatio.of(600, 6, 20);
        assertEquals(100, r.perHopMs(), 1e-9);
        assertEquals(5.0, r.ratio(), 1e-9);
        assertFalse(r.meets(1.5));
        assertTrue(HopRatio.of(180, 6, 20).meets(1.5), "30 ms per hop over 20 ms raw is exactly 1.5×");
    }

    @Test
    void aRatioNeedsHopsAndAPositiveRoundTrip() {
        assertThrows(IllegalArgumentException.class, () -> HopRatio.of(100, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> HopRatio.of(100, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> HopRatio.of(100, 4, Double.NaN));
    }

    @Test
    void workStepsAreLevelsOfTheirOwnAndTheValidationRoundIsOneLevel() {
        JobShape shape = JobShape.of(BUG);
        assertEquals(4, shape.steps());
        assertEquals(3, shape.levels().size());
        assertEquals(6, shape.criticalPathHops(), "2 hops × 3 levels: the two validations overlap");
        assertEquals(8, shape.allHops(), "2 hops × 4 steps");
        assertEquals("work ops → work db-architect [handoff] → validate ops ∥ validate db-architect", shape.describe());
    }

    @Test
    void engineTimeOnTheCriticalPathTakesEachLevelsSlowestMember() {
        JobShape shape = JobShape.of(BUG);
        double engine = shape.criticalPathEngineMs(s -> s.validation() && s.service().equals("db-architect") ? 30
                : s.validation() ? 10 : 5);
        assertEquals(5 + 5 + 30, engine, 1e-9, "ops 5, db-architect 5, then max(10, 30) of the parallel validations");
        assertTrue(Double.isNaN(shape.criticalPathEngineMs(s -> Double.NaN)));
    }

    @Test
    void skippedStepsSendNothing() {
        JobShape shape = JobShape.of(List.of(step(1, "work", "db-architect", "succeeded", 1),
                new StepSample(2, "work", "db-architect", "api-data", "flow", "skipped", 0, T, 0L),
                step(3, "validate", "db-architect", "succeeded", 1)));
        assertEquals(4, shape.criticalPathHops());
        assertEquals(2, shape.steps());
        assertTrue(shape.describe().endsWith("(skipped, no task sent: db-architect(api-data))"), shape.describe());
    }

    @Test
    void aRetriedStepCostsItsHopsAgain() {
        JobShape shape = JobShape.of(List.of(step(1, "work", "ops", "succeeded", 2),
                step(2, "validate", "ops", "succeeded", 1)));
        assertEquals(6, shape.criticalPathHops());
        assertTrue(shape.describe().contains("{attempt 2}"));
    }

    @Test
    void stepsAreOrderedBySeqWhateverOrderTheyCameIn() {
        JobShape shape = JobShape.of(List.of(BUG.get(3), BUG.get(1), BUG.get(2), BUG.get(0)));
        assertEquals(JobShape.of(BUG).describe(), shape.describe());
    }
}
