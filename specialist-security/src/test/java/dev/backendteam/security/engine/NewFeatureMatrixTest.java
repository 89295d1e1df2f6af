package dev.backendteam.security.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
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

    static Evidence evidence(StepOutcome out, String check) {
        return out.evidence().stream().filter(e -> e.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + check + " in " + out.evidence()));
    }

    @Test
    void theDerivedAndTheExecutedMatrixEqualTheHandWrittenOne(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg15());
        SecurityEngine engine = new SecurityEngine(Optional.of(sandbox), new CatalogueLints());
        StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.specOnly(SecuritySandbox.exampleSpec()), List.of(SecuritySandbox.exampleMigrations())));
        out.evidence().forEach(e -> System.out.println(e.status() + " " + e.check() + " — " + e.details()));
        RlsMatrix matrix = EvidenceKind.read(evidence(out, AccessProof.MATRIX).data(), RlsMatrix.class).orElseThrow();
        ExpectedMatrix file = ExpectedMatrix.read("matrix/new-feature-expected.yaml");
        assertEquals(List.of(), file.differences(matrix, false), "derived");
        assertEquals(List.of(), file.differences(matrix, true), "executed");
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
    }
}
