package dev.backendteam.ops.engine;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deployment role, a shell so far: it reports its input, produces nothing and claims no proof. (The monitor: ops/monitor.) */
class DeploymentAndMonitorEngineTest {

    private static TaskEvent task(String role, TaskKind kind, JobInputs inputs) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.OPS, role, kind, "ship it", inputs,
                List.of(), 0, null);
    }

    private static boolean has(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().map(Finding::ruleId).anyMatch(ruleId::equals);
    }

    @Test
    void deploymentListsTheFilesItWasGivenAndProducesNothing() {
        DeploymentEngine engine = new DeploymentEngine();
        JobInputs inputs = new JobInputs(null, null, null, null, null,
                List.of(new FileInput("pom.xml", "<project/>"), new FileInput("src/main/resources/a.properties", "")),
                null, null);
        StepOutcome outcome = engine.work(task("deployment", TaskKind.WORK, inputs));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        Finding files = outcome.findings().get(0);
        assertEquals("input.files", files.ruleId());
        assertTrue(files.message().startsWith("2 file(s) given: pom.xml, src/main/resources/a.properties"),
                files.message());
        assertTrue(has(outcome, "capability.not-built"));
        assertTrue(outcome.artifacts().isEmpty());
        assertNull(outcome.handoff());
        assertEquals("input.none", engine.work(task("deployment", TaskKind.WORK, JobInputs.empty())).findings()
                .get(0).ruleId());
    }

    @Test
    void deploymentValidationSaysItsFileChecksDidNotRun() {
        StepOutcome outcome = new DeploymentEngine().validate(task("deployment", TaskKind.VALIDATE,
                JobInputs.empty()));
        assertEquals(1, outcome.evidence().size());
        assertEquals(EvidenceStatus.NOT_RUN, outcome.evidence().get(0).status());
    }
}
