package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.backendteam.security.engine.NewFeatureMatrixTest.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutually recursive policies (42P17) are found from the policy graph before anything runs, each cycle named. */
@ExtendWith(PostgresServers.class)
class RecursionTest {
    private static final String SCHEMA = SecuritySandbox.resource("recursion/schema.sql");

    private static List<List<String>> expectedCycles() {
        List<List<String>> cycles = new ArrayList<>();
        for (JsonNode c : SecuritySandbox.yaml(SecuritySandbox.resource("recursion/expected.yaml")).get("cycles")) {
            List<String> cycle = new ArrayList<>();
            c.forEach(p -> cycle.add("public." + p.asText()));
            cycles.add(cycle);
        }
        return cycles;
    }

    private static List<String> loops(List<Finding> findings) {
        return findings.stream().filter(f -> f.ruleId().equals(AccessProof.RECURSION_RULE))
                .map(Finding::message).toList();
    }

    @Test
    void aReviewNamesEachCycleAndItsFixLeavesNone(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        SecurityEngine engine = new SecurityEngine(Optional.of(sandbox), new CatalogueLints());
        long started = System.nanoTime();
        StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK, SecuritySandbox.sqlOnly(SCHEMA, null),
                List.of()));
        long ms = (System.nanoTime() - started) / 1_000_000;
        List<String> loops = loops(out.findings());
        assertEquals(expectedCycles().size(), loops.size(), loops.toString());
        for (List<String> cycle : expectedCycles()) {
            List<String> loop = new ArrayList<>(cycle);
            loop.add(cycle.get(0));
            assertTrue(loops.stream().anyMatch(l -> l.endsWith(String.join(" → ", loop))), cycle + " in " + loops);
        }
        assertTrue(out.findings().stream().filter(f -> f.ruleId().equals(AccessProof.RECURSION_RULE))
                .allMatch(f -> f.severity() == Severity.ERROR && f.fix() != null));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.RECURSION).status(), "the fix recurses no more");
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.MATRIX).status(),
                evidence(out, AccessProof.MATRIX).details());
        assertTrue(ms < 5000, "found and fixed in " + ms + " ms");
    }

    @Test
    void aBundleThatRecursesFailsValidationAtOnceWithTheCycleAndRunsNoCase(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        SecurityEngine engine = new SecurityEngine(Optional.of(sandbox), new CatalogueLints());
        StepOutcome out = engine.validate(SecuritySandbox.task(TaskKind.VALIDATE, SecuritySandbox.sqlOnly(SCHEMA,
                null), List.of()));
        assertEquals(EvidenceStatus.FAILED, evidence(out, AccessProof.RECURSION).status());
        assertTrue(evidence(out, AccessProof.RECURSION).details().contains(
                "public.documents.documents_select → public.shares.shares_select → public.documents.documents_select"),
                evidence(out, AccessProof.RECURSION).details());
        assertEquals(EvidenceStatus.NOT_RUN, evidence(out, AccessProof.MATRIX).status());
        assertEquals(2, loops(out.findings()).size());
    }
}
