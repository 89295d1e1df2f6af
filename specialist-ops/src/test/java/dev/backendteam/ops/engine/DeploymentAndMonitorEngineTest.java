package dev.backendteam.ops.engine;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EvidenceStatus;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor role, a shell so far: it reports its input, produces nothing and claims no proof. (Deployment: ops.deployment.) */
class DeploymentAndMonitorEngineTest {

    private static TaskEvent task(String role, TaskKind kind, JobInputs inputs) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.OPS, role, kind, "ship it", inputs,
                List.of(), 0, null);
    }

    private static boolean has(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().map(Finding::ruleId).anyMatch(ruleId::equals);
    }

    @Test
    void monitorNamesItsTargetAndContactsNothing() {
        MonitorEngine engine = new MonitorEngine();
        JobInputs inputs = new JobInputs(null, null, null, null, null, null, "staging", null);
        StepOutcome outcome = engine.work(task("monitor", TaskKind.WORK, inputs));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals("input.target", outcome.findings().get(0).ruleId());
        assertEquals("staging", outcome.findings().get(0).object());
        assertTrue(has(outcome, "capability.not-built"));
        assertEquals(EvidenceStatus.NOT_RUN, outcome.evidence().get(0).status(), "diagnostics not built: not run");
        assertTrue(outcome.evidence().get(0).details().contains("staging"), outcome.evidence().get(0).details());
        StepOutcome none = engine.work(task("monitor", TaskKind.WORK, JobInputs.empty()));
        assertEquals("input.none", none.findings().get(0).ruleId());
        assertEquals(EvidenceStatus.NOT_RUN, none.evidence().get(0).status());
        assertTrue(none.evidence().get(0).details().startsWith("no target database"), none.evidence().toString());
        assertTrue(engine.validate(task("monitor", TaskKind.VALIDATE, JobInputs.empty())).evidence().isEmpty());
    }
}
