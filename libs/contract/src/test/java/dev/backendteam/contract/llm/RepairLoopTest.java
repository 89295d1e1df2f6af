package dev.backendteam.contract.llm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepairLoopTest {
    private static final RepairLoop.Problem MISSING = new RepairLoop.Problem("42P01", "posts",
            "relation \"posts\" does not exist");
    private static final RepairLoop.Problem TYPO = new RepairLoop.Problem("42601", "comments",
            "syntax error at or near \"tabel\"");

    @Test
    void aRepairedDraftIsAcceptedAndTheModelSawTheProblems() {
        List<List<RepairLoop.Problem>> told = new ArrayList<>();
        RepairLoop.Outcome<String> outcome = RepairLoop.run((previous, problems) -> {
            told.add(problems);
            return previous == null ? "bad" : "good";
        }, draft -> draft.equals("good") ? List.of() : List.of(TYPO), RepairLoop.MAX_REPAIRS);
        assertTrue(outcome.accepted());
        assertEquals("good", outcome.value());
        assertEquals(2, outcome.attempts());
        assertEquals(List.of(List.of(), List.of(TYPO)), told);
    }

    @Test
    void theSameErrorTwiceInARowStopsAtOnce() {
        int[] drafts = {0};
        RepairLoop.Outcome<String> outcome = RepairLoop.run((previous, problems) -> "draft " + ++drafts[0],
                draft -> List.of(MISSING), RepairLoop.MAX_REPAIRS);
        assertEquals(RepairLoop.Stop.SAME_ERROR_REPEATED, outcome.stop());
        assertEquals(2, drafts[0], "no third draft after a repeated error");
        assertTrue(outcome.reason().startsWith("loop breaker") && outcome.reason().contains("42P01 on posts"),
                outcome.reason());
    }

    @Test
    void differentErrorsAreRepairedAtMostTwiceThenTheStepFails() {
        List<RepairLoop.Problem> sequence = List.of(TYPO, MISSING,
                new RepairLoop.Problem("42703", "comments.body", "column \"body\" does not exist"));
        int[] drafts = {0};
        RepairLoop.Outcome<Integer> outcome = RepairLoop.run((previous, problems) -> drafts[0]++,
                draft -> List.of(sequence.get(draft)), RepairLoop.MAX_REPAIRS);
        assertEquals(RepairLoop.Stop.REPAIRS_EXHAUSTED, outcome.stop());
        assertEquals(3, outcome.attempts());
        assertTrue(outcome.reason().contains("after 2 repairs") && outcome.reason().contains("42703"));
    }

    @Test
    void theSameCodeOnAnotherObjectIsNotARepeat() {
        int[] drafts = {0};
        RepairLoop.Outcome<Integer> outcome = RepairLoop.run((previous, problems) -> drafts[0]++,
                draft -> draft < 2 ? List.of(new RepairLoop.Problem("42P01", "t" + draft, "missing")) : List.of(),
                RepairLoop.MAX_REPAIRS);
        assertTrue(outcome.accepted());
        assertEquals(3, outcome.attempts());
    }
}
