package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README example: db-architect's migrations in, grants and policies out, every proof run for real. */
@ExtendWith(PostgresServers.class)
class NewFeatureMatrixTest {

    @Test
    void theExampleIsSecuredAndProven(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg17());
        SecurityEngine engine = new SecurityEngine(Optional.of(sandbox), (db, intent) -> List.of());
        StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.specOnly(SecuritySandbox.exampleSpec()), List.of(SecuritySandbox.exampleMigrations())));
        for (Evidence e : out.evidence()) {
            System.out.println(e.status() + " " + e.check() + " — " + e.details());
        }
        out.findings().forEach(f -> System.out.println(f.severity() + " " + f.ruleId() + " " + f.object() + " "
                + f.message()));
        System.out.println(out.reason());
        out.artifacts().stream().map(Artifact::content).forEach(c -> System.out.println(c.length() > 6000
                ? c.substring(0, 6000) : c));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
    }
}
