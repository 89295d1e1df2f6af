package dev.backendteam.security.messaging;

import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.runtime.SpecialistServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

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
    void theGivenSqlsRlsStatementsAreCounted() {
        ResultEvent result = resultOf(work(newJobId(), Role.SECURITY));
        assertTrue(result.findings().stream().anyMatch(f -> f.message()
                .equals("SQL given: 1 create policy, 1 enable row level security")), result.findings().toString());
        assertTrue(result.artifacts().isEmpty(), "no policy is invented");
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
