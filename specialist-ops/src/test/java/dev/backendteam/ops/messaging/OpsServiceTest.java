package dev.backendteam.ops.messaging;

import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.runtime.SpecialistServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ops service inside Quarkus: the runtime's promises for its three roles, and the debugger's handoff. */
@QuarkusTest
class OpsServiceTest extends SpecialistServiceContract {

    OpsServiceTest() {
        super(Specialist.OPS, OpsServiceTest::inputs);
    }

    private static JobInputs inputs(Role role) {
        return switch (role) {
            case DEBUGGER -> new JobInputs(null, null, null, null, "ERROR: relation \"comments\" does not exist", null,
                    null, null);
            // deployment asks for files without any: a small Node service it can deliver and check
            case DEPLOYMENT -> new JobInputs(null, null, null, null, null, List.of(new FileInput("package.json",
                    "{\"name\": \"web\", \"scripts\": {\"start\": \"node server.js\"}}"), new FileInput("server.js",
                    "require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT, '0.0.0.0')")),
                    null, null);
            default -> JobInputs.empty();
        };
    }

    @Test
    void theDebuggersDiagnosisHandsOffToTheOwnerOfTheFix() {
        ResultEvent result = resultOf(work(newJobId(), Role.DEBUGGER));
        assertEquals(Specialist.DB_ARCHITECT, result.handoff().service());
        assertTrue(result.handoff().reason().contains("comments"), result.handoff().reason());
    }

    @Test
    void anOpsTaskWithoutARoleFailsOnItsMerits() {
        ResultEvent result = resultOf(task(newJobId(), Specialist.OPS, null, TaskKind.WORK, JobInputs.empty()));
        assertEquals(ResultStatus.FAILED, result.status());
        assertTrue(result.reason().contains("ops needs a role (deployment, debugger, monitor, edge-functions)"),
                result.reason());
    }
}
