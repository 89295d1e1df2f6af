package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;

import static dev.backendteam.security.engine.NewFeatureMatrixTest.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second feature in a project whose earlier migrations hold the first job's grants, policies and membership helper:
 * the helper and the bootstrap trigger are kept, and the new migration's down script leaves them in place.
 */
@ExtendWith(PostgresServers.class)
class SecondJobTest {

    @Test
    void aLaterFeatureKeepsTheHelperItsProjectAlreadyHas(PostgresServers.Servers servers) {
        SecurityEngine engine = new SecurityEngine(Optional.of(SecuritySandbox.on(servers.pg17())),
                new CatalogueLints());
        StepOutcome first = engine.work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.specOnly(SecuritySandbox.exampleSpec()), List.of(SecuritySandbox.exampleMigrations())));
        assertEquals(ResultStatus.SUCCEEDED, first.status(), first.reason());
        String policies = first.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .map(Artifact::content).findFirst().orElseThrow();
        List<FileInput> project = List.of(
                new FileInput("supabase/migrations/20261101000000_task_tracker.sql",
                        SecuritySandbox.exampleMigrations().content()),
                new FileInput("supabase/migrations/20261101000001_grants_and_policies.sql", policies));
        Artifact comments = Artifact.migration("create_comment", """
                create table public.comment (id uuid primary key default gen_random_uuid(),
                  task_id uuid not null references public.task (id) on delete cascade,
                  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
                  body text not null);
                create index idx_comment_task_id on public.comment (task_id);
                create index idx_comment_user_id on public.comment (user_id);
                alter table public.comment enable row level security;
                """, "drop table if exists public.comment;", Specialist.DB_ARCHITECT);
        StepOutcome second = engine.work(SecuritySandbox.task(TaskKind.WORK,
                new JobInputs(null, null, null, null, null, project, null, null, null), List.of(comments)));
        assertEquals(ResultStatus.SUCCEEDED, second.status(), second.reason());
        assertEquals(EvidenceStatus.PASSED, evidence(second, AccessProof.DOWN).status(),
                evidence(second, AccessProof.DOWN).details());
        String up = second.artifacts().get(0).content();
        String down = second.artifacts().get(0).down();
        assertTrue(up.contains("private.is_organization_member exists already"), up);
        assertTrue(!down.contains("drop function") && !down.contains("drop trigger"), down);
        assertTrue(up.contains("create policy comment_select_authenticated on public.comment"), up);
    }
}
