package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.JwtClaims;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the matrix's worlds cannot show (each row's tenant and parents are of one world): a member of tenant T2 must
 * not file a row of T2 under a parent of T1.
 */
@ExtendWith(PostgresServers.class)
class CrossTenantTest {
    private static final String SCHEMA = """
            create table public.organization (id uuid primary key default gen_random_uuid(), name text not null);
            create table public.membership (
              organization_id uuid not null references public.organization (id) on delete cascade,
              user_id uuid not null references auth.users (id) on delete cascade,
              role text not null default 'member' check (role in ('owner', 'member')),
              primary key (organization_id, user_id));
            create table public.project (id uuid primary key default gen_random_uuid(),
              organization_id uuid not null references public.organization (id) on delete cascade, name text not null);
            create index on public.project (organization_id);
            create table public.task (id uuid primary key default gen_random_uuid(),
              organization_id uuid not null references public.organization (id) on delete cascade,
              project_id uuid not null references public.project (id) on delete cascade, title text not null);
            create index on public.task (organization_id);
            create index on public.task (project_id);
            """;

    @Test
    void aMemberCannotFileARowOfTheirTenantUnderAnotherTenantsParent(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        StepOutcome out = new SecurityEngine(Optional.of(sandbox), new CatalogueLints()).work(SecuritySandbox.task(
                TaskKind.WORK, SecuritySandbox.sqlOnly(SCHEMA, null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        String fix = out.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).map(Artifact::content)
                .findFirst().orElseThrow();
        UUID bob = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("cross-tenant")) {
            assertTrue(db.apply(SCHEMA).ok());
            assertTrue(db.apply(fix).ok());
            assertTrue(db.apply("""
                    insert into auth.users (id) values ('%s');
                    insert into public.organization (id, name) values
                      ('00000000-0000-0000-0000-000000000001', 'T1'), ('00000000-0000-0000-0000-000000000002', 'T2');
                    insert into public.membership values ('00000000-0000-0000-0000-000000000002', '%s', 'member');
                    insert into public.project (id, organization_id, name) values
                      ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'P1'),
                      ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-000000000002', 'P2');
                    """.formatted(bob, bob)).ok());
            String insert = "insert into public.task (organization_id, project_id, title) values"
                    + " ('00000000-0000-0000-0000-000000000002', '%s', 'x')";
            StatementOutcome own = db.asRole("authenticated", JwtClaims.authenticated(bob),
                    insert.formatted("00000000-0000-0000-0000-0000000000a2"));
            assertTrue(own.ok(), "a task of T2 in T2's project: " + own.error());
            StatementOutcome cross = db.asRole("authenticated", JwtClaims.authenticated(bob),
                    insert.formatted("00000000-0000-0000-0000-0000000000a1"));
            assertEquals("42501", cross.sqlState(), "a task of T2 under T1's project is refused");
        }
    }
}
