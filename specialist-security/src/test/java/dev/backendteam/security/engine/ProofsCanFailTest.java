package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.security.engine.pgtap.PgTapWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.backendteam.security.engine.NewFeatureMatrixTest.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validation round replays the bundle in a fresh sandbox; each proof is shown to fail when what it guards is
 * broken: a policy made permissive, a grant gone, a redundant policy, a pgTAP expectation edited.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProofsCanFailTest {
    private SecurityEngine engine;
    private List<Artifact> bundle;

    @BeforeAll
    void work(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg15());
        engine = new SecurityEngine(Optional.of(sandbox), new CatalogueLints());
        StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.specOnly(SecuritySandbox.exampleSpec()), List.of(SecuritySandbox.exampleMigrations())));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        bundle = new ArrayList<>(List.of(SecuritySandbox.exampleMigrations()));
        bundle.addAll(out.artifacts());
    }

    private StepOutcome validate(List<Artifact> artifacts) {
        return engine.validate(SecuritySandbox.task(TaskKind.VALIDATE,
                SecuritySandbox.specOnly(SecuritySandbox.exampleSpec()), artifacts));
    }

    /** The bundle with one more migration by security after its own (a later change to the policies). */
    private List<Artifact> plus(String sql) {
        List<Artifact> more = new ArrayList<>(bundle);
        more.add(Artifact.migration("later_change", sql, "-- none", Specialist.SECURITY));
        return more;
    }

    private static RlsMatrix matrix(StepOutcome out) {
        return EvidenceKind.read(evidence(out, AccessProof.MATRIX).data(), RlsMatrix.class).orElseThrow();
    }

    @Test
    void theDeliveredBundlePassesEveryCheckAgainInAFreshSandbox() {
        StepOutcome out = validate(bundle);
        for (Evidence e : out.evidence()) {
            assertEquals(EvidenceStatus.PASSED, e.status(), e.check() + ": " + e.details());
        }
        assertEquals(List.of(AccessProof.INTENT, AccessProof.LINTS, AccessProof.RECURSION, AccessProof.MATRIX,
                AccessProof.SENSITIVITY, AccessProof.PGTAP), out.evidence().stream().map(Evidence::check).toList());
    }

    @Test
    void aPolicyMadePermissiveIsAMismatchNamingItsCells() {
        StepOutcome out = validate(plus("alter policy task_update_authenticated on public.task using (true)"
                + " with check (true);"));
        Evidence m = evidence(out, AccessProof.MATRIX);
        assertEquals(EvidenceStatus.FAILED, m.status());
        List<String> bad = matrix(out).cases().stream().filter(c -> !c.ok())
                .map(c -> c.table() + "/" + c.operation() + "/" + c.actor() + " " + c.actual() + " " + c.rows()).toList();
        // every signed-in user may now update every task: bob sees his own only through RLS on select
        assertTrue(bad.contains("public.task/update/member:owner allow 2") || bad.contains("public.task/update/owner allow 2"),
                bad.toString());
        assertEquals(EvidenceStatus.FAILED, evidence(out, AccessProof.PGTAP).status(), "the kept pgTAP file fails too");
    }

    @Test
    void aPolicyShowingTheWrongRowsInTheRightNumberIsAMismatch() {
        // notes are their owner's (inferred), but the policy shows each user the other's: 1 row each, as expected
        StepOutcome out = validate(plus("""
                create table public.note (id uuid primary key default gen_random_uuid(),
                  user_id uuid not null references auth.users (id), body text);
                alter table public.note enable row level security;
                grant select on public.note to authenticated;
                grant select, insert, update, delete on public.note to service_role;
                create policy note_select on public.note for select to authenticated
                  using (user_id <> (select auth.uid()));
                """));
        List<RlsMatrix.Case> select = matrix(out).cases().stream().filter(c -> c.table().equals("public.note")
                && c.operation().equals("select") && c.actor().equals("owner")).toList();
        assertEquals(1, select.size());
        assertEquals(1L, select.get(0).rows(), "the count alone would pass");
        assertEquals(1L, select.get(0).expectedRows());
        assertFalse(select.get(0).ok(), "the rows are not hers");
    }

    @Test
    void aMissingGrantIsReportedAsTheGrantLayerNotAsRls() {
        StepOutcome out = validate(plus("revoke select on public.project from authenticated;"));
        List<RlsMatrix.Case> cells = matrix(out).cases().stream()
                .filter(c -> c.table().equals("public.project") && c.operation().equals("select")
                        && c.actor().equals("member:member")).toList();
        assertEquals(1, cells.size());
        assertEquals("allow", cells.get(0).expected());
        assertEquals("deny-grant", cells.get(0).actual(), "42501 from the grant layer, told apart by the catalog");
        assertFalse(cells.get(0).ok());
    }

    @Test
    void aPolicyThatChangesNoCellIsReportedAsProvingNothing() {
        // a second select policy for members, identical in effect: dropping either changes nothing
        StepOutcome out = validate(plus("create policy project_select_again on public.project for select to"
                + " authenticated using (private.is_organization_member(organization_id));"));
        Evidence s = evidence(out, AccessProof.SENSITIVITY);
        assertEquals(EvidenceStatus.FAILED, s.status());
        assertTrue(s.details().contains("public.project.project_select_again")
                && s.details().contains("public.project.project_select_authenticated"), s.details());
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.MATRIX).status(), "the verdicts are right");
    }

    @Test
    void anEditedPgTapExpectationFailsTheKeptTest() {
        // the right number of rows but one row not the expected one: the kept test compares which rows, too
        List<Artifact> edited = new ArrayList<>();
        for (Artifact a : bundle) {
            edited.add(a.kind() == ArtifactKind.FILE && a.name().equals(PgTapWriter.PATH)
                    ? Artifact.file(a.name(), a.content().replaceFirst("'rows:3:([^']*)', 'public.task/select/service_role",
                    "'rows:3:$1-x', 'public.task/select/service_role"), Specialist.SECURITY) : a);
        }
        Evidence p = evidence(validate(edited), AccessProof.PGTAP);
        assertEquals(EvidenceStatus.FAILED, p.status());
        assertTrue(p.details().contains("failed"), p.details());
    }
}
