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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user who may edit their profile may not make themselves an admin or change their plan. */
@ExtendWith(PostgresServers.class)
class PrivilegeColumnsTest {
    private static final String SCHEMA = """
            create table public.profiles (
              id uuid primary key references auth.users (id) on delete cascade,
              display_name text,
              is_admin boolean not null default false,
              plan text not null default 'free');
            """;

    @Test
    void privilegeLikeColumnsStayOutOfTheOwnersUpdateGrant(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        StepOutcome out = new SecurityEngine(Optional.of(sandbox), new CatalogueLints()).work(SecuritySandbox.task(
                TaskKind.WORK, SecuritySandbox.sqlOnly(SCHEMA, null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals(SecurityEngine.ASSUMPTION_RULE)
                && f.message().startsWith("column is_admin reads as a privilege")), out.findings().toString());
        String fix = out.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).map(Artifact::content)
                .findFirst().orElseThrow();
        UUID me = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("privilege columns")) {
            assertTrue(db.apply(SCHEMA).ok());
            assertTrue(db.apply(fix).ok());
            assertTrue(db.apply("insert into auth.users (id) values ('" + me + "');"
                    + " insert into public.profiles (id) values ('" + me + "');").ok());
            assertEquals(1L, db.asRole("authenticated", JwtClaims.authenticated(me),
                    "update public.profiles set display_name = 'me' where id = ?", me).rowCount());
            for (String column : List.of("is_admin = true", "plan = 'pro'")) {
                assertEquals("42501", db.asRole("authenticated", JwtClaims.authenticated(me),
                        "update public.profiles set " + column + " where id = ?", me).sqlState(), column);
            }
        }
    }
}
