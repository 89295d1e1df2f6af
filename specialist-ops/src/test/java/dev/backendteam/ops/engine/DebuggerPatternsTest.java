package dev.backendteam.ops.engine;

import dev.backendteam.contract.Specialist;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebuggerPatternsTest {

    @Test
    void theBundledCatalogueLoadsWithAHandoffAndPatternsPerRule() {
        List<LogRule> rules = DebuggerPatterns.bundled().rules();
        assertEquals(List.of("postgres.undefined-column", "postgres.undefined-table", "postgres.rls-violation",
                "postgres.insufficient-privilege"), rules.stream().map(LogRule::id).toList());
        for (LogRule rule : rules) {
            assertFalse(rule.patterns().isEmpty(), rule.id());
            assertTrue(rule.handoff() == Specialist.DB_ARCHITECT || rule.handoff() == Specialist.SECURITY);
            assertTrue(rule.fix() != null && !rule.fix().isBlank(), rule.id());
        }
    }

    @Test
    void aCatalogueIsDataAndItsMistakesAreRefusedAtLoad() {
        DebuggerPatterns custom = DebuggerPatterns.parse("""
                rules:
                  - id: kafka.record-too-large
                    handoff: ops
                    summary: record too large
                    patterns: ['RecordTooLargeException']
                """);
        assertEquals(Specialist.OPS, custom.diagnose("o.a.k.c.e.RecordTooLargeException: big").get(0).rule()
                .handoff());
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules: []"));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("""
                rules:
                  - { id: a, handoff: nobody, summary: s, patterns: ['x'] }
                """));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("""
                rules:
                  - { id: a, handoff: security, summary: s, patterns: ['(unclosed'] }
                """));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("""
                rules:
                  - { id: a, handoff: security, summary: s, patterns: [] }
                """));
    }

    @Test
    void eachErrorIsReportedOnceAtItsFirstLine() {
        String log = "ok\nERROR: relation \"a\" does not exist\nok\nERROR: relation \"a\" does not exist\n"
                + "ERROR: relation \"b\" does not exist";
        List<Diagnosis> found = DebuggerPatterns.bundled().diagnose(log);
        assertEquals(List.of("a", "b"), found.stream().map(Diagnosis::object).toList());
        assertEquals(List.of(2, 5), found.stream().map(Diagnosis::line).toList());
    }
}
