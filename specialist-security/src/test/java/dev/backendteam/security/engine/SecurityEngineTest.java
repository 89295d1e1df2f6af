package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurityEngineTest {
    private final SecurityEngine engine = new SecurityEngine();

    private static TaskEvent task(String sql, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 2, 1, Specialist.SECURITY, null, TaskKind.WORK,
                "only the author may edit", new JobInputs(null, sql, null, null, null, null, null, null), artifacts, 0,
                null);
    }

    private static List<String> ruleIds(StepOutcome outcome) {
        return outcome.findings().stream().map(Finding::ruleId).toList();
    }

    /** A shell reports what it read and says what it did not do: it invents no policy and claims no proof. */
    private static void assertHonest(StepOutcome outcome) {
        assertEquals(StepOutcome.notBuilt(outcome.findings().subList(0, outcome.findings().size() - 1),
                outcome.findings().get(outcome.findings().size() - 1).message()), outcome);
    }

    @Test
    void countsRlsStatementsInTheGivenSql() {
        StepOutcome outcome = engine.work(task("""
                alter table comment enable row level security;
                ALTER TABLE post ENABLE
                  ROW LEVEL SECURITY;
                create policy comment_read on comment for select to authenticated using (true);
                create policy "comment_edit" on comment for update to authenticated
                  using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
                Create  Policy post_read on post for select using (true);
                """, List.of()));
        assertHonest(outcome);
        assertEquals("SQL given: 3 create policy, 2 enable row level security", outcome.findings().get(0).message());
    }

    @Test
    void commentsStringsAndFunctionBodiesAreNotCounted() {
        StepOutcome outcome = engine.work(task("""
                -- create policy todo on comment ...;
                /* alter table x enable row level security; /* nested */ create policy y */
                insert into notes values ('create policy in a string');
                create function f() returns void as $$ begin execute 'create policy z on t'; end $$ language plpgsql;
                create policy real_one on comment for select to authenticated using (true);
                """, List.of()));
        assertEquals("SQL given: 1 create policy, 0 enable row level security", outcome.findings().get(0).message());
    }

    @Test
    void countsRlsStatementsInEarlierMigrationsOnly() {
        StepOutcome outcome = engine.work(task(null, List.of(
                Artifact.migration("create_comment", "create table comment (id uuid primary key);",
                        "drop table comment;", Specialist.DB_ARCHITECT),
                Artifact.migration("comment_rls", "alter table comment enable row level security;\n"
                        + "create policy a on comment for select to authenticated using (true);\n"
                        + "create policy b on comment for insert to authenticated with check (true);",
                        "drop policy a on comment; drop policy b on comment;", Specialist.SECURITY),
                Artifact.file("notes.md", "create policy in prose", Specialist.OPS))));
        assertHonest(outcome);
        assertEquals("2 earlier migration(s) in the bundle: 2 create policy, 1 enable row level security",
                outcome.findings().get(0).message());
    }

    @Test
    void sqlAndMigrationsAreReportedSeparately() {
        StepOutcome outcome = engine.work(task("create table t ();", List.of(Artifact.migration("m",
                "alter table t enable row level security;", null, Specialist.DB_ARCHITECT))));
        assertEquals(List.of("input.sql", "input.migrations", "capability.not-built"), ruleIds(outcome));
        assertEquals("SQL given: 0 create policy, 0 enable row level security", outcome.findings().get(0).message());
    }

    @Test
    void withNothingToReviewItStillSucceedsAndSaysSo() {
        StepOutcome outcome = engine.work(task(null, List.of()));
        assertHonest(outcome);
        assertEquals(List.of("input.none", "capability.not-built"), ruleIds(outcome));
    }

    @Test
    void validationClaimsNoProofItDidNotRun() {
        StepOutcome outcome = engine.validate(task(null, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(2, outcome.evidence().size());
        assertTrue(outcome.evidence().stream().allMatch(e -> e.status() == EvidenceStatus.NOT_RUN && !e.passed()),
                "a check that did not run is said so, never counted as passed");
    }
}
