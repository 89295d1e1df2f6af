package dev.backendteam.ops.debugger;

import dev.backendteam.contract.Specialist;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebuggerPatternsTest {
    private final DebuggerPatterns bundled = DebuggerPatterns.bundled();

    private List<PatternMatch> find(String log) {
        return bundled.find(LogText.of(log, DebuggerEngine.DEFAULT_MAX_LOG_CHARS));
    }

    private String root(String log) {
        return DebuggerPatterns.root(find(log)).map(m -> m.rule().id()).orElse("none");
    }

    @Test
    void theBundledCatalogueCoversEveryFamilyOfTheBriefWithCompleteRules() {
        Set<String> families = bundled.rules().stream().map(LogRule::family).collect(Collectors.toSet());
        assertEquals(Set.of("postgres", "pool", "kafka", "jvm", "quarkus", "railway", "node", "deno", "build"),
                families);
        for (LogRule rule : bundled.rules()) {
            assertFalse(rule.patterns().isEmpty(), rule.id());
            for (String text : List.of(rule.summary(), rule.rootCause(), rule.fix().immediate(), rule.fix().proper(),
                    rule.fix().preventive(), rule.verify())) {
                assertFalse(text.isBlank(), rule.id());
                assertFalse(LogRule.fill(text, null).contains("{object"), rule.id() + ": " + text);
            }
        }
        Set<String> states = bundled.rules().stream().map(LogRule::sqlstate).filter(s -> s != null)
                .collect(Collectors.toSet());
        assertTrue(states.containsAll(Set.of("42P01", "42703", "23505", "23503", "42501", "40P01", "40001", "53300",
                "57014", "42P17", "23502", "23514", "22P02", "55P03", "25P03")), states.toString());
    }

    @Test
    void aCatalogueIsDataAndItsMistakesAreRefusedAtLoad() {
        String rule = """
                  - id: kafka.too-big
                    family: kafka
                    classification: { category: data, layer: messaging, severity: major }
                    owner: %s
                    summary: record too large
                    rootCause: too big
                    fix: { immediate: a, proper: b, preventive: c }
                    verify: d
                    patterns: ['%s']
                """;
        DebuggerPatterns custom = DebuggerPatterns.parse("rules:\n" + rule.formatted("ops(deployment)",
                "RecordTooLargeException"));
        LogRule found = DebuggerPatterns.root(custom.find(LogText.of("o.a.k.c.e.RecordTooLargeException: big", 10_000)))
                .orElseThrow().rule();
        assertEquals(Specialist.OPS, found.owner().service());
        assertEquals("deployment", found.owner().role());
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules: []"));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n" + rule.formatted("nobody", "x")));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n" + rule.formatted("ops(cook)", "x")));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n" + rule.formatted("none", "(unclosed")));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n"
                + rule.formatted("none", "x").replace("severity: major", "severity: huge")));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n"
                + rule.formatted("none", "x").replace("    verify: d\n", "")));
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n" + rule.formatted("none", "x")
                + rule.formatted("none", "y")), "a duplicate id");
        assertThrows(IllegalArgumentException.class, () -> DebuggerPatterns.parse("rules:\n"
                + rule.formatted("none", "x").replace("family: kafka", "family: kafka\n    supersedes: [nothing]")));
    }

    @Test
    void eachErrorIsReportedOnceAtItsFirstLine() {
        String log = "ok\nERROR: relation \"a\" does not exist\nok\nERROR: relation \"a\" does not exist\n"
                + "ERROR: relation \"b\" does not exist";
        List<PatternMatch> found = find(log);
        assertEquals(List.of("a", "b"), found.stream().map(PatternMatch::object).toList());
        assertEquals(List.of(2, 5), found.stream().map(PatternMatch::line).toList());
    }

    @Test
    void aBareSqlstateCountsOnlyWhenNoMessageOfItsStateWasRecognised() {
        assertEquals("postgres.undefined-table", root("pq: query failed, SQLSTATE 42P01"));
        assertEquals("postgres.missing-from-clause",
                root("ERROR: missing FROM-clause entry for table \"c\" (SQLSTATE 42P01)"));
        assertEquals("none", root("processed 42703 rows; table comments does not exist in cache, loading"));
    }

    @Test
    void theDeepestCauseOfAChainIsTheRootAndAWrapperOnlyWhenNothingElseMatched() {
        String chain = """
                ERROR [io.qua.run.Application] Failed to start application: java.lang.RuntimeException: boom
                    at io.quarkus.runner.ApplicationImpl.doStart(Unknown Source)
                Caused by: java.sql.SQLException: Sorry, acquisition timeout!
                    at io.agroal.pool.ConnectionPool.getConnection(ConnectionPool.java:293)
                Caused by: org.postgresql.util.PSQLException: FATAL: sorry, too many clients already
                    at org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)
                """;
        assertEquals("postgres.too-many-connections", root(chain));
        assertEquals("pool.agroal-acquisition-timeout", root(chain.substring(0, chain.lastIndexOf("Caused by"))));
        assertEquals("quarkus.startup-failed", root(chain.substring(0, chain.indexOf("Caused by"))));
        // Two separate errors: the earlier one is the root, however deep the later one's chain.
        assertEquals("postgres.rls-violation", root("ERROR: new row violates row-level security policy for table \"t\"\n"
                + chain));
    }

    @Test
    void aMoreSpecificRuleSupersedesTheGeneralOne() {
        String build = "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
                + "ERROR: failed to solve: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 134";
        assertEquals("railway.build-out-of-memory", root(build));
        assertTrue(find(build).stream().noneMatch(m -> m.rule().id().equals("node.heap-out-of-memory")));
        assertEquals("node.heap-out-of-memory", root(build.lines().findFirst().orElseThrow()));
    }

    @Test
    void hugeAndBinaryLogsAreScannedInBoundedTime() {
        StringBuilder s = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (s.length() < 4_000_000) {
            s.append((char) random.nextInt(0x3000));
        }
        s.append("\nERROR: relation \"tail_table\" does not exist\n");
        long start = System.nanoTime();
        List<PatternMatch> found = bundled.find(LogText.of(s.toString(), 256 * 1024));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(found.stream().anyMatch(m -> "tail_table".equals(m.object())), "the tail is scanned");
        assertTrue(millis < 20_000, "scanned in " + millis + " ms");
    }
}
