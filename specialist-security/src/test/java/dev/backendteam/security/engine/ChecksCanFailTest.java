package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.security.engine.catalog.CatalogReader;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.backendteam.security.engine.NewFeatureMatrixTest.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step's other checks, each shown to fail when what it guards is broken. */
@ExtendWith(PostgresServers.class)
class ChecksCanFailTest {
    private static final String NOTES = "create table public.note (id uuid primary key default gen_random_uuid(),"
            + " user_id uuid not null references auth.users (id), body text);";

    @Test
    void aDownScriptThatLeavesAGrantBehindFailsTheDownCheck(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        try (SandboxDatabase db = sandbox.create("down check")) {
            assertTrue(db.apply(NOTES).ok());
            SchemaCatalog before = CatalogReader.read(db);
            String up = "grant select on public.note to anon, authenticated;";
            assertTrue(db.apply(up).ok());
            Evidence restored = SecurityEngine.downRestores(db, "revoke select on public.note from anon, authenticated;",
                    up, before, Set.of("public.note"));
            assertEquals(EvidenceStatus.PASSED, restored.status(), restored.details());
            Evidence forgotten = SecurityEngine.downRestores(db, "revoke select on public.note from anon;", up, before,
                    Set.of("public.note"));
            assertEquals(EvidenceStatus.FAILED, forgotten.status());
        }
    }

    @Test
    void aLintThatCouldNotRunFailsTheLints(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        // the catalogue's own findings plus one rule whose query failed: its issue was not checked
        SecurityLints broken = (db, intent, catalog) -> {
            List<Finding> all = new java.util.ArrayList<>(new CatalogueLints().lint(db, intent, catalog));
            all.add(new Finding(SecurityEngine.LINT_FAILED, Severity.INFO, "security.rls-disabled",
                    "the rule's query failed", null, null));
            return all;
        };
        StepOutcome out = new SecurityEngine(Optional.of(sandbox), broken).work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.sqlOnly(NOTES, null), List.of()));
        assertEquals(EvidenceStatus.FAILED, evidence(out, AccessProof.LINTS).status());
        assertEquals(ResultStatus.FAILED, out.status());
    }

    @Test
    void anAccessSectionThatDoesNotFitTheSchemaFailsTheIntent(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        JsonNode spec = Json.read("{\"access\": {\"note\": {\"select\": [\"member:admin\"]}}}", JsonNode.class);
        StepOutcome out = new SecurityEngine(Optional.of(sandbox), new CatalogueLints()).work(SecuritySandbox.task(
                TaskKind.WORK, SecuritySandbox.sqlOnly(NOTES, spec), List.of()));
        assertEquals(EvidenceStatus.FAILED, evidence(out, AccessProof.INTENT).status());
        assertEquals(FailureKind.INVALID_INPUT, out.failureKind());
        assertTrue(out.findings().stream().anyMatch(f -> "/access/note/select/0".equals(f.object())),
                out.findings().toString());
    }

    @Test
    void aTargetThatIsNotConfiguredFailsTheStepAndNamesTheVariable(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        StepOutcome out = new SecurityEngine(Optional.of(sandbox), new CatalogueLints(),
                name -> TargetDatabase.open(name, Map.of(), Duration.ofSeconds(1))).work(SecuritySandbox.task(
                TaskKind.WORK, new JobInputs(null, null, null, null, null, null, "staging", null, null), List.of()));
        assertEquals(FailureKind.INVALID_INPUT, out.failureKind());
        assertTrue(out.reason().contains("BACKEND_TEAM_TARGET_STAGING_URL"), out.reason());
    }
}
