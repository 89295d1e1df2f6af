package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoutingTallyTest {

    private static LabelledTask task(String expect, String lang) {
        return new LabelledTask("some task " + expect + lang, expect, lang, null);
    }

    @Test
    void aQuestionWhereAFlowWasExpectedIsAskedNotMisrouted() {
        assertEquals(RoutingTally.Outcome.CORRECT, RoutingTally.outcome("bug", "bug"));
        assertEquals(RoutingTally.Outcome.CORRECT, RoutingTally.outcome("unclear", "unclear"));
        assertEquals(RoutingTally.Outcome.ASKED, RoutingTally.outcome("bug", "unclear"));
        assertEquals(RoutingTally.Outcome.MISROUTED, RoutingTally.outcome("bug", "performance"));
        assertEquals(RoutingTally.Outcome.MISROUTED, RoutingTally.outcome("unclear", "bug"));
    }

    @Test
    void countsSplitByLanguage() {
        RoutingTally tally = new RoutingTally("m");
        tally.add(task("bug", "en"), "bug", "");
        tally.add(task("bug", "en"), "unclear", "");
        tally.add(task("deployment", "de"), "bug", "");
        tally.add(task("unclear", "fr"), "unclear", "");
        assertEquals(new RoutingTally.Count(2, 1, 1, 0), tally.english());
        assertEquals(new RoutingTally.Count(2, 1, 0, 1), tally.other());
        assertEquals(new RoutingTally.Count(4, 2, 1, 1), tally.all());
        assertEquals(50.0, tally.all().accuracy(), 1e-9);
        assertEquals(2, tally.wrong().size());
    }
}
