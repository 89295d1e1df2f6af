package dev.backendteam.security.messaging;

import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.runtime.SpecialistServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security service inside Quarkus: the runtime's promises, and its own answers. */
@QuarkusTest
class SecurityServiceTest extends SpecialistServiceContract {

    SecurityServiceTest() {
        super(Specialist.SECURITY, SecurityServiceTest::inputs);
    }

    private static JobInputs inputs(Role role) {
        return new JobInputs(null, "alter table comment enable row level security;\n"
                + "create policy comment_read on comment for select to authenticated using (true);", null, null, null,
                null, null, null);
    }

    @Test
    void withoutASandboxItWritesNothingAndSaysTheProofDidNotRun() {
        ResultEvent result = resultOf(work(newJobId(), Role.SECURITY));
        assertTrue(result.findings().stream().anyMatch(f -> f.ruleId().equals("security.no-sandbox")),
                result.findings().toString());
        assertTrue(result.artifacts().isEmpty(), "no policy is written unproven");
        assertTrue(result.evidence().stream().allMatch(e -> e.status() == EvidenceStatus.NOT_RUN));
    }

    @Test
    void withoutASchemaItAsksForOne() {
        ResultEvent result = resultOf(task(newJobId(), Specialist.SECURITY, "security", TaskKind.WORK,
                JobInputs.empty()));
        assertEquals(ResultStatus.NEEDS_INPUT, result.status());
        assertTrue(result.question().contains("`sql`"), result.question());
    }

    @Test
    void itsValidationSaysItsProofsDidNotRun() {
        ResultEvent result = resultOf(task(newJobId(), Specialist.SECURITY, "security", TaskKind.VALIDATE,
                JobInputs.empty()));
        assertFalse(result.evidence().isEmpty());
        assertTrue(result.evidence().stream().allMatch(e -> e.status() == EvidenceStatus.NOT_RUN),
                result.evidence().toString());
    }
}
